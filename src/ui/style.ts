/**
 * The one module that imports chalk. Everything else receives a Style and
 * stays colour-blind, so NO_COLOR and --no-color are honoured in one place.
 */
import { Chalk } from 'chalk';
import type { RenderStyle } from '../diag/render.js';
import type { Severity } from '../diag/diagnostic.js';

export interface Style extends RenderStyle {
  bold(t: string): string;
  ok(t: string): string;
  bad(t: string): string;
  warn(t: string): string;
  added(t: string): string;
  removed(t: string): string;
}

const identity = (t: string) => t;

export const plain: Style = {
  severity: (_s, t) => t,
  dim: identity,
  caret: identity,
  bold: identity,
  ok: identity,
  bad: identity,
  warn: identity,
  added: identity,
  removed: identity,
};

export function makeStyle(color: boolean): Style {
  if (!color) return plain;
  const c = new Chalk({ level: 1 });
  const sev: Record<Severity, (t: string) => string> = { error: (t) => c.red.bold(t), warning: (t) => c.yellow.bold(t), info: (t) => c.cyan(t) };
  return {
    severity: (s, t) => sev[s](t),
    dim: (t) => c.dim(t),
    caret: (t) => c.red(t),
    bold: (t) => c.bold(t),
    ok: (t) => c.green(t),
    bad: (t) => c.red(t),
    warn: (t) => c.yellow(t),
    added: (t) => c.green(t),
    removed: (t) => c.red(t),
  };
}

/**
 * Renders diagnostics as text: `file:line:col: severity[code]: message` and a
 * code frame with a caret under the offending text. No colour here: the ui
 * module decorates through the `style` hooks.
 */
import type { Diagnostic } from './diagnostic.js';
import { locate } from './span.js';

export interface RenderStyle {
  severity(sev: Diagnostic['severity'], text: string): string;
  dim(text: string): string;
  caret(text: string): string;
}

export const plainStyle: RenderStyle = {
  severity: (_s, t) => t,
  dim: (t) => t,
  caret: (t) => t,
};

/** Expands tabs so that the caret lines up with the text above it. */
function expandTabs(s: string): string {
  return s.replace(/\t/g, '    ');
}

function visualColumn(lineText: string, column: number): number {
  return expandTabs(lineText.slice(0, column - 1)).length;
}

/**
 * Lines shown in a code frame may hold a secret (a diagnostic near
 * `auth_pass`): its value is masked, character for character so that carets
 * stay aligned. Every frame goes through here.
 */
export function maskSecrets(line: string): string {
  return line.replace(/(\b(?:auth_pass|smtp_password|password|bfd_auth_pass)[ \t]+)(\S+)/g, (_m, kw: string, v: string) => kw + '*'.repeat(v.length));
}

export function renderDiagnostic(d: Diagnostic, style: RenderStyle = plainStyle, displayPath?: (p: string) => string): string {
  const show = displayPath ?? ((p: string) => p);
  const head = `${style.severity(d.severity, d.severity)}[${d.code}]: ${d.message}`;
  if (!d.span) return head + (d.hint ? `\n  = hint: ${d.hint}` : '');
  const loc = locate(d.span);
  const out: string[] = [`${show(loc.file)}:${loc.line}:${loc.column}: ${head}`];
  const w = frameWindow(d.span.file.lineText(loc.line), loc.column, loc.endLine === loc.line ? loc.endColumn : undefined);
  out.push(...codeFrame(w.text, loc.line, w.column, w.endColumn, style));
  for (const r of d.related ?? []) {
    const rl = locate(r.span);
    out.push(`  = note: ${r.message} (${show(rl.file)}:${rl.line}:${rl.column})`);
  }
  if (d.hint) out.push(`  = hint: ${d.hint}`);
  return out.join('\n');
}

/** A line longer than this is shown as a window around the span. */
export const FRAME_WIDTH = 160;
/** Characters shown before the span in a window. */
const LEAD = 60;
/** Extra characters masked on each side of a window, so a secret cut by its edge is still masked. */
const MASK_MARGIN = 64;

/**
 * The part of a line a code frame shows, secrets masked: the whole line when
 * it is short, otherwise a window around the span with '…' where it was cut.
 * One diagnostic on a megabyte-long line must not print (or build) a megabyte
 * of text, and two hundred of them must not exhaust memory.
 */
export function frameWindow(line: string, column: number, endColumn?: number): { text: string; column: number; endColumn?: number } {
  if (line.length <= FRAME_WIDTH) return { text: maskSecrets(line), column, endColumn };
  const from = Math.max(0, Math.min(column - 1 - LEAD, line.length - FRAME_WIDTH));
  const to = Math.min(line.length, from + FRAME_WIDTH);
  const m0 = Math.max(0, from - MASK_MARGIN);
  const masked = maskSecrets(line.slice(m0, Math.min(line.length, to + MASK_MARGIN))).slice(from - m0, to - m0);
  const head = from > 0 ? '…' : '';
  const tail = to < line.length ? '…' : '';
  const shift = head.length - from;
  const end = endColumn === undefined ? undefined : Math.min(endColumn + shift, to + shift + 1);
  return { text: head + masked + tail, column: column + shift, endColumn: end };
}

export function codeFrame(text: string, line: number, column: number, endColumn: number | undefined, style: RenderStyle = plainStyle): string[] {
  const gutter = String(line).length;
  const pad = ' '.repeat(gutter);
  const start = visualColumn(text, column);
  const end = endColumn && endColumn > column ? visualColumn(text, endColumn) : start + 1;
  const shown = expandTabs(text);
  return [
    style.dim(`${pad} |`),
    `${style.dim(`${line} |`)} ${shown}`,
    `${style.dim(`${pad} |`)} ${' '.repeat(start)}${style.caret('^'.repeat(Math.max(1, end - start)))}`,
  ];
}

export function renderDiagnostics(ds: readonly Diagnostic[], style: RenderStyle = plainStyle, displayPath?: (p: string) => string): string {
  return ds.map((d) => renderDiagnostic(d, style, displayPath)).join('\n\n');
}

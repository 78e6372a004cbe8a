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
  out.push(...codeFrame(maskSecrets(d.span.file.lineText(loc.line)), loc.line, loc.column, loc.endLine === loc.line ? loc.endColumn : undefined, style));
  for (const r of d.related ?? []) {
    const rl = locate(r.span);
    out.push(`  = note: ${r.message} (${show(rl.file)}:${rl.line}:${rl.column})`);
  }
  if (d.hint) out.push(`  = hint: ${d.hint}`);
  return out.join('\n');
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

/**
 * The one diagnostic type of every phase (source, parse, model, map, plan).
 * Diagnostics are collected, never thrown: a run reports everything it found.
 * As in pcs's report items, the code is stable and machine-readable; the
 * message is the human text derived for it.
 */
import { type Location, type Span, locate } from './span.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable identifier, kebab-case, e.g. `unknown-keyword`. Documented in MIGRATION.md. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Where, in the original file. Absent only for diagnostics about the run itself (no file). */
  readonly span?: Span;
  /** Secondary places that explain this one (the include that led here, the first definition...). */
  readonly related?: readonly { message: string; span: Span }[];
  /** A hint the user can act on. */
  readonly hint?: string;
}

/** The JSON shape of a diagnostic, as `--json` prints it. */
export interface DiagnosticJson {
  code: string;
  severity: Severity;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  endLine?: number;
  endColumn?: number;
  hint?: string;
  related?: { message: string; file: string; line: number; column: number }[];
}

export function diagnosticToJson(d: Diagnostic): DiagnosticJson {
  const loc: Location | undefined = d.span ? locate(d.span) : undefined;
  const out: DiagnosticJson = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: loc?.file ?? null,
    line: loc?.line ?? null,
    column: loc?.column ?? null,
  };
  if (loc) {
    out.endLine = loc.endLine;
    out.endColumn = loc.endColumn;
  }
  if (d.hint) out.hint = d.hint;
  if (d.related?.length) {
    out.related = d.related.map((r) => {
      const l = locate(r.span);
      return { message: r.message, file: l.file, line: l.line, column: l.column };
    });
  }
  return out;
}

/** Collects diagnostics through a whole run. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.items.push(d);
  }
  error(code: string, message: string, span?: Span, extra?: Partial<Diagnostic>): void {
    this.items.push({ code, severity: 'error', message, span, ...extra });
  }
  warning(code: string, message: string, span?: Span, extra?: Partial<Diagnostic>): void {
    this.items.push({ code, severity: 'warning', message, span, ...extra });
  }
  info(code: string, message: string, span?: Span, extra?: Partial<Diagnostic>): void {
    this.items.push({ code, severity: 'info', message, span, ...extra });
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
  count(severity: Severity): number {
    return this.items.filter((d) => d.severity === severity).length;
  }
  /** Sorted by file, then position, then code: stable output for goldens. */
  sorted(): Diagnostic[] {
    return sortDiagnostics(this.items);
  }
}

export function sortDiagnostics(items: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [d.span?.file.path ?? '', d.span?.start ?? -1] as const;
  return items
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const [fa, sa] = key(a.d);
      const [fb, sb] = key(b.d);
      if (fa !== fb) return fa < fb ? -1 : 1;
      if (sa !== sb) return sa - sb;
      return a.i - b.i;
    })
    .map((x) => x.d);
}

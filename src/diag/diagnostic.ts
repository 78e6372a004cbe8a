/**
 * The one diagnostic type of every phase (source, parse, model, map, plan).
 * Diagnostics are collected, never thrown: a run reports everything it found.
 * As in pcs's report items, the code is stable and machine-readable; the
 * message is the human text derived for it.
 */
import { type Location, type SourceFile, type Span, locate } from './span.js';

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

/**
 * Diagnostics of one kind (code) kept per file. Past it, one diagnostic says
 * how many more there were (as clang's -ferror-limit does): a file of
 * 500,000 stray braces must give a readable report, quickly, in bounded
 * memory, not half a million lines. No real configuration comes near it.
 */
export const DIAGNOSTICS_PER_KIND = 100;

/** The one diagnostic standing for those of a kind past the limit in a file. */
class Overflow implements Diagnostic {
  readonly code = 'too-many-diagnostics';
  readonly hint = 'fix the first ones and run again';
  count = 0;
  severity: Severity;
  declare readonly message: string;
  constructor(
    readonly kind: string,
    first: Diagnostic,
    readonly span: Span,
  ) {
    this.severity = first.severity;
    // Written when read, not at every bump (a file can have a hundred thousand); an own enumerable
    // property all the same, so that a copy ({ ...d }, JSON) has it.
    Object.defineProperty(this, 'message', {
      enumerable: true,
      get: () => `${this.count} more '${this.kind}' ${this.count === 1 ? 'diagnostic' : 'diagnostics'} in this file, from here on, are not shown: only the first ${DIAGNOSTICS_PER_KIND} of each kind are`,
    });
  }
  /** One more left out. */
  bump(severity: Severity): void {
    this.count++;
    if (rank[severity] > rank[this.severity]) this.severity = severity;
  }
}

const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Collects diagnostics through a whole run. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];
  /** Per file, per code: how many were kept, or the overflow standing for the rest. */
  private readonly perKind = new Map<SourceFile, Map<string, number | Overflow>>();

  add(d: Diagnostic): void {
    this.push(d);
  }
  error(code: string, message: string, span?: Span, extra?: Partial<Diagnostic>): void {
    this.push({ code, severity: 'error', message, span, ...extra });
  }
  warning(code: string, message: string, span?: Span, extra?: Partial<Diagnostic>): void {
    this.push({ code, severity: 'warning', message, span, ...extra });
  }
  info(code: string, message: string, span?: Span, extra?: Partial<Diagnostic>): void {
    this.push({ code, severity: 'info', message, span, ...extra });
  }
  /**
   * Whether a diagnostic of this kind at this place would still be shown: a
   * caller whose message is costly to build (a closest-keyword search) asks
   * first. Those past the limit are still counted.
   */
  wants(code: string, span: Span | undefined): boolean {
    if (!span) return true;
    const n = this.perKind.get(span.file)?.get(code);
    return n === undefined || (typeof n === 'number' && n < DIAGNOSTICS_PER_KIND);
  }
  private push(d: Diagnostic): void {
    if (!d.span || d instanceof Overflow) {
      this.items.push(d);
      return;
    }
    let kinds = this.perKind.get(d.span.file);
    if (!kinds) this.perKind.set(d.span.file, (kinds = new Map()));
    const n = kinds.get(d.code) ?? 0;
    if (typeof n === 'number' && n < DIAGNOSTICS_PER_KIND) {
      kinds.set(d.code, n + 1);
      this.items.push(d);
      return;
    }
    let o = n;
    if (typeof o === 'number') {
      o = new Overflow(d.code, d, d.span);
      kinds.set(d.code, o);
      this.items.push(o);
    }
    o.bump(d.severity);
  }
  /** Counts one diagnostic that was left out without being built (see `wants`). */
  skipped(code: string, severity: Severity, span: Span): void {
    // Past the limit the overflow is counted in place: a file can have a hundred thousand of them.
    const o = this.perKind.get(span.file)?.get(code);
    if (o instanceof Overflow) o.bump(severity);
    else this.push({ code, severity, message: '', span });
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
  count(severity: Severity): number {
    return this.items.filter((d) => d.severity === severity).length;
  }
  /** Sorted by file (in reading order), then position, then insertion: stable output for goldens. */
  sorted(): Diagnostic[] {
    return sortDiagnostics(this.items);
  }
}

/**
 * Ranks file paths by the order they were first read: the entry file first,
 * then what it includes, then scripts. A path read for several nodes keeps
 * one rank, so its diagnostics stay together; the order never depends on
 * where the files sit on disk (sorting by absolute path did).
 */
export function fileRanks(files: Iterable<SourceFile | undefined>): (file: SourceFile | undefined) => number {
  const rank = new Map<string, number>();
  for (const f of files) if (f && !(rank.get(f.path)! <= f.order)) rank.set(f.path, f.order);
  return (f) => (f ? rank.get(f.path) ?? f.order : -1);
}

export function sortDiagnostics(items: readonly Diagnostic[]): Diagnostic[] {
  const rank = fileRanks(items.map((d) => d.span?.file));
  return items
    .map((d, i) => ({ d, i, f: rank(d.span?.file), s: d.span?.start ?? -1 }))
    .sort((a, b) => a.f - b.f || a.s - b.s || a.i - b.i)
    .map((x) => x.d);
}

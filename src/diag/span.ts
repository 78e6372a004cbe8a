/**
 * Source files and spans. Positions travel as offsets into the text of the
 * file they were written in; they become line:column only when rendered
 * (as graphql-js does). A span always points into an *original* file, never
 * into text produced by includes, parameter substitution or generators.
 */

let filesRead = 0;

/** One file as read from disk (or from a host). `text` is exactly what was read. */
export class SourceFile {
  private lineStartsCache: number[] | undefined;
  /**
   * The order in which files were read (the entry file first, then what it
   * includes, then scripts): diagnostics are sorted by it, so their order does
   * not depend on where the files sit on disk.
   */
  readonly order = filesRead++;

  constructor(
    /** Path as the user or the including file named it (resolved). */
    readonly path: string,
    /** The file's text, byte for byte decoded as UTF-8 (BOM included if present). */
    readonly text: string,
  ) {}

  /** Offsets at which each line starts (line 1 starts at 0). */
  get lineStarts(): number[] {
    if (!this.lineStartsCache) {
      const starts = [0];
      const t = this.text;
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStartsCache = starts;
    }
    return this.lineStartsCache;
  }

  /** 1-based line and column of an offset. Columns count UTF-16 units, tabs as one. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    // A BOM at the start of the file is not a column the user can see.
    const bom = lo === 0 && this.text.charCodeAt(0) === 0xfeff && offset > 0 ? 1 : 0;
    return { line: lo + 1, column: offset - starts[lo] + 1 - bom };
  }

  /** The text of a 1-based line, without its line ending. */
  lineText(line: number): string {
    const starts = this.lineStarts;
    const start = starts[line - 1] ?? this.text.length;
    let end = line < starts.length ? starts[line] - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    let s = this.text.slice(start, Math.max(start, end));
    if (line === 1 && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    return s;
  }
}

/** A half-open range [start, end) of offsets in one original file. */
export interface Span {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
}

/** A rendered position: what users and JSON consumers see. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function locate(span: Span): Location {
  const a = span.file.position(span.start);
  const b = span.file.position(Math.max(span.start, span.end));
  return { file: span.file.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

export function spanText(span: Span): string {
  return span.file.text.slice(span.start, span.end);
}

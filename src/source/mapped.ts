/**
 * MappedText: a string whose every character remembers two places in the
 * original files:
 *  - where it was *written* (for text substituted from `$NAME=value`, inside
 *    the definition's value), and
 *  - the *site* where it entered the current line (for substituted text, the
 *    `$NAME` reference; for ordinary text, the same as where it was written).
 * Text is kept as a list of pieces so that an unmodified line costs one piece.
 * Invariant: pieces are sorted, contiguous and cover [0, text.length).
 */
import type { SourceFile, Span } from '../diag/span.js';

export interface Piece {
  /** Start of the piece in `text`. */
  readonly start: number;
  readonly len: number;
  /** File and offset where the piece's first character was written (maps 1:1 over len). */
  readonly file: SourceFile;
  readonly offset: number;
  /** The site (use) span this piece came in through; equals the written range for verbatim text. */
  readonly site: Span;
  /**
   * Text written nowhere (a generator's value, a predefined name's): every
   * character maps to `offset` itself, the start of the reference that
   * brought it, instead of one place each. One piece for the whole value:
   * a value of seven digits was seven pieces, copied into every line it went
   * into (a hundred thousand generated lines made 700,000 of them).
   */
  readonly point?: true;
}

export class MappedText {
  /**
   * Most lines are text copied verbatim from one place of one file: they are
   * kept as (file, offset) and get their piece list only when asked, because
   * a large configuration has hundreds of thousands of them.
   */
  private piecesCache: readonly Piece[] | undefined;

  constructor(
    readonly text: string,
    pieces: readonly Piece[] | undefined,
    private readonly vfile?: SourceFile,
    private readonly voffset = 0,
  ) {
    this.piecesCache = pieces;
  }

  get pieces(): readonly Piece[] {
    this.piecesCache ??= this.buildPieces();
    return this.piecesCache;
  }

  /** The piece list of a text made without one (a verbatim text here; see BraceLines), built when first asked. */
  protected buildPieces(): readonly Piece[] {
    const file = this.vfile!;
    const o = this.voffset;
    return this.text.length ? [{ start: 0, len: this.text.length, file, offset: o, site: { file, start: o, end: o + this.text.length } }] : [];
  }

  /** Text written verbatim at `offset` in `file`. */
  static verbatim(file: SourceFile, offset: number, text: string): MappedText {
    if (!text.length) return EMPTY;
    return new MappedText(text, undefined, file, offset);
  }

  /** The file and offset of a verbatim text (one piece, written where used); undefined otherwise. */
  get verbatimAt(): { file: SourceFile; offset: number } | undefined {
    return this.vfile ? { file: this.vfile, offset: this.voffset } : undefined;
  }

  static concat(parts: readonly MappedText[]): MappedText {
    const nonEmpty = parts.filter((p) => p.text.length);
    if (nonEmpty.length === 1) return nonEmpty[0];
    let text = '';
    const pieces: Piece[] = [];
    for (const p of nonEmpty) {
      const base = text.length;
      for (const pc of p.pieces) pieces.push(base ? { ...pc, start: pc.start + base } : pc);
      text += p.text;
    }
    return new MappedText(text, pieces);
  }

  get length(): number {
    return this.text.length;
  }

  /** The index of the piece holding character i (i < length). */
  private pieceIndex(i: number): number {
    const ps = this.pieces;
    let lo = 0;
    let hi = ps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ps[mid].start <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  slice(a: number, b: number = this.text.length): MappedText {
    a = Math.max(0, Math.min(a, this.text.length));
    b = Math.max(a, Math.min(b, this.text.length));
    if (a === 0 && b === this.text.length) return this;
    if (a === b) return EMPTY;
    if (this.vfile) return new MappedText(this.text.slice(a, b), undefined, this.vfile, this.voffset + a);
    const out: Piece[] = [];
    for (let k = this.pieceIndex(a); k < this.pieces.length; k++) {
      const p = this.pieces[k];
      if (p.start >= b) break;
      const s = Math.max(a, p.start);
      const e = Math.min(b, p.start + p.len);
      if (e <= s) continue;
      const offset = writtenAt(p, s);
      if (p.point) out.push({ start: s - a, len: e - s, file: p.file, offset, site: p.site, point: true });
      else out.push({ start: s - a, len: e - s, file: p.file, offset, site: isVerbatim(p) ? { file: p.file, start: offset, end: offset + (e - s) } : p.site });
    }
    return new MappedText(this.text.slice(a, b), out);
  }

  /** Replaces [a, b) with `insert`, whose characters enter through `site`. */
  replace(a: number, b: number, insert: MappedText, site: Span): MappedText {
    const ins = insert.withSite(site);
    return MappedText.concat([this.slice(0, a), ins, this.slice(b)]);
  }

  /** The last span siteSpan() gave for a verbatim text. */
  private lastSpan: Span | undefined;

  /** The last withSite() result: a definition's lines re-enter through the same site again and again. */
  private sited: { site: Span; text: MappedText } | undefined;

  /** The same text with every piece's site set to `site` (text that came in through one reference). */
  withSite(site: Span): MappedText {
    if (this.sited?.site === site) return this.sited.text;
    const text = new MappedText(
      this.text,
      this.pieces.map((p) => ({ ...p, site })),
    );
    this.sited = { site, text };
    return text;
  }

  /** The site span of the characters [a, b): where the user sees them used. */
  siteSpan(a: number, b: number): Span {
    if (this.vfile) {
      const s = this.voffset + Math.min(a, this.text.length);
      const e = Math.max(s, this.voffset + Math.min(b, this.text.length));
      // The same span object for the same range: a generator's line is read once per value, and what
      // came in through a reference there is cached by its site (withSite).
      const last = this.lastSpan;
      if (last && last.start === s && last.end === e) return last;
      return (this.lastSpan = { file: this.vfile, start: s, end: e });
    }
    if (!this.pieces.length) throw new Error('siteSpan of empty text');
    const first = this.pieces[this.pieceIndex(Math.min(a, this.text.length - 1))];
    const last = this.pieces[this.pieceIndex(Math.max(a, Math.min(b, this.text.length) - 1))];
    const startOf = (p: Piece, i: number) => (isVerbatim(p) ? writtenAt(p, i) : p.site.start);
    const endOf = (p: Piece, i: number) => (isVerbatim(p) ? writtenAt(p, i) : p.site.end);
    if (first.site.file !== last.site.file) return first.site;
    // All of it came in through one reference: that reference's own span (the
    // same object each time, so that what is cached by site is found again).
    if (first === last && !isVerbatim(first)) return first.site;
    const start = startOf(first, a);
    const end = Math.max(start, isVerbatim(last) ? endOf(last, b) : last.site.end);
    return { file: first.site.file, start, end };
  }

  /**
   * The span where the characters [a, b) were written, if they were written
   * contiguously in one file; otherwise undefined (text assembled from parts).
   */
  writtenSpan(a: number, b: number): Span | undefined {
    if (a >= b || !this.text.length) return undefined;
    if (this.vfile) return this.siteSpan(a, b);
    const k0 = this.pieceIndex(a);
    const p0 = this.pieces[k0];
    const start = writtenAt(p0, a);
    let end = start;
    for (let k = k0; k < this.pieces.length; k++) {
      const p = this.pieces[k];
      if (p.start >= b) break;
      const s = Math.max(a, p.start);
      const e = Math.min(b, p.start + p.len);
      const ws = writtenAt(p, s);
      if (p.file !== p0.file || ws !== end) return undefined;
      // Two characters of computed text are not written one after the other: they share one place.
      if (p.point && e - s > 1) return undefined;
      end = ws + (e - s);
    }
    return { file: p0.file, start, end };
  }

  /** True when [a, b) entered through substitution somewhere. */
  isSubstituted(a: number, b: number): boolean {
    if (this.vfile) return false;
    for (let k = this.pieceIndex(a); k < this.pieces.length; k++) {
      const p = this.pieces[k];
      if (p.start >= b) break;
      if (!isVerbatim(p)) return true;
    }
    return false;
  }
}

/**
 * `n` opening braces written one after another at `offset` of `file`, each a
 * line of its own: the text is the braces joined by newlines, as the parser
 * joins lines, so it reads exactly as `n` one-brace lines would. keepalived
 * cuts a line at every brace, and the expander cannot join `{` to `{` in one
 * text (`{{` would be a placeholder to the lexer): a line of a million `{`
 * was a million texts, their place in the parser's offset table and a
 * million entries in its join, most of the time such a line took, most of
 * it spent collecting them. Character 2i is brace i; the newline after it
 * maps to where the next brace was written (where keepalived cut).
 * Positions are computed, never stored: `pieces` is built only if asked.
 */
export class BraceLines extends MappedText {
  constructor(
    private readonly file: SourceFile,
    private readonly offset: number,
    n: number,
  ) {
    super(`${'{\n'.repeat(n - 1)}{`, undefined);
  }

  /** Where character x was written: brace i at offset + i, its newline at offset + i + 1. */
  private at(x: number): number {
    return this.offset + ((x + 1) >> 1);
  }

  protected override buildPieces(): readonly Piece[] {
    const out: Piece[] = [];
    for (let x = 0; x < this.text.length; x++) {
      const o = this.at(x);
      out.push({ start: x, len: 1, file: this.file, offset: o, site: { file: this.file, start: o, end: o + 1 } });
    }
    return out;
  }

  override siteSpan(a: number, b: number): Span {
    const last = this.text.length - 1;
    const x = Math.max(0, Math.min(a, last));
    const y = Math.max(x, Math.min(b, this.text.length) - 1);
    return { file: this.file, start: this.at(x), end: this.at(y) + 1 };
  }

  override writtenSpan(a: number, b: number): Span | undefined {
    return a >= b ? undefined : this.siteSpan(a, b);
  }

  override isSubstituted(_a: number, _b: number): boolean {
    return false;
  }
}

function isVerbatim(p: Piece): boolean {
  return !p.point && p.site.file === p.file && p.site.start === p.offset && p.site.end === p.offset + p.len;
}

/** Where character i (in the text, inside p) was written. */
function writtenAt(p: Piece, i: number): number {
  return p.point ? p.offset : p.offset + (i - p.start);
}

export const EMPTY = new MappedText('', []);

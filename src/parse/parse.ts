/**
 * The public parse(): expanded logical lines in, AST with original spans out.
 * Lexing and parsing run over the logical lines joined by newlines; every
 * token offset is mapped back through the line's MappedText to the file,
 * line and column where it was written.
 */
import { type ILexingError, type IToken, createTokenInstance } from 'chevrotain';
import type { Diagnostics } from '../diag/diagnostic.js';
import type { SourceFile, Span } from '../diag/span.js';
import { GeneratedLines } from '../source/generated.js';
import type { MappedText } from '../source/mapped.js';
import type { Block, ConfigAst, Statement, Word } from './ast.js';
import { type RawBlock, type RawStatement, getParser } from './parser.js';
import { scan } from './scan.js';
import { LBrace, Newline, RBrace, Unterminated, getLexer } from './tokens.js';
import { needsUnescape, unescapeWord } from './words.js';

/** Closing braces added where the file forgot them. */
const synthetic = new WeakSet<IToken>();

/**
 * Maps offsets of the joined text back to original files. A text of
 * generated lines (GeneratedLines) counts as its lines, each mapped as it
 * would be alone, built when a token in it is mapped.
 */
class OffsetMap {
  readonly text: string;
  private readonly starts: number[] = [];
  /** The text each line is, or is in; for a line of generated lines, which of them in `inner`. */
  private readonly lines: MappedText[] = [];
  private readonly inner: number[] = [];

  /** Set when the text is one verbatim piece of one file: offsets map by addition. */
  readonly direct: { file: SourceFile; offset: number } | undefined;

  constructor(lines: readonly MappedText[]) {
    this.direct = lines.length === 1 ? lines[0].verbatimAt : undefined;
    let pos = 0;
    for (const l of lines) {
      if (l instanceof GeneratedLines) {
        for (let j = 0; j < l.count; j++) {
          this.starts.push(pos + l.starts[j]);
          this.lines.push(l);
          this.inner.push(j);
        }
      } else {
        this.starts.push(pos);
        this.lines.push(l);
        this.inner.push(-1);
      }
      pos += l.length + 1;
    }
    this.text = lines.map((l) => l.text).join('\n');
  }

  /** Tokens are mapped in file order: remember where the last one was. */
  private cursor = 0;

  private lineOf(offset: number): number {
    const s = this.starts;
    const c = this.cursor;
    if (s[c] <= offset && (c + 1 >= s.length || s[c + 1] > offset)) return c;
    if (c + 1 < s.length && s[c + 1] <= offset && (c + 2 >= s.length || s[c + 2] > offset)) return (this.cursor = c + 1);
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.cursor = lo);
  }

  /** Written span and (if substituted) site span of [start, end) in the joined text. */
  map(start: number, end: number): { span: Span; site?: Span } {
    const k = this.lineOf(start);
    const l = this.lines[k];
    const mt = this.inner[k] < 0 ? l : (l as GeneratedLines).line(this.inner[k]);
    const a = start - this.starts[k];
    const b = Math.min(end - this.starts[k], mt.length);
    const site = mt.siteSpan(a, Math.max(a + 1, b));
    if (!mt.isSubstituted(a, b)) return { span: site };
    return { span: mt.writtenSpan(a, b) ?? site, site };
  }
}

/**
 * Text lexed at a time, cut at a newline (no token but Newline spans one, so
 * lexing in pieces gives exactly the tokens of lexing the whole), and tokens
 * parsed at a time, cut where a top-level line starts. Tokens and the parser's
 * raw statements then die young instead of living until the whole file is
 * parsed: on a file of a million short lines that halves the time spent
 * collecting garbage.
 * A piece is sized by the tokens it is expected to hold, from the characters
 * per token of the piece before: a piece's tokens are alive while it is
 * parsed, and on a file of one-character lines 64 KiB of text is 64 Ki tokens
 * that outlive young-generation collections (each one copies them), where on
 * a real configuration (five or more characters a token) it is about ten
 * thousand. Measured in five alternating runs on a megabyte of one-character
 * lines, pieces of about 4 Ki tokens took about 8% less time than 64 KiB
 * pieces (from 2% more to 14% less); on 1.7 MB of real vrrp_instances the
 * two were level.
 */
export interface ParseChunks {
  /** Most characters lexed at a time (then up to the next newline). */
  lexChars: number;
  /** Tokens a lexed piece is sized to hold, by the density of the piece before (then bounded by lexChars). */
  lexTokens: number;
  /** Tokens parsed at a time (then up to the next top-level line). */
  parseTokens: number;
}
const CHUNKS: ParseChunks = { lexChars: 1 << 16, lexTokens: 1 << 12, parseTokens: 4096 };

/**
 * Parses expanded lines. Problems go to `diags`; the AST is always returned.
 * `chunks` is for tests, which prove that every cut gives the same result.
 */
export function parse(lines: readonly MappedText[], diags: Diagnostics, chunks: ParseChunks = CHUNKS): ConfigAst {
  if (!lines.length) return { statements: [] };
  const map = new OffsetMap(lines);
  const text = map.text;
  const statements: Statement[] = [];
  const parser = getParser();
  const parseChunk = (tokens: IToken[]) => {
    if (!tokens.some(isBrace)) {
      linesOfWords(tokens, (words) => statements.push(toStatement({ words }, map, diags)));
      return;
    }
    parser.input = tokens;
    const raw = parser.config();
    for (const e of parser.errors) {
      const t = e.token;
      const at = Number.isFinite(t.startOffset) ? map.map(t.startOffset, (t.endOffset ?? t.startOffset) + 1).span : undefined;
      diags.error('syntax-error', e.message, at);
    }
    for (const s of raw) statements.push(toStatement(s, map, diags));
  };
  const balancer = new Balancer(map, diags, parseChunk, chunks.parseTokens);
  const lexer = getLexer();
  let piece = chunks.lexChars;
  for (let pos = 0; pos < text.length; ) {
    const cut = text.length - pos <= piece ? -1 : text.indexOf('\n', pos + piece - 1);
    const end = cut < 0 ? text.length : cut + 1;
    const slice = text.slice(pos, end);
    // The same tokens, found faster; chevrotain where it has an error to report (scan.ts).
    const scanned = scan(slice);
    const lexed = scanned ? { tokens: scanned, errors: NO_LEX_ERRORS } : lexer.tokenize(slice);
    piece = Math.max(1, Math.min(chunks.lexChars, Math.round((chunks.lexTokens * (end - pos)) / Math.max(1, lexed.tokens.length))));
    for (const e of lexed.errors) {
      // chevrotain's message gives an offset into the text it lexed, which means nothing to the reader.
      const at = pos + e.offset;
      const to = at + Math.max(1, e.length);
      diags.error('lex-error', lexErrorMessage(text.slice(at, to)), map.map(at, to).span);
    }
    for (const t of lexed.tokens) {
      if (pos) {
        t.endOffset = (t.endOffset ?? t.startOffset) + pos;
        t.startOffset += pos;
      }
      balancer.push(t);
    }
    pos = end;
  }
  balancer.end();
  return { statements };
}

const NO_LEX_ERRORS: ILexingError[] = [];

const isBrace = (t: IToken) => t.tokenType === LBrace || t.tokenType === RBrace;

/**
 * Tokens with no brace in them are lines of words, and the grammar has
 * nothing else to say about them: every run of words between newlines is a
 * statement, and no error is possible. Such runs skip the parser, which
 * spends most of its time per statement (rule calls, alternatives, recovery
 * bookkeeping); a file of short lines is mostly that. On a megabyte of
 * `\` lines, parse() took 300–430 ms this way and 400–500 ms through the
 * parser (three alternating runs of four). parse-chunks.test.ts checks that
 * both ways give the same statements.
 */
function linesOfWords(tokens: readonly IToken[], line: (words: IToken[]) => void): void {
  let words: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType !== Newline) words.push(t);
    else if (words.length) {
      line(words);
      words = [];
    }
  }
  if (words.length) line(words);
}

/**
 * Only a space of Unicode's that is not one of the blanks the lexer skips
 * fails every token: keepalived, which splits words at ASCII blanks only,
 * reads it as part of a word.
 */
function lexErrorMessage(bad: string): string {
  const chars = [...bad];
  const codes = chars.slice(0, 8).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
  return `unexpected character${chars.length > 1 ? 's' : ''} ${codes}${chars.length > 8 ? ' …' : ''}: a Unicode space, which keepalived does not take for a blank (it reads it as a word character); replace it with a space`;
}

/**
 * Blocks nested deeper than this are dropped, with an error. keepalived's
 * deepest block is five levels down (virtual_server, real_server, a checker,
 * url, ...); the parser, the AST walkers and the keyword check all recurse
 * once per level, so ten thousand '{' would overflow the stack.
 */
export const MAX_NESTING = 100;

/**
 * Drops newlines that separate a line from its '{', and balances braces:
 * an extra '}' is reported and dropped; a '{' never closed is reported at the
 * '{' (keepalived itself gives no line for it) and closed at the end. A block
 * opened more than MAX_NESTING deep is reported and dropped whole.
 * Tokens stream in; balanced tokens go out to `parse` in runs that end at a
 * top-level line (outside every block, after a newline, at a word: the line
 * before it cannot take a '{' any more).
 */
class Balancer {
  private out: IToken[] = [];
  private readonly open: { tok: IToken; keyword?: IToken }[] = [];
  /** Depth inside a dropped, too deep block (0: not dropping). */
  private dropping = 0;

  constructor(
    private readonly map: OffsetMap,
    private readonly diags: Diagnostics,
    private readonly parse: (tokens: IToken[]) => void,
    private readonly parseTokens: number,
  ) {}

  push(t: IToken): void {
    const out = this.out;
    const open = this.open;
    if (this.dropping) {
      if (t.tokenType === LBrace) this.dropping++;
      else if (t.tokenType === RBrace && !--this.dropping) this.breakLine(t);
      return;
    }
    if (t.tokenType === LBrace && open.length >= MAX_NESTING) {
      this.diags.error('nesting-too-deep', `blocks nested more than ${MAX_NESTING} deep: this block and everything in it are ignored`, this.map.map(t.startOffset, t.startOffset + 1).span);
      this.dropping = 1;
      this.breakLine(t);
      return;
    }
    if (t.tokenType === LBrace) {
      while (out.length && out[out.length - 1].tokenType === Newline) out.pop();
      let k = out.length - 1;
      while (k >= 0 && out[k].tokenType !== Newline && out[k].tokenType !== LBrace && out[k].tokenType !== RBrace) k--;
      open.push({ tok: t, keyword: out[k + 1] && out[k + 1] !== t ? out[k + 1] : undefined });
    } else if (t.tokenType === RBrace) {
      if (!open.length) {
        this.diags.error('extra-closing-brace', "extra '}': no block is open here", this.map.map(t.startOffset, t.startOffset + 1).span);
        this.breakLine(t);
        return;
      }
      open.pop();
    } else if (out.length >= this.parseTokens && !open.length && t.tokenType !== Newline && out[out.length - 1].tokenType === Newline) {
      this.parse(out);
      this.out = [t];
      return;
    }
    out.push(t);
  }

  /**
   * A dropped brace's line break, unless the tokens already end with one: a
   * second one in a row ends no more lines, and half a million stray '}'
   * kept half a million of them alive until the next word.
   */
  private breakLine(brace: IToken): void {
    const out = this.out;
    if (!out.length || out[out.length - 1].tokenType !== Newline) out.push(lineBreakAt(brace));
  }

  end(): void {
    const open = this.open;
    const end = this.map.text.length;
    for (let k = open.length - 1; k >= 0; k--) {
      const { tok, keyword } = open[k];
      const what = keyword ? `'${keyword.image}' block` : 'block';
      this.diags.error('unclosed-block', `${what} opened here is never closed: '}' is missing`, this.map.map(tok.startOffset, tok.startOffset + 1).span, {
        hint: 'keepalived reads everything after it as part of this block, and reports no line for it',
      });
      const close = createTokenInstance(RBrace, '}', end, end, NaN, NaN, NaN, NaN);
      synthetic.add(close);
      this.out.push(close);
    }
    if (this.out.length) this.parse(this.out);
    this.out = [];
  }
}

/**
 * What a dropped brace leaves: keepalived cuts a line at every brace, so the
 * words before and after it are on lines of their own even when the brace
 * itself is ignored.
 */
function lineBreakAt(brace: IToken): IToken {
  return createTokenInstance(Newline, '\n', brace.startOffset, brace.startOffset, NaN, NaN, NaN, NaN);
}

/**
 * A word is its own span (file, start, end): one object per word instead of
 * two, which matters for configurations with hundreds of thousands of words.
 */
class WordNode implements Word, Span {
  constructor(
    readonly value: string,
    readonly raw: string,
    readonly quoted: boolean,
    readonly file: SourceFile,
    readonly start: number,
    readonly end: number,
    readonly site?: Span,
  ) {}
  get span(): Span {
    return this;
  }
}

/**
 * Most words are neither quoted nor escaped nor substituted: their value is
 * their text and their span is all they carry. Four fields instead of seven
 * (56 bytes instead of 80 on 64-bit Node), which is most of what a parsed
 * file keeps alive: a megabyte of one-word lines is half a million of them.
 */
class PlainWord implements Word, Span {
  constructor(
    readonly value: string,
    readonly file: SourceFile,
    readonly start: number,
    readonly end: number,
  ) {}
  get raw(): string {
    return this.value;
  }
  get quoted(): boolean {
    return false;
  }
  get site(): Span | undefined {
    return undefined;
  }
  get span(): Span {
    return this;
  }
}

/**
 * A line that is one plain word and no block is that word, its span and its
 * statement in one object. Files of one-word lines are the slowest input per
 * megabyte, and the AST lives until the model is built: four objects a line
 * ({words}, the array, its store, the word) all survived, and the
 * collector copies and marks survivors. On a megabyte of `$` lines, parse()
 * took about 280 ms when statements were dropped at once, 540–700 ms when
 * kept, and 340–430 ms with one object a line (three alternating runs).
 * `words` is made on each read; nothing writes to a statement's words.
 */
class PlainLine extends PlainWord implements Statement {
  get words(): Word[] {
    return [this];
  }
}

/** A line of one word that is not plain (quoted, escaped, substituted): the same one object a line as PlainLine. */
class WordLine extends WordNode implements Statement {
  get words(): Word[] {
    return [this];
  }
}

function toWord(t: IToken, map: OffsetMap, diags: Diagnostics, line = false): Word {
  const image = t.image;
  const end = t.startOffset + image.length;
  const direct = map.direct;
  let file: SourceFile;
  let start: number;
  let stop: number;
  let site: Span | undefined;
  if (direct) {
    file = direct.file;
    start = direct.offset + t.startOffset;
    stop = direct.offset + end;
  } else {
    const m = map.map(t.startOffset, end);
    ({ file, start, end: stop } = m.span);
    site = m.site;
  }
  // An Unterminated word always holds a quote, so it is never plain.
  if (!site && !needsUnescape(image)) return line ? new PlainLine(image, file, start, stop) : new PlainWord(image, file, start, stop);
  const { value, quoted } = unescapeWord(image);
  const w = line ? new WordLine(value, image, quoted, file, start, stop, site) : new WordNode(value, image, quoted, file, start, stop, site);
  if (t.tokenType === Unterminated) {
    // Past the limit only counted: a file of '"' lines has one on every line. (Read directly, the
    // quote is in the word's file; through a map it could be in another, whose count is another.)
    if (direct && !diags.wants('unterminated-quote', w)) {
      diags.skipped('unterminated-quote', 'error', w);
      return w;
    }
    // At the quote, which may follow part of the word (ab"c).
    let q = 0;
    while (q < t.image.length && t.image[q] !== '"' && t.image[q] !== "'") q += t.image[q] === '\\' ? 2 : 1;
    const at = direct ? { file: direct.file, start: w.start + q, end: w.end } : map.map(t.startOffset + q, end).span;
    diags.error('unterminated-quote', 'unterminated quoted string', at);
  }
  return w;
}

function toStatement(s: RawStatement, map: OffsetMap, diags: Diagnostics): Statement {
  if (!s.block && s.words.length === 1) {
    return toWord(s.words[0], map, diags, true) as PlainLine | WordLine;
  }
  const words = s.words.map((w) => toWord(w, map, diags));
  if (!s.block) return { words };
  return { words, block: toBlock(s.block, map, diags) };
}

function toBlock(b: RawBlock, map: OffsetMap, diags: Diagnostics): Block {
  const open = map.map(b.open.startOffset, b.open.startOffset + 1).span;
  if (b.stray) diags.error('unexpected-block', "'{' here follows no keyword; keepalived ignores it", open);
  const statements = b.statements.map((s) => toStatement(s, map, diags));
  if (synthetic.has(b.close) || b.close.isInsertedInRecovery) return { open, statements };
  return { open, close: map.map(b.close.startOffset, b.close.startOffset + 1).span, statements };
}

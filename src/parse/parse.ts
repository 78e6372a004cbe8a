/**
 * The public parse(): expanded logical lines in, AST with original spans out.
 * Lexing and parsing run over the logical lines joined by newlines; every
 * token offset is mapped back through the line's MappedText to the file,
 * line and column where it was written.
 */
import { type IToken, createTokenInstance } from 'chevrotain';
import type { Diagnostics } from '../diag/diagnostic.js';
import type { SourceFile, Span } from '../diag/span.js';
import type { MappedText } from '../source/mapped.js';
import type { Block, ConfigAst, Statement, Word } from './ast.js';
import { type RawBlock, type RawStatement, getParser } from './parser.js';
import { LBrace, Newline, RBrace, Unterminated, getLexer } from './tokens.js';
import { unescapeWord } from './words.js';

/** Closing braces added where the file forgot them. */
const synthetic = new WeakSet<IToken>();

/** Maps offsets of the joined text back to original files. */
class OffsetMap {
  readonly text: string;
  private readonly starts: number[] = [];

  /** Set when the text is one verbatim piece of one file: offsets map by addition. */
  readonly direct: { file: SourceFile; offset: number } | undefined;

  constructor(private readonly lines: readonly MappedText[]) {
    this.direct = lines.length === 1 ? lines[0].verbatimAt : undefined;
    let pos = 0;
    for (const l of lines) {
      this.starts.push(pos);
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
    const mt = this.lines[k];
    const a = start - this.starts[k];
    const b = Math.min(end - this.starts[k], mt.length);
    const site = mt.siteSpan(a, Math.max(a + 1, b));
    if (!mt.isSubstituted(a, b)) return { span: site };
    return { span: mt.writtenSpan(a, b) ?? site, site };
  }
}

/** Parses expanded lines. Problems go to `diags`; the AST is always returned. */
export function parse(lines: readonly MappedText[], diags: Diagnostics): ConfigAst {
  if (!lines.length) return { statements: [] };
  const map = new OffsetMap(lines);
  const lexed = getLexer().tokenize(map.text);
  for (const e of lexed.errors) {
    diags.error('lex-error', e.message, map.map(e.offset, e.offset + Math.max(1, e.length)).span);
  }
  const tokens = balance(lexed.tokens, map, diags);
  const parser = getParser();
  parser.input = tokens;
  const raw = parser.config();
  for (const e of parser.errors) {
    const t = e.token;
    const at = Number.isFinite(t.startOffset) ? map.map(t.startOffset, (t.endOffset ?? t.startOffset) + 1).span : undefined;
    diags.error('syntax-error', e.message, at);
  }
  return { statements: raw.map((s) => toStatement(s, map, diags)) };
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
 */
function balance(input: IToken[], map: OffsetMap, diags: Diagnostics): IToken[] {
  const out: IToken[] = [];
  const open: { tok: IToken; keyword?: IToken }[] = [];
  /** Depth inside a dropped, too deep block (0: not dropping). */
  let dropping = 0;
  for (const t of input) {
    if (dropping) {
      if (t.tokenType === LBrace) dropping++;
      else if (t.tokenType === RBrace) dropping--;
      continue;
    }
    if (t.tokenType === LBrace && open.length >= MAX_NESTING) {
      diags.error('nesting-too-deep', `blocks nested more than ${MAX_NESTING} deep: this block and everything in it are ignored`, map.map(t.startOffset, t.startOffset + 1).span);
      dropping = 1;
      continue;
    }
    if (t.tokenType === LBrace) {
      while (out.length && out[out.length - 1].tokenType === Newline) out.pop();
      let k = out.length - 1;
      while (k >= 0 && out[k].tokenType !== Newline && out[k].tokenType !== LBrace && out[k].tokenType !== RBrace) k--;
      open.push({ tok: t, keyword: out[k + 1] && out[k + 1] !== t ? out[k + 1] : undefined });
    } else if (t.tokenType === RBrace) {
      if (!open.length) {
        diags.error('extra-closing-brace', "extra '}': no block is open here", map.map(t.startOffset, t.startOffset + 1).span);
        continue;
      }
      open.pop();
    }
    out.push(t);
  }
  const end = map.text.length;
  for (let k = open.length - 1; k >= 0; k--) {
    const { tok, keyword } = open[k];
    const what = keyword ? `'${keyword.image}' block` : 'block';
    diags.error('unclosed-block', `${what} opened here is never closed: '}' is missing`, map.map(tok.startOffset, tok.startOffset + 1).span, {
      hint: 'keepalived reads everything after it as part of this block, and reports no line for it',
    });
    const close = createTokenInstance(RBrace, '}', end, end, NaN, NaN, NaN, NaN);
    synthetic.add(close);
    out.push(close);
  }
  return out;
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

function toWord(t: IToken, map: OffsetMap, diags: Diagnostics): Word {
  const end = t.startOffset + t.image.length;
  const { value, quoted } = unescapeWord(t.image);
  let w: WordNode;
  const direct = map.direct;
  if (direct) {
    w = new WordNode(value, t.image, quoted, direct.file, direct.offset + t.startOffset, direct.offset + end);
  } else {
    const { span, site } = map.map(t.startOffset, end);
    w = new WordNode(value, t.image, quoted, span.file, span.start, span.end, site);
  }
  if (t.tokenType === Unterminated) diags.error('unterminated-quote', 'unterminated quoted string', w.span);
  return w;
}

function toStatement(s: RawStatement, map: OffsetMap, diags: Diagnostics): Statement {
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

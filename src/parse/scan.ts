/**
 * The lexer's tokens (tokens.ts), found by looking at the first character
 * instead of trying the patterns in turn. chevrotain cannot index our
 * patterns by their first character (a Word starts with any character but a
 * few), so it tries Word, then Blank, then Newline... at every position: two
 * failed regular expressions for every line break. On a megabyte of short
 * lines lexing was a fifth of the front end's time.
 *
 * The result is exactly what `getLexer().tokenize(text)` gives (the same
 * token objects: image, startOffset, tokenTypeIdx, tokenType), because the
 * first character alone decides which pattern chevrotain's first match can
 * be: a line break can only be a Newline, a blank only a Blank, `#` and `!`
 * only a Comment, `}` only an RBrace, `{` a Word when a `{{ }}` or `{% %}`
 * placeholder closes on its line and an LBrace otherwise; anything else is a
 * Word, or else an Unterminated quote. Where none matches (a Unicode space
 * that is no blank) chevrotain reports an error: `scan` then gives up and
 * returns undefined, and the caller lexes with chevrotain, so errors keep
 * its wording and recovery. test/unit/scan.test.ts compares the two.
 */
import type { IToken, TokenType } from 'chevrotain';
import { LBrace, Newline, RBrace, Unterminated, Word, getLexer } from './tokens.js';

let patterns: { word: RegExp; unterminated: RegExp } | undefined;

function sticky(t: TokenType): RegExp {
  return new RegExp((t.PATTERN as RegExp).source, 'y');
}

/** The tokens chevrotain's lexer makes of `text`; undefined where it would report an error. */
export function scan(text: string): IToken[] | undefined {
  // The token types get their indexes when the lexer is built.
  if (!patterns) {
    getLexer();
    patterns = { word: sticky(Word), unterminated: sticky(Unterminated) };
  }
  const { word, unterminated } = patterns;
  const out: IToken[] = [];
  const n = text.length;
  for (let p = 0; p < n; ) {
    const c = text.charCodeAt(p);
    if (c === 10) {
      out.push(token('\n', p, Newline));
      p++;
      continue;
    }
    if (isBlank(c)) {
      p++;
      while (p < n && isBlank(text.charCodeAt(p))) p++;
      continue;
    }
    if (c === 35 || c === 33) {
      const e = text.indexOf('\n', p);
      p = e < 0 ? n : e;
      continue;
    }
    if (c === 125) {
      out.push(token('}', p, RBrace));
      p++;
      continue;
    }
    // A '{' is a Word only as the start of a `{{ }}` or `{% %}` that closes on its line.
    const brace = c === 123;
    const d = brace ? text.charCodeAt(p + 1) : 0;
    word.lastIndex = p;
    if ((!brace || d === 123 || d === 37) && word.test(text)) {
      out.push(token(text.slice(p, word.lastIndex), p, Word));
      p = word.lastIndex;
      continue;
    }
    if (brace) {
      out.push(token('{', p, LBrace));
      p++;
      continue;
    }
    unterminated.lastIndex = p;
    if (unterminated.test(text)) {
      out.push(token(text.slice(p, unterminated.lastIndex), p, Unterminated));
      p = unterminated.lastIndex;
      continue;
    }
    return undefined;
  }
  return out;
}

/** The lexer's Blank: `[ \t\r\f\v\u00a0\ufeff]`. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff;
}

/** A token as chevrotain's lexer makes it with `positionTracking: 'onlyOffset'`: the same fields, in the same order. */
function token(image: string, startOffset: number, tokenType: TokenType): IToken {
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx!, tokenType } as IToken;
}

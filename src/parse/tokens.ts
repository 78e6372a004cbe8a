/**
 * Tokens of keepalived's generic language: words (which may contain quoted
 * parts and backslash escapes, as keepalived's alloc_strvec_quoted_escaped()
 * reads them), braces, newlines and comments. No keyword is a token: keywords
 * live in the keyword table (src/keywords), never in the grammar.
 */
import { Lexer, createToken } from 'chevrotain';

export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true });
export const Blank = createToken({ name: 'Blank', pattern: /[ \t\r\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /[#!][^\n]*/, group: Lexer.SKIPPED });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });

/**
 * What a line's words are made of, for the parser: a Word or an Unterminated
 * one. One category instead of a choice between two tokens, so the parser
 * consumes a word without building alternatives for it.
 */
export const AnyWord = createToken({ name: 'AnyWord', pattern: Lexer.NA, label: 'word' });

/**
 * A word: runs of plain characters, "double-quoted" or 'single-quoted' parts,
 * backslash escapes, and template placeholders kept whole ({{ x }}, {% x %},
 * ${NAME}) so that they can be reported where they stand.
 */
export const Word = createToken({
  name: 'Word',
  categories: [AnyWord],
  // Plain characters first and as a run: most words are nothing else, and the
  // lexer tries this pattern first (it is by far the most frequent token).
  pattern:
    /(?:[^\s{}"'\\#!$]+|\$\{[A-Za-z_][A-Za-z0-9_]*(?: +\d+)*\}|\$|"(?:[^"\\\n]|\\[^\n])*"|'(?:[^'\\\n]|\\[^\n])*'|\\[^\n]|\\(?![^\n])|\{\{[^\n]*?\}\}|\{%[^\n]*?%\})+/,
  line_breaks: false,
  label: 'word',
});

/**
 * A quote that is never closed on its line: reported, then read as a word,
 * up to the line's last non-blank (keepalived's reader drops trailing blanks
 * before it splits words).
 */
export const Unterminated = createToken({ name: 'Unterminated', categories: [AnyWord], pattern: /(?:[^\s{}"'\\#!]|\\[^\n])*["'](?:[^\n\r]*[^\s])?/, label: 'unterminated string' });

// Word comes before the braces: `{{ x }}` and `${X}` are words, a lone brace is not.
export const allTokens = [Word, Blank, Newline, LBrace, RBrace, Comment, Unterminated, AnyWord];

let lexer: Lexer | undefined;
/** The lexer, built once and reused (building it validates every pattern). */
export function getLexer(): Lexer {
  lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });
  return lexer;
}

/**
 * The AST of a keepalived configuration: statements (lines of words) with
 * optional `{ }` blocks. It knows nothing of keywords; spans point into the
 * original files.
 */
import type { Span } from '../diag/span.js';

export interface Word {
  /** The value after quotes and escapes are processed, as keepalived reads it. */
  readonly value: string;
  /** The text as it stood in the expanded line. */
  readonly raw: string;
  /** Where it was written (inside a definition's value when it came from `$NAME`). */
  readonly span: Span;
  /** Where it was used, when that differs from `span` (a `$NAME` reference, a generator). */
  readonly site?: Span;
  /** Some part was quoted. */
  readonly quoted: boolean;
}

export interface Block {
  readonly open: Span;
  /** Absent when the block was never closed (a diagnostic says so). */
  readonly close?: Span;
  readonly statements: Statement[];
}

export interface Statement {
  /** The keyword is words[0]. */
  readonly words: Word[];
  readonly block?: Block;
}

export interface ConfigAst {
  readonly statements: Statement[];
}

/**
 * An AST as plain data, spans included, for tests that prove two ways of
 * reading a configuration give the same result.
 */
import type { Span } from '../../src/diag/span.js';
import type { Statement } from '../../src/parse/ast.js';

const at = (s: Span | undefined) => (s ? `${s.file.path}:${s.start}-${s.end}` : '-');

export function astShape(stmts: readonly Statement[]): unknown[] {
  return stmts.map((s) => ({
    words: s.words.map((w) => [w.value, w.raw, w.quoted, at(w.span), at(w.site)]),
    ...(s.block ? { open: at(s.block.open), close: at(s.block.close), block: astShape(s.block.statements) } : {}),
  }));
}

/**
 * Prints an AST back as keepalived.conf text: one statement per line, blocks
 * indented, words quoted only when keepalived would otherwise read them
 * differently. parse(print(ast)) gives the same statements (tested).
 */
import type { Statement } from './ast.js';

export function quoteWord(v: string): string {
  if (v.length && !/[\s"'\\{}#!]/.test(v) && !v.startsWith('@') && !v.startsWith('$') && !v.startsWith('~')) return v;
  return '"' + v.replace(/[\\"]/g, (c) => '\\' + c).replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r') + '"';
}

export function printStatements(stmts: readonly Statement[], indent = ''): string {
  const out: string[] = [];
  for (const s of stmts) {
    const head = s.words.map((w) => quoteWord(w.value)).join(' ');
    if (s.block) {
      out.push(`${indent}${head}${head ? ' ' : ''}{`);
      const inner = printStatements(s.block.statements, indent + '    ');
      if (inner) out.push(inner);
      out.push(`${indent}}`);
    } else out.push(indent + head);
  }
  return out.join('\n');
}

/**
 * A file with no line-level feature is lexed directly (isPlain); this test
 * proves that the direct path and keepalived's line-by-line path give the same
 * AST and the same diagnostics on every corpus file and fixture.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Diagnostics } from '../../src/diag/diagnostic.js';
import { renderDiagnostics } from '../../src/diag/render.js';
import { parse } from '../../src/parse/parse.js';
import { printStatements } from '../../src/parse/printer.js';
import { expand, isPlain } from '../../src/source/expand.js';
import { LocalFileSystem } from '../../src/source/files.js';
import { readFileSync } from 'node:fs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function confFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? confFiles(p) : [p];
  });
}

function run(file: string, lineByLine: boolean) {
  const diags = new Diagnostics();
  const ex = expand(file, { fs: new LocalFileSystem(), configId: 'node1', lineByLine }, diags);
  const ast = parse(ex.lines, diags);
  return { printed: printStatements(ast.statements), diags: renderDiagnostics(diags.sorted()) };
}

describe('direct lexing of plain files equals line-by-line reading', () => {
  const files = [...confFiles(resolve(ROOT, '..', 'shared', 'corpus')).filter((f) => !f.endsWith('.tsv') && !f.endsWith('.md')), ...confFiles(join(ROOT, 'fixtures')).filter((f) => /\.conf$/.test(f))];
  test('there are plain files among them, and non-plain ones', () => {
    const plain = files.filter((f) => isPlain(readFileSync(f, 'utf8')));
    expect(plain.length).toBeGreaterThan(10);
    expect(files.length - plain.length).toBeGreaterThan(10);
  });
  test.each(files.map((f) => [f.replace(resolve(ROOT, '..') + '/', ''), f]))('%s', (_name, file) => {
    expect(run(file, false)).toEqual(run(file, true));
  });
});

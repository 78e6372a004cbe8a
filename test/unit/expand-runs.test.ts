/**
 * The expander hands lines written one after another in one file to the
 * parser as one text (Expander.pushOut). That must never change what is
 * read: here the default reading is compared with `lineByLine` (every
 * logical line apart) on texts made of the characters that could glue a
 * brace to a word (quotes, backslashes, '$', placeholders, comments), on
 * fuzzed fragments and mutated corpus files: same statements, words, spans
 * and diagnostics.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Diagnostics } from '../../src/diag/diagnostic.js';
import { renderDiagnostics } from '../../src/diag/render.js';
import { parse } from '../../src/parse/parse.js';
import { expand } from '../../src/source/expand.js';
import { MemoryFileSystem } from '../../src/source/files.js';
import { astShape } from '../helpers/ast-shape.js';
import { ENTRY, type FuzzCase, corpusMutationArb, fragmentArb, includeArb, loadCorpus } from '../helpers/fuzz.js';

function read(c: FuzzCase, lineByLine: boolean) {
  const diags = new Diagnostics();
  const node = (c.nodes ?? [{ entry: ENTRY, configId: 'node1' }])[0];
  const ex = expand(node.entry, { fs: new MemoryFileSystem(new Map(Object.entries(c.files))), configId: node.configId, lineByLine }, diags);
  const ast = parse(ex.lines, diags);
  return { lines: ex.lines.length, ast: astShape(ast.statements), diags: renderDiagnostics(diags.sorted()) };
}

function same(c: FuzzCase): boolean {
  const joined = read(c, false);
  const apart = read(c, true);
  expect(joined.ast).toEqual(apart.ast);
  expect(joined.diags).toEqual(apart.diags);
  return joined.lines < apart.lines;
}

/** Lines of words, braces and the characters that matter at a cut. */
const PIECES = ['{', '}', '\u2028', '\r', '{{', '}}', '{%', '%}', ' ', ' ', '\t', '\n', '\n', 'a', 'vrrp_instance', 'x1', '"', "'", '\\', '$', '$X', '${X}', '${X 1}', '#c', '!', '@node1 ', '@node2 ', '@^node1 '];
const gluey = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((ps) => ({ files: { [ENTRY]: `$X=v\n\n${ps.join('')}\n` }, label: 'gluey' }) as FuzzCase);

const SEED = 11;
describe('lines joined in runs are read as the lines apart', () => {
  test('a file of short lines and braces is joined, and read the same', () => {
    const text = `vrrp_instance V {\n  state BACKUP\n  priority 100 }  # c\n${'{ } '.repeat(50)}\n$X=1\n\nk $X { x }\n`;
    expect(same({ files: { [ENTRY]: text }, label: 'fixed' })).toBe(true);
  });
  test('brace-glue characters at every cut', () => {
    let joinedSome = 0;
    fc.assert(fc.property(gluey, (c) => void (same(c) && joinedSome++)), { seed: SEED, numRuns: 5000 });
    expect(joinedSome).toBeGreaterThan(100);
  });
  test('fuzzed fragments and includes', () => {
    fc.assert(fc.property(fc.oneof(fragmentArb, includeArb), (c) => void same(c)), { seed: SEED, numRuns: 1000 });
  });
  test('mutated corpus files', () => {
    fc.assert(fc.property(corpusMutationArb(loadCorpus()), (c) => void same(c)), { seed: SEED, numRuns: 150 });
  });
});

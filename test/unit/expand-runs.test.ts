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
import { SourceFile } from '../../src/diag/span.js';
import { MemoryFileSystem } from '../../src/source/files.js';
import { BraceLines, MappedText } from '../../src/source/mapped.js';
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

/**
 * Whole lines, for the lines read straight from the file (readPlainLines):
 * each kind of line it must take or leave to the whole way.
 */
const LINES = ['x', 'a b', '\\', '\\\\', '\\\\\\', 'a\\', 'a\\\\', '\\ ', '\\a', '$', '$$', 'a$', '$X', '${X}', '$Y=2', '$M=\\', '"', "'", 'a"b', '"a b"', 'x ', ' x', '\tx', 'x #c', 'x!', '#c', '@node1 a', '@node2 a', '~SEQ(i,1,2) v $i', 'include /none', 'includex', '{', 'a {', '}', '{{ x }}', '', ' ', '\r', 'x\r', '\u2028', 'é', '\ufeff', 'x'.repeat(300)];
const wholeLines = fc
  .tuple(fc.array(fc.constantFrom(...LINES), { maxLength: 40 }), fc.constantFrom('\n', '\r\n'))
  .map(([ls, eol]) => ({ files: { [ENTRY]: `$X=v\n\n${ls.join(eol)}${eol}` }, label: 'whole lines' }) as FuzzCase);

const SEED = 11;
describe('lines joined in runs are read as the lines apart', () => {
  test('a file of short lines and braces is joined, and read the same', () => {
    const text = `vrrp_instance V {\n  state BACKUP\n  priority 100 }  # c\n${'{ } '.repeat(50)}\n$X=1\n\nk $X { x }\n`;
    expect(same({ files: { [ENTRY]: text }, label: 'fixed' })).toBe(true);
  });
  test('runs of opening braces come as one text, and read as the braces apart', () => {
    const runs = [
      `vrrp_instance ${'{'.repeat(150)} {\n}\n`,
      `${'{'.repeat(40)}${'}'.repeat(40)}\n{{{ x }}{{{{}}}{{{\n`,
      `a {{{{ b\n{{{{{{%x%}\n  {{{ {{{{  {{\n$X{{{{{\n}{{{{{}\n`,
    ];
    for (const text of runs) {
      const c: FuzzCase = { files: { [ENTRY]: text }, label: 'braces' };
      expect(same(c)).toBe(true);
    }
    // The 150-brace run is 5 texts (the head, the first brace, the 148 between, the last, and the rest), not 153.
    expect(read({ files: { [ENTRY]: runs[0] }, label: 'braces' }, false).lines).toBeLessThanOrEqual(6);
  });
  test('a BraceLines text maps every character as the same braces cut one by one', () => {
    const file = new SourceFile('/k.conf', `x ${'{'.repeat(6)}\n`);
    const run = new BraceLines(file, 3, 4);
    expect(run.text).toBe('{\n{\n{\n{');
    // Brace i was written at 3 + i; the newline after it maps to the next brace, where keepalived cut.
    const where = [...run.text].map((_, x) => run.siteSpan(x, x + 1).start);
    expect(where).toEqual([3, 4, 4, 5, 5, 6, 6]);
    expect(run.siteSpan(2, 7)).toEqual({ file, start: 4, end: 7 });
    expect(run.writtenSpan(0, 7)).toEqual({ file, start: 3, end: 7 });
    expect(run.isSubstituted(0, 7)).toBe(false);
    expect(run.verbatimAt).toBeUndefined();
    // The piece list, built only when asked, says the same, and slicing through it keeps it.
    expect(run.pieces.map((p) => p.offset)).toEqual(where);
    const tail = run.slice(4);
    expect(tail.text).toBe('{\n{');
    expect(tail.siteSpan(0, 1).start).toBe(5);
    expect(MappedText.concat([tail, run]).siteSpan(3, 4).start).toBe(3);
  });
  test('brace-glue characters at every cut', () => {
    let joinedSome = 0;
    fc.assert(fc.property(gluey, (c) => void (same(c) && joinedSome++)), { seed: SEED, numRuns: 5000 });
    expect(joinedSome).toBeGreaterThan(100);
  });
  test('whole lines read straight from the file, and those that are not', () => {
    fc.assert(fc.property(wholeLines, (c) => void same(c)), { seed: SEED, numRuns: 3000 });
  });
  test('a file of one-character lines is one text, with every warning of the lines apart', () => {
    for (const ch of ['\\', '$', '"', 'x']) {
      const c: FuzzCase = { files: { [ENTRY]: `a\n${`${ch}\n`.repeat(500)}` }, label: ch };
      same(c);
      expect(read(c, false).lines).toBe(1);
    }
    const diags = new Diagnostics();
    expand(ENTRY, { fs: new MemoryFileSystem(new Map([[ENTRY, `a\n${'\\\n'.repeat(500)}`]])), configId: 'node1' }, diags);
    const warned = diags.sorted().filter((d) => d.code === 'line-continuation');
    expect(warned.length).toBe(100);
    expect(warned.map((d) => d.span?.start)).toEqual(Array.from({ length: 100 }, (_, i) => 2 + 2 * i));
  });
  test('fuzzed fragments and includes', () => {
    fc.assert(fc.property(fc.oneof(fragmentArb, includeArb), (c) => void same(c)), { seed: SEED, numRuns: 1000 });
  });
  test('mutated corpus files', () => {
    fc.assert(fc.property(corpusMutationArb(loadCorpus()), (c) => void same(c)), { seed: SEED, numRuns: 150 });
  });
});

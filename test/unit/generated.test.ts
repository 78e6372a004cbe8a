/**
 * A generator whose text uses only its own variables has its lines made by
 * pasting the values in, and handed to the parser as one text whose lines are
 * mapped only when asked (src/source/generated.ts). That must read exactly as
 * keepalived's way, which the expander takes with `lineByLine`: every line
 * substituted, processed and handed over apart. Same statements, words,
 * spans and diagnostics, on generator texts made of everything that could
 * make pasting differ from substituting.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Diagnostics } from '../../src/diag/diagnostic.js';
import { renderDiagnostics } from '../../src/diag/render.js';
import { parse } from '../../src/parse/parse.js';
import { expand } from '../../src/source/expand.js';
import { GeneratedLines } from '../../src/source/generated.js';
import { MemoryFileSystem } from '../../src/source/files.js';
import { astShape } from '../helpers/ast-shape.js';
import { ENTRY } from '../helpers/fuzz.js';

function read(text: string, lineByLine: boolean) {
  const diags = new Diagnostics();
  const ex = expand(ENTRY, { fs: MemoryFileSystem.of({ [ENTRY]: text }), configId: 'node1', lineByLine }, diags);
  const ast = parse(ex.lines, diags);
  return { ex, ast: astShape(ast.statements), diags: renderDiagnostics(diags.sorted()) };
}

/** True when the generated lines were pasted and joined (not read one by one). */
function same(text: string): boolean {
  const joined = read(text, false);
  const apart = read(text, true);
  expect(joined.ast).toEqual(apart.ast);
  expect(joined.diags).toEqual(apart.diags);
  expect(joined.ex.generated).toEqual(apart.ex.generated);
  return joined.ex.lines.some((l) => l instanceof GeneratedLines);
}

/** What a generator's text is made of: words, its variables, other names, and what stops pasting. */
const TEXT_PIECES = ['x', 'virtual_ipaddress', '10.0.0.', ' ', ' ', '\t', '$i', '${i}', '$j', '${j}', '$i,', '$i)', '$X', '${X}', '$U', '${U}', '$V', '$i/24', '${i 1}', '$', '#c', '!', '"q"', "'", '\\', '{', '}', '@node1 ', '@node2 ', 'include ', '~', '$Y=', ','];
/** Values, including those that cannot be pasted, and one ($M) whose lines define $U, undefined until then. */
const VALUES = ['a', 'b1', '', '0', '10.1', '$X', '$M', '$i', '~a', '@node1', 'a#b', 'x!', 'q"', '{', '}', 'include', 'a\\'];

const generator = fc
  .tuple(
    fc.oneof(
      fc.tuple(fc.constantFrom('~SEQ', '~SEQx'), fc.integer({ min: 0, max: 40 })).map(([g, n]) => `${g}(i, ${n}) `),
      fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 8 }).map((vs) => `~LST(i, ${vs.join(', ')}) `),
      fc.array(fc.tuple(fc.constantFrom(...VALUES), fc.constantFrom(...VALUES)), { minLength: 1, maxLength: 6 }).map((vs) => `~LST({i,j}, ${vs.map(([a, b]) => `{${a},${b}}`).join(', ')}) `),
      fc.constant('~LST({i,i}, {a,b}, {c,d}) '),
    ),
    fc.array(fc.constantFrom(...TEXT_PIECES), { minLength: 1, maxLength: 10 }),
    fc.constantFrom('', 'after $i $U\n', 'x {\n~SEQ(j, 2) $j\n}\n', '~SEQ(k, 3) y $k $U\n', '$U=late\n~SEQ(k, 2) $U\n', '~SEQ(k, 3) ~SEQ(j, 2) v $k $j $X ${k}\n', '~LST(k, a, $M) ~SEQ(j, 2) v $k $j $U\n', '~SEQ(k, 3) ~SEQ(j, $k) v $k $j\n'),
  )
  .map(([gen, pieces, after]) => `$X=ex\n$M=\\\n$U=m\\\nmm\n\n${gen}${pieces.join('')}\n${after}`);

describe('generated lines pasted and joined read as keepalived reads them', () => {
  test('a generator of its own variables is one text, each line mapped as substitution maps it', () => {
    const text = '~SEQ(i, 1, 3) vrrp_instance VI_$i\n';
    const { ex } = read(text, false);
    expect(ex.lines).toHaveLength(1);
    const run = ex.lines[0] as GeneratedLines;
    expect(run).toBeInstanceOf(GeneratedLines);
    expect(run.text).toBe('vrrp_instance VI_1\nvrrp_instance VI_2\nvrrp_instance VI_3');
    expect(run.count).toBe(3);
    const line = run.line(1);
    expect(line.text).toBe('vrrp_instance VI_2');
    // The value is computed: written at the generator, come in through `$i`.
    const ref = text.indexOf('$i');
    expect(line.writtenSpan(0, 13)).toEqual({ file: expect.anything(), start: text.indexOf('vrrp'), end: text.indexOf('vrrp') + 13 });
    expect(line.siteSpan(17, 18)).toMatchObject({ start: ref, end: ref + 2 });
    expect(line.isSubstituted(17, 18)).toBe(true);
    expect(line.isSubstituted(0, 17)).toBe(false);
    // As a text of its own, every character maps as in its line.
    for (let j = 0; j < run.count; j++) {
      const l = run.line(j);
      for (let x = 0; x < l.length; x++) expect(run.siteSpan(run.starts[j] + x, run.starts[j] + x + 1)).toEqual(l.siteSpan(x, x + 1));
    }
    expect(same(text)).toBe(true);
  });

  test('a thousand lines of a generator are one text, read as the thousand lines apart', () => {
    const text = 'vrrp_instance V {\n  virtual_ipaddress {\n~SEQ(i, 0, 999) 192.0.2.${i}/32 dev eth0 label eth0:$i\n  }\n}\n';
    const joined = read(text, false);
    const apart = read(text, true);
    expect(joined.ex.lines.length).toBeLessThan(10);
    expect(apart.ex.lines.length).toBeGreaterThan(1000);
    expect(same(text)).toBe(true);
  });

  test('names not defined are kept as written and reported once, until one is defined', () => {
    const text = '$M=\\\nx\\\n$U=now\n\n~LST(v, a, b, $M, c, d) $U $v\n';
    expect(same(text)).toBe(true);
    const { ex } = read(text, false);
    // a and b pasted with $U as written; $M read the whole way (its second line defines $U); c and d then too.
    expect(ex.lines.map((l) => l.text)).toEqual(['$U a\n$U b', '$U x', 'now c', 'now d']);
    const diags = read(text, false).diags;
    expect(diags.match(/parameter 'U' is not defined/g)).toHaveLength(1);
    // `${U}` kept as written: its braces are not cut at.
    expect(same('~SEQ(i, 3) x ${U} $i\n')).toBe(true);
    // A generator of a constant line.
    expect(same('~SEQ(i, 3) x $U\n~SEQ(i, 3) y\nz\n')).toBe(true);
  });

  test('texts and values that cannot be pasted go the whole way', () => {
    // A glued name, a brace, a quote, a conditional, a name whose value is more than one plain line: no generated
    // text. A value that cannot be pasted: that line alone.
    const defs = '$X=ex\n$B=a b\n$D=$X\n$P=p\\\nq\n\n';
    for (const gen of ['~SEQ(i, 3) x $i/24', '~SEQ(i, 3) x $i {', '~SEQ(i, 3) x $i "q"', '~SEQ(i, 3) @node1 $i', '~SEQ(i, 3) x $B $i', '~SEQ(i, 3) x $D', '~SEQ(i, 3) x $P', '~LST(i, a, c, $X, b) x $i']) {
      expect(same(`${defs}${gen}\n`)).toBe(gen.startsWith('~LST'));
    }
  });

  test('a name defined by one plain line is pasted as that line, and again only while it stays so defined', () => {
    // An outer generator's variable in an inner generator's text: one text for all the inner lines.
    const nested = '~SEQ(i, 0, 3, 9) ~SEQ(j, 2) x $i ${X} $j\n';
    const { ex } = read(`$X=ex\n\n${nested}`, false);
    expect(ex.lines).toHaveLength(1);
    expect(ex.lines[0].text).toBe('x 0 ex 1\nx 0 ex 2\nx 3 ex 1\nx 3 ex 2\nx 6 ex 1\nx 6 ex 2\nx 9 ex 1\nx 9 ex 2');
    expect(same(`$X=ex\n\n${nested}`)).toBe(true);
    // The value maps where it was written, come in through the reference.
    const text = '$X=ex\n\n~SEQ(i, 2) k $X $i\n';
    const line = (read(text, false).ex.lines[0] as GeneratedLines).line(0);
    expect(line.text).toBe('k ex 1');
    expect(line.writtenSpan(2, 4)).toMatchObject({ start: 3, end: 5 });
    expect(line.siteSpan(2, 4)).toMatchObject({ start: text.indexOf('$X $i'), end: text.indexOf('$X $i') + 2 });
    // Defined again half-way (by a value read the whole way): the lines after it take the new value, the whole way.
    // (`$N $X` becomes `$X=new ex`, a definition: `$X` glued to '=' is not substituted.)
    const again = '$X=ex\n$N=$X=new\n\n~LST(v, a, c, $N, b, d) $v $X\n';
    same(again);
    expect(read(again, false).ex.lines.map((l) => l.text)).toEqual(['a ex\nc ex', 'b new ex', 'd new ex']);
  });

  test('generator texts of every kind', () => {
    let pasted = 0;
    fc.assert(fc.property(generator, (text) => void (same(text) && pasted++)), { seed: 13, numRuns: 3000 });
    expect(pasted).toBeGreaterThan(200);
  });
});

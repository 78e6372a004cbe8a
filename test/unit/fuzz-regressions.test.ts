/**
 * Inputs the fuzzer found that hung, exhausted memory or overflowed the
 * stack, each pinned with the diagnostic (and its position) that the front
 * end now gives instead.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { enclosed } from '../../src/model/values.js';
import { MAX_NESTING } from '../../src/parse/parse.js';
import { Diagnostics } from '../../src/diag/diagnostic.js';
import { MAX_EXPANDED_LINES, expand } from '../../src/source/expand.js';
import { MemoryFileSystem } from '../../src/source/files.js';
import { MAX_GENERATED } from '../../src/source/generators.js';
import { parseText } from '../helpers/frontend.js';
import { ENTRY, runCase } from '../helpers/fuzz.js';

const first = (r: ReturnType<typeof parseText>, code: string) => {
  const d = r.diags.sorted().find((x) => x.code === code);
  return d && { line: d.span && d.span.file.position(d.span.start).line, column: d.span && d.span.file.position(d.span.start).column };
};

describe('deep nesting (was: RangeError, maximum call stack size exceeded)', () => {
  test('10,000 nested blocks, closed or not, are cut at MAX_NESTING with an error at the first brace too deep', () => {
    for (const closed of [true, false]) {
      const text = 'x {\n'.repeat(10_000) + (closed ? '}\n'.repeat(10_000) : '');
      const r = parseText(text);
      expect(first(r, 'nesting-too-deep')).toEqual({ line: MAX_NESTING + 1, column: 3 });
      expect(r.codes.filter((c) => c === 'nesting-too-deep')).toHaveLength(1);
      expect(runCase({ files: { [ENTRY]: text }, label: 'deep' }).failure).toBeUndefined();
    }
  });

  test('a block exactly MAX_NESTING deep is still read', () => {
    const r = parseText('x {\n'.repeat(MAX_NESTING) + '}\n'.repeat(MAX_NESTING));
    expect(r.codes).not.toContain('nesting-too-deep');
  });

  test('what follows a dropped block is read again at the right depth', () => {
    const r = parseText(`${'a {\n'.repeat(MAX_NESTING + 1)}dropped\n}\n${'}\n'.repeat(MAX_NESTING)}global_defs {\n router_id after\n}\n`);
    expect(r.printed).not.toContain('dropped');
    expect(r.printed).toMatch(/^global_defs \{\n {4}router_id after\n\}$/m);
    expect(r.codes).not.toContain('extra-closing-brace');
  });
});

describe('expansion is bounded (was: hours of work or an out-of-memory crash)', () => {
  const expansion = (text: string) => {
    const r = parseText(text);
    return { lines: r.expanded.lines.length, at: first(r, 'expansion-too-large'), codes: r.codes };
  };

  test('nested ~SEQ of a million lines stops at the budget, reported at the generator that tips it over', () => {
    const r = expansion('global_defs {\n}\n~SEQ(i, 1000) ~SEQ(j, 1000) x $i $j\n');
    expect(r.at).toEqual({ line: 3, column: 15 });
    expect(r.lines).toBeLessThanOrEqual(MAX_EXPANDED_LINES + 10);
  });

  test('one ~SEQ beyond MAX_GENERATED is refused before its values are built', () => {
    const r = parseText(`~SEQ(i, ${MAX_GENERATED + 1}) x $i\n`);
    expect(r.codes).toEqual(['invalid-generator']);
  });

  test('a definition that expands to a generator of itself stops', () => {
    const r = expansion('$L=~SEQ(i, 1000) $L\n\n$L\n');
    expect(r.at).toEqual({ line: 3, column: 1 });
  });

  test('a multi-line definition that ends by using itself stops at its first repeat, not at the budget', () => {
    // keepalived -t prints "Unknown keyword 'x'" for ever on this file.
    const r = parseText('$M=\\\nx\\\n$M\n\n$M\n');
    expect(r.codes).toEqual(['parameter-recursion']);
    expect(r.printed).toBe('x');
    expect(r.rendered).toContain("keepalived.conf:5:1: error[parameter-recursion]: the lines of '$M' lead back to '$M'");
    expect(r.rendered).toContain("'$M' is defined here (keepalived.conf:1:1)");
    // Through another definition, and from a generator's every value (said once for the place).
    expect(parseText('$M=\\\na\\\n$K\n$K=\\\nb\\\n$M\n\n$M\n')).toMatchObject({ codes: ['parameter-recursion'], printed: 'a\nb' });
    expect(parseText('$M=\\\nx\\\n$M\n\n~SEQ(i, 3) $M\n')).toMatchObject({ codes: ['parameter-recursion'], printed: 'x\nx\nx' });
  });

  test('a multi-line definition used again is no cycle when a definition changed in between, or when it is not inside itself', () => {
    // Its lines redefine a name on the way back to it, which ends the loop (keepalived -t ends here too).
    const redefined = parseText('$M=\\\nx\\\n$K\n$K=\\\n$K=stop\\\n$M\n\n$M\n');
    expect(redefined.codes).not.toContain('parameter-recursion');
    expect(redefined.codes).not.toContain('expansion-too-large');
    expect(redefined.printed).toBe('x\nx\nstop');
    // Side by side, and one inside another.
    expect(parseText('$M=\\\na\\\nb\n\n$M\n$M\n')).toMatchObject({ codes: [], printed: 'a\nb\na\nb' });
    expect(parseText('$M=\\\na\\\nb\n$N=\\\nc\\\n$M\n\n$N\n$N\n')).toMatchObject({ codes: [], printed: 'c\na\nb\nc\na\nb' });
    // Changed every round (keepalived loops here too): the budget stops it.
    const r = expansion('$M=\\\n$X=1\\\nx\\\n$M\n\n$M\n');
    expect(r.codes).toContain('expansion-too-large');
    expect(r.codes).not.toContain('parameter-recursion');
    expect(r.lines).toBeLessThanOrEqual(MAX_EXPANDED_LINES + 10);
  });

  test('a long value substituted a thousand times is refused before the line is built', () => {
    const r = expansion(`$D=${'d'.repeat(100_000)}\n\n${'$D '.repeat(1000)}\n`);
    expect(r.at).toEqual({ line: 3, column: 1 });
    expect(r.lines).toBe(0);
  });

  test('a definition met again inside its own value is a runaway at once, however it is reached', () => {
    for (const text of ['$A=x $A\n\n$A\n', '$A=$B\n$B=y $A\n\n$A\n', '$A=$A\n\n$A $A\n']) {
      expect(parseText(text).codes).toEqual(['parameter-recursion']);
    }
    // Not a cycle: the same name twice side by side, or a value that uses another name twice.
    expect(parseText('$B=b\n$A=$B $B\n$A $A\n').printed).toBe('b b b b');
  });

  test('ten thousand lines of self-referencing references stop at the budget (found: 24 s for 98 bytes)', () => {
    const r = expansion('$A=$A\n\n~LST(v, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9) ~SEQ(j, 1000) $A $A $A $A\n');
    expect(r.codes.filter((c) => c === 'parameter-recursion').length).toBeGreaterThan(0);
    expect(r.lines).toBe(0);
  });

  test('substitutions that add nothing still count: a thousand empty values per line, three hundred lines', () => {
    const r = expansion(`$E=\n\n~SEQ(i, 300) ${'$E '.repeat(1000)}x\n`);
    expect(r.codes).toContain('expansion-too-large');
  });

  test('ordinary generators are untouched', () => {
    expect(parseText('~SEQ(i, 2) ~SEQ(j, 2) c $i $j\n').printed).toBe('c 1 1\nc 1 2\nc 2 1\nc 2 2');
  });
});

describe('a line of many braces (was: quadratic, each residue searched again to the end of the line)', () => {
  test('its residues are cut exactly as before: one brace a line, templates and parameters still seen', () => {
    const text = `vrrp_instance ${'{'.repeat(50_000)} {\n}\n`;
    const apart = expand(ENTRY, { fs: MemoryFileSystem.of({ [ENTRY]: text }), lineByLine: true }, new Diagnostics());
    expect(apart.lines.length).toBe(50_003);
    const r = parseText(text);
    expect(r.codes.filter((c) => c === 'nesting-too-deep')).toHaveLength(1);
    // A residue that still holds a template or a parameter is read as before.
    expect(parseText('$X=v\n\na { {{ t }} $X }\n').printed).toBe('a {\n    "{{ t }}" v\n}');
    expect(parseText('a { {{ b { c }} }\n').printed).toBe(parseText('a {\n{{ b { c }}\n}\n').printed);
  });
});


describe('a value full of braces (was: quadratic placeholder search, a timeout on a megabyte)', () => {
  test('enclosed() finds what the lazy regex finds, on any text', () => {
    const text = fc.string({ unit: fc.constantFrom('{', '}', '%', 'a', '\n', '\r', '\u2028'), maxLength: 40 });
    fc.assert(
      fc.property(text, (t) => {
        expect(enclosed(t, '{{', '}}')).toBe(/\{\{.*?\}\}/.exec(t)?.[0]);
        expect(enclosed(t, '{%', '%}')).toBe(/\{%.*?%\}/.exec(t)?.[0]);
      }),
      { seed: 11, numRuns: 5000 },
    );
  });
  test('a quoted router_id of 200,000 braces is read in linear time', () => {
    const r = runCase({ files: { [ENTRY]: `global_defs {\n router_id "${'{'.repeat(200_000)}"\n}\n` }, label: 'braces in a value' });
    expect(r.failure).toBeUndefined();
    // Quadratic, this took minutes; the bound is loose for a loaded machine.
    expect(r.ms).toBeLessThan(10_000);
  });
});

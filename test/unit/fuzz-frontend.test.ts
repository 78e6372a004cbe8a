/**
 * The short fuzz run (issue 7): a few hundred seeded cases of every kind
 * through the whole front end, the mapping, every emitter and the rendering
 * of diagnostics (test/helpers/fuzz.ts). The long run is bench/fuzz.mjs.
 * Properties: nothing throws; every diagnostic has a position, except the
 * run-level ones; no input is pathologically slow (checked here only with a
 * bound ten times looser than the benchmark's 1 s/MB, for loaded machines);
 * what generators and parameters expand to stays within the expander's budget.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { DIAGNOSTICS_PER_KIND, Diagnostics } from '../../src/diag/diagnostic.js';
import { renderDiagnostics } from '../../src/diag/render.js';
import { MAX_NESTING, parse } from '../../src/parse/parse.js';
import { MAX_EXPANDED_LINES, expand } from '../../src/source/expand.js';
import { MemoryFileSystem } from '../../src/source/files.js';
import {
  ENTRY,
  type FuzzCase,
  corpusMutationArb,
  decode,
  deepArb,
  expansionArb,
  fragmentArb,
  hugeArb,
  includeArb,
  junkArb,
  loadCorpus,
  runCase,
} from '../helpers/fuzz.js';

const SEED = 20260707;
const corpus = loadCorpus();
/** s/MB, with inputs under 64 KiB counted as 64 KiB; the benchmark holds 1. */
const GENEROUS = 10;

function holds(c: FuzzCase): boolean {
  const r = runCase(c);
  if (r.failure) throw new Error(`${r.failure.kind}: ${r.failure.message}\n${c.label}\n${r.failure.stack ?? ''}`);
  if (c.label.startsWith('expansion')) {
    // Generated lines cost per line, not per byte of the file: here the property is that the expansion is bounded.
    if (r.expandedLines > MAX_EXPANDED_LINES + r.bytes) throw new Error(`expanded to ${r.expandedLines} lines: ${c.label}`);
    return true;
  }
  const perMb = r.ms / 1000 / (Math.max(r.bytes, 65_536) / 1e6);
  if (perMb > GENEROUS) throw new Error(`${perMb.toFixed(1)} s/MB (${r.ms.toFixed(0)} ms, ${r.bytes} bytes): ${c.label.slice(0, 200)}`);
  return true;
}

const run = (arb: fc.Arbitrary<FuzzCase>, numRuns: number) => fc.assert(fc.property(arb, holds), { seed: SEED, numRuns, endOnFailure: true });

describe('front-end fuzz, short run (seeded)', () => {
  test('the corpus is there to mutate', () => {
    expect(corpus.length).toBeGreaterThan(50);
  });
  test('mutated corpus files: bytes flipped, lines and braces deleted or duplicated, junk spliced in', () => run(corpusMutationArb(corpus), 150));
  test('keepalived-looking fragments in any order', () => run(fragmentArb, 80));
  test('random bytes, decoded with replacement characters as the local file system does', () => run(junkArb, 40));
  test('include cycles, self-includes, globs, directories, read by one or two nodes', () => run(includeArb, 50));
  test('generators and parameters that expand hugely or for ever', () => run(expansionArb, 12));
  test('deep nesting, closed or not', () => run(deepArb(10_000), 6));
  // Up to 16 KiB here, to stay quick on a loaded machine; bench/fuzz.mjs goes to 1 MB.
  test('huge words, lines and comments', () => run(hugeArb(16_384), 20));
});

describe('front-end fuzz, named extremes', () => {
  const one = (text: string, label: string) => expect(holds({ files: { [ENTRY]: text }, label })).toBe(true);
  test('a 1 MB word, quoted and not', () => {
    one(`vrrp_instance ${'w'.repeat(1 << 20)} {\n}\n`, '1 MB word');
    one(`global_defs {\n router_id "${'q'.repeat(1 << 20)}"\n}\n`, '1 MB quoted');
  });
  test('a 100,000-character line of words', () => one(`${'ab '.repeat(33_334)}\n`, '100k line'));
  test('NUL bytes, a BOM, U+2028, lone surrogates', () => one(`\ufeffglobal_defs {\0\n router_id a\0b\u2028c\ud800\n}\n\0\0\0`, 'controls'));
  test('invalid UTF-8 reads as U+FFFD, with positions still on the right line', () => {
    const text = decode(Buffer.from([0x76, 0x72, 0x72, 0x70, 0x5f, 0x69, 0xff, 0xfe, 0x0a, 0xc3, 0x28, 0x20, 0x7b, 0x0a, 0xe2, 0x82, 0x0a]));
    expect(text).toContain('\ufffd');
    one(text, 'invalid utf-8');
  });
  test('a file that includes itself, and two that include each other', () => {
    const cycle = runCase({ files: { [ENTRY]: 'include keepalived.conf\ninclude a.conf\n', '/etc/keepalived/a.conf': 'include keepalived.conf\n' }, label: 'cycle' });
    expect(cycle.failure).toBeUndefined();
    const diags = new Diagnostics();
    const fs = MemoryFileSystem.of({ [ENTRY]: 'include keepalived.conf\ninclude a.conf\n', '/etc/keepalived/a.conf': 'include *.conf\n' });
    parse(expand(ENTRY, { fs }, diags).lines, diags);
    expect(diags.items.map((d) => d.code)).toEqual(['include-cycle', 'include-cycle', 'include-cycle']);
    expect(diags.items.every((d) => d.span)).toBe(true);
  });
});

describe('a line of braces read back joined', () => {
  // The expander joins the pieces of a line cut at its braces (Expander.pushOut).
  // Joined back into '{{{{...', a line of 100,000 '{' made the lexer search
  // for a '}}' from every brace: 3.3 s for 100 kB. Pieces that would form a
  // new '{{' or '{%' are kept apart.
  test.each([
    ['100,000 unclosed braces', '{'.repeat(100_000)],
    ['100,000 unclosed {% pairs', '{%'.repeat(50_000)],
  ])('%s: within the generous bound', (label, text) => {
    expect(holds({ files: { [ENTRY]: `${text}\n` }, label })).toBe(true);
  });
});

describe('many diagnostics on one long line', () => {
  // Found by the long run: a 200 kB line of braces ('{' x 100,000 then '}' x
  // 100,000) gave 100,000 extra-brace diagnostics, each with a code frame of
  // the whole line (about 20 GB rendered: analyze died out of memory). Frames
  // now show a window of the line, and past DIAGNOSTICS_PER_KIND of a code in
  // a file one diagnostic counts the rest.
  test('rendering stays proportionate to what is shown, and the rest is counted', () => {
    const n = 100_000;
    const diags = new Diagnostics();
    const fs = MemoryFileSystem.of({ [ENTRY]: `${'{'.repeat(n)}a${'}'.repeat(n)}` });
    parse(expand(ENTRY, { fs }, diags).lines, diags);
    const codes = diags.items.map((d) => d.code);
    expect(codes.filter((c) => c === 'extra-closing-brace')).toHaveLength(DIAGNOSTICS_PER_KIND);
    const over = diags.items.find((d) => d.code === 'too-many-diagnostics');
    // Nearly every '}' is extra: the '{' run reads as one template placeholder '{{ ... }}' and a stray brace.
    expect(Number(/^(\d+) more 'extra-closing-brace' diagnostics/.exec(over?.message ?? '')?.[1])).toBeGreaterThan(n - 2 * MAX_NESTING);
    expect(renderDiagnostics(diags.sorted()).length).toBeLessThan(diags.items.length * 400);
  });
});

/**
 * scan() must give exactly the tokens chevrotain's lexer gives, and give up
 * (undefined) only where the lexer reports an error: the parser then lexes
 * that piece with chevrotain. Compared on texts made of every character that
 * decides a token, on arbitrary Unicode, and on the corpus and fixtures.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { scan } from '../../src/parse/scan.js';
import { getLexer } from '../../src/parse/tokens.js';
import { loadCorpus } from '../helpers/fuzz.js';

const shape = (ts: readonly { image: string; startOffset: number; tokenType: { name: string }; tokenTypeIdx: number }[]) =>
  ts.map((t) => [t.tokenType.name, t.tokenTypeIdx, t.startOffset, t.image]);

/** True when scan() gave tokens (false when it gave up, which it may only do where chevrotain reports an error). */
function agrees(text: string): boolean {
  const lexed = getLexer().tokenize(text);
  const scanned = scan(text);
  if (!scanned) {
    expect(lexed.errors.length).toBeGreaterThan(0);
    return false;
  }
  expect(lexed.errors).toEqual([]);
  expect(shape(scanned)).toEqual(shape(lexed.tokens));
  // The same object shape as chevrotain's own tokens, for the parser's sake.
  if (lexed.tokens.length) expect(Object.keys(scanned[0])).toEqual(Object.keys(lexed.tokens[0]));
  return true;
}

const PIECES = ['a', 'é', 'vrrp_instance', ' ', '\t', '\r', '\f', '\v', '\n', '\n', '{', '}', '{{', '}}', '{%', '%}', '"', "'", '\\', '$', '${X}', '${X 1}', '${', '#', '!', '\u00a0', '\ufeff', '\u2028', '\u3000', '\u0085', '\0', '"a b"', "'a b'", '\\"', '\\\n'];
const SEED = 17;

describe('scan gives the lexer tokens', () => {
  test('texts made of the characters that decide a token', () => {
    let scanned = 0;
    let gaveUp = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 50 }), (ps) => void (agrees(ps.join('')) ? scanned++ : gaveUp++)),
      { seed: SEED, numRuns: 20000 },
    );
    // Both ways were taken many times.
    expect(scanned).toBeGreaterThan(5000);
    expect(gaveUp).toBeGreaterThan(500);
  });
  test('arbitrary Unicode', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => void agrees(s)), { seed: SEED, numRuns: 5000 });
  });
  test('every corpus file and fixture, without giving up', () => {
    const texts = loadCorpus().map((c) => c.bytes.toString('utf8'));
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.conf') ? [join(dir, e.name)] : []));
    for (const f of walk('fixtures')) texts.push(readFileSync(f, 'utf8'));
    expect(texts.length).toBeGreaterThan(20);
    for (const t of texts) expect(agrees(t)).toBe(true);
  });
  test('one character at a time, each kind of token', () => {
    expect(shape(scan('a {\n} # c\n"q" \'r\' \\x $ ${X} {{ y }} {% z %}')!)).toEqual(shape(getLexer().tokenize('a {\n} # c\n"q" \'r\' \\x $ ${X} {{ y }} {% z %}').tokens));
    expect(scan('"open\n')!.map((t) => t.tokenType.name)).toEqual(['Unterminated', 'Newline']);
    expect(scan('a\u2028b')).toBeUndefined();
  });
});

/**
 * parse() lexes and parses in pieces (so that tokens die young). Every cut
 * must give what one whole pass gives: the same statements, words, spans and
 * diagnostics. Checked with pieces of one line and one token (a cut at every
 * possible place), with the default pieces, and with a single pass, on every
 * corpus file and fixture and on inputs made to break at a cut: a keyword
 * whose '{' is on the next line, extra and missing braces, stray blocks,
 * unterminated quotes, blocks nested too deep.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Diagnostics } from '../../src/diag/diagnostic.js';
import { renderDiagnostics } from '../../src/diag/render.js';
import { MAX_NESTING, type ParseChunks, parse } from '../../src/parse/parse.js';
import { expand } from '../../src/source/expand.js';
import { MemoryFileSystem } from '../../src/source/files.js';
import { astShape } from '../helpers/ast-shape.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WHOLE: ParseChunks = { lexChars: Number.MAX_SAFE_INTEGER, lexTokens: Number.MAX_SAFE_INTEGER, parseTokens: Number.MAX_SAFE_INTEGER };
const FINEST: ParseChunks = { lexChars: 1, lexTokens: 1, parseTokens: 1 };

function confFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? confFiles(p) : /\.(conf|tsv|md)$/.test(f) && !f.endsWith('.conf') ? [] : [p];
  });
}

function run(text: string, chunks?: ParseChunks) {
  const diags = new Diagnostics();
  const ex = expand('/k.conf', { fs: MemoryFileSystem.of({ '/k.conf': text }), configId: 'node1' }, diags);
  const ast = parse(ex.lines, diags, chunks);
  return { ast: astShape(ast.statements), diags: renderDiagnostics(diags.sorted()) };
}

function sameEverywhere(text: string): void {
  const whole = run(text, WHOLE);
  expect(run(text, FINEST)).toEqual(whole);
  expect(run(text)).toEqual(whole);
}

/** A large input with every construct that a cut could split, repeated past the default piece sizes. */
function stress(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    switch (i % 9) {
      case 0: parts.push(`vrrp_instance V${i}\n{\n  state BACKUP\n  virtual_ipaddress {\n    192.0.2.${i % 250}/24 dev eth0\n  }\n}`); break;
      case 1: parts.push(`global_defs { router_id "r ${i}" } notification_email_from a@b`); break;
      case 2: parts.push('}'); break; // extra: reported, dropped
      case 3: parts.push(`word${i} "unterminated ${i}`); break;
      case 4: parts.push('{ stray 1 }'); break;
      case 5: parts.push(`vrrp_script s${i}\n\n{\n script "/bin/true"\n}   # comment { }`); break;
      case 6: parts.push(`${'{'.repeat(3)} x ${'}'.repeat(3)}`); break;
      case 7: parts.push(`a${i} 'single { quoted }' b`); break;
      default: parts.push(`k${i} v\n\n\n`);
    }
  }
  return parts.join('\n') + '\nvrrp_instance LAST {\n  state MASTER\n'; // never closed
}

describe('parse in pieces equals parse in one pass', () => {
  test('a large input cut everywhere (and at the default sizes, which it exceeds)', () => {
    const text = stress(3000);
    expect(text.length).toBeGreaterThan(1 << 16);
    const whole = run(text, WHOLE);
    expect(whole.ast.length).toBeGreaterThan(3000);
    expect(whole.diags).toContain('extra-closing-brace');
    expect(whole.diags).toContain('unclosed-block');
    expect(run(text, FINEST)).toEqual(whole);
    expect(run(text)).toEqual(whole);
  });

  test('blocks nested too deep, across cuts', () => {
    sameEverywhere(`${'a {\n'.repeat(150)}${'}\n'.repeat(150)}b c\n`);
  });

  test('lines with no brace give what the parser gives them', () => {
    // With no brace anywhere the tokens skip the parser; one brace at the end sends all of them through it.
    const lines = 'a\n\\\n$\nb c "d e" f\\ g\\\n\n\n  h # i { j }\nk \'l m\nn\\x41\n$X ~SEQ\nlast';
    const plain = run(lines, WHOLE);
    const parsed = run(`${lines}\nz {\n}`, WHOLE);
    expect(plain.ast.length).toBe(9);
    expect(parsed.ast.slice(0, -1)).toEqual(plain.ast);
    expect(parsed.diags).toEqual(plain.diags);
    expect(plain.diags).toContain('unterminated-quote');
    // A backslash that ends a word escapes nothing: it stays, and the word is plain.
    expect(plain.ast[1]).toEqual({ words: [['\\', '\\', false, '/k.conf:2-3', '-']] });
    const values = (k: number) => (plain.ast[k] as { words: unknown[][] }).words.map((w) => w[0]);
    expect(values(3)).toEqual(['b', 'c', 'd e', 'f g\\']);
    expect(values(6)).toEqual(['nA']);
  });

  test('stray braces in a row are each a line break, and no more', () => {
    // A dropped brace ends the line it is on; several in a row end it once (one line break is kept for them).
    const text = `a }}}} b {\n c\n}}}}} d }}}\n}}}\n{ e } f\n${'g {\n'.repeat(MAX_NESTING)}${'{ { { h } } } '.repeat(3)}${'}\n'.repeat(MAX_NESTING)}i }`;
    sameEverywhere(text);
    const values = (ast: unknown[]): unknown => ast.map((st) => {
      const s = st as { words: unknown[][]; block?: unknown[] };
      return [s.words.map((w) => w[0]), s.block ? values(s.block) : undefined];
    });
    const r = run(text, WHOLE);
    const depth = (v: unknown): number => (Array.isArray(v) && Array.isArray(v[0]) ? 1 + Math.max(0, ...(v as unknown[][]).map((s) => (s[1] ? depth(s[1]) : 0))) : 0);
    const top = values(r.ast) as unknown[][];
    expect(top.map((s) => s[0])).toEqual([['a'], ['b'], ['d'], ['f'], ['g'], ['i']]);
    expect(top[1][1]).toEqual([[['c'], undefined]]);
    // Stray '}' lines between a keyword and its '{' are blank lines: d takes the block.
    expect(top[2][1]).toEqual([[['e'], undefined]]);
    expect(depth(top[4][1])).toBe(MAX_NESTING - 1);
    expect(r.diags).toContain('nesting-too-deep');
    expect(r.diags.match(/extra-closing-brace/g)?.length).toBeGreaterThanOrEqual(12);
  });

  test('a keyword, blank lines, then its brace', () => {
    sameEverywhere('x 1\ny 2\n\n\n{\nz 3\n}\nw\n{\n}\n');
  });

  const files = [...confFiles(resolve(ROOT, '..', 'shared', 'corpus')), ...confFiles(join(ROOT, 'fixtures'))].filter((f) => f.endsWith('.conf'));
  test('there are corpus files and fixtures to read', () => expect(files.length).toBeGreaterThan(20));
  test.each(files.map((f) => [f.replace(resolve(ROOT, '..') + '/', ''), f]))('%s', (_name, file) => {
    sameEverywhere(readFileSync(file, 'utf8'));
  });
});

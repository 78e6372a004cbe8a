/**
 * How diagnostics are shown. They come out in the order files were read (the
 * entry file, its includes, then scripts), never in the order of their
 * absolute paths: a clone under /build or under /work gave two different
 * outputs before (CI failed on it). A code frame on a very long line is a
 * window, and past DIAGNOSTICS_PER_KIND of one code in one file, one
 * diagnostic counts the rest: a fuzzed file of a million braces ran out of
 * memory building 500,000 frames of a megabyte each.
 */
import { describe, expect, test } from '@jest/globals';
import { DIAGNOSTICS_PER_KIND, Diagnostics, diagnosticToJson, sortDiagnostics } from '../../src/diag/diagnostic.js';
import { FRAME_WIDTH, renderDiagnostic, renderDiagnostics } from '../../src/diag/render.js';
import { SourceFile, locate } from '../../src/diag/span.js';
import { parseText } from '../helpers/frontend.js';

function at(file: SourceFile, start: number) {
  return { file, start, end: start + 1 };
}

describe('diagnostic order', () => {
  test('by reading order of the file, not by its path', () => {
    const conf = new SourceFile('/zz/checkout/keepalived.conf', 'vrrp_instance A {\n}\n');
    const script = new SourceFile('/etc/keepalived/notify.sh', 'mount /dev/x /srv\n');
    const d = new Diagnostics();
    d.warning('b', 'script', at(script, 0));
    d.warning('a', 'conf, late', at(conf, 5));
    d.warning('c', 'conf, early', at(conf, 0));
    expect(sortDiagnostics(d.items).map((x) => x.message)).toEqual(['conf, early', 'conf, late', 'script']);
  });

  test('one path read for two nodes keeps its diagnostics together, by position', () => {
    const node1 = new SourceFile('/b/keepalived.conf', 'x'.repeat(20));
    const inc = new SourceFile('/a/included.conf', 'y');
    const node2 = new SourceFile('/b/keepalived.conf', 'x'.repeat(20));
    const d = new Diagnostics();
    d.warning('i', 'include', at(inc, 0));
    d.warning('n2', 'node2 at 3', at(node2, 3));
    d.warning('n1', 'node1 at 9', at(node1, 9));
    d.warning('n1', 'node1 at 3', at(node1, 3));
    expect(sortDiagnostics(d.items).map((x) => x.message)).toEqual(['node2 at 3', 'node1 at 3', 'node1 at 9', 'include']);
  });
});

describe('code frame on a long line', () => {
  test('shows a window around the span, with its caret under the span, secrets masked', () => {
    const line = `${'x '.repeat(5000)}auth_pass s3cretvalue${' y'.repeat(5000)}`;
    const file = new SourceFile('/k.conf', `${line}\n`);
    const start = line.indexOf('s3cret');
    const out = renderDiagnostic({ code: 't', severity: 'error', message: 'm', span: { file, start, end: start + 11 } });
    const [, , code, caret] = out.split('\n');
    expect(code.length).toBeLessThan(FRAME_WIDTH + 20);
    expect(code).toContain('auth_pass ***********');
    expect(code).not.toContain('s3cret');
    const col = caret.indexOf('^');
    expect(code.slice(col, col + 11)).toBe('*'.repeat(11));
    expect(caret.trimEnd().length - col).toBe(11);
    expect(code).toMatch(/ \| …x x/);
    expect(code.endsWith('…')).toBe(true);
  });

  test('two hundred diagnostics on a megabyte line render in little memory', () => {
    const file = new SourceFile('/k.conf', '{'.repeat(1_000_000));
    const ds = Array.from({ length: 200 }, (_, i) => ({ code: 'c', severity: 'error' as const, message: 'm', span: { file, start: i * 4999, end: i * 4999 + 1 } }));
    const text = renderDiagnostics(ds);
    expect(text.length).toBeLessThan(200 * 400);
    for (const block of text.split('\n\n')) {
      const [, , code, caret] = block.split('\n');
      expect(code[caret.indexOf('^')]).toBe('{');
    }
  });
});

describe('diagnostics per kind and file are limited', () => {
  test(`the first ${DIAGNOSTICS_PER_KIND} are kept, then one counts the rest, as an error when they were`, () => {
    const r = parseText(`global_defs {\n}\n${'}\n'.repeat(DIAGNOSTICS_PER_KIND + 150)}`);
    const extra = r.diags.items.filter((d) => d.code === 'extra-closing-brace');
    expect(extra).toHaveLength(DIAGNOSTICS_PER_KIND);
    const over = r.diags.items.filter((d) => d.code === 'too-many-diagnostics');
    expect(over).toHaveLength(1);
    expect(over[0].severity).toBe('error');
    expect(over[0].message).toMatch(/^150 more 'extra-closing-brace' diagnostics/);
    // At the first one left out: line 3 + DIAGNOSTICS_PER_KIND.
    expect(locate(over[0].span!).line).toBe(3 + DIAGNOSTICS_PER_KIND);
    expect(JSON.stringify(diagnosticToJson(over[0]))).toContain('150 more');
  });

  test('other kinds and other files keep their own count', () => {
    const d = new Diagnostics();
    const a = new SourceFile('/a.conf', 'x'.repeat(500));
    const b = new SourceFile('/b.conf', 'x'.repeat(500));
    for (let i = 0; i < DIAGNOSTICS_PER_KIND; i++) {
      d.warning('w', 'a', at(a, i));
      d.warning('w', 'b', at(b, i));
      d.info('i', 'a', at(a, i));
    }
    expect(d.items).toHaveLength(3 * DIAGNOSTICS_PER_KIND);
    expect(d.wants('w', at(a, 0))).toBe(false);
    expect(d.wants('e', at(a, 0))).toBe(true);
  });
});

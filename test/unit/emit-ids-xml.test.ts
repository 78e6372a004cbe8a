/**
 * Two fast paths in the emitters, each checked against the plain version it
 * replaced: IdRegistry.unique resumes the suffix search per base (it was
 * quadratic: 5,000 instances asking for one base), and escapeAttr returns a
 * value that needs no escape as it is.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { escapeAttr } from '../../src/emit/xml.js';
import { IdRegistry, makeId } from '../../src/pcmk/ids.js';

/** The registry as it was: count from 1 on every request. */
class PlainRegistry {
  private readonly taken = new Set<string>();
  reserve(id: string): void {
    this.taken.add(id);
  }
  unique(...parts: string[]): string {
    const base = makeId(...parts);
    let id = base;
    for (let n = 1; this.taken.has(id); n++) id = `${base}-${n}`;
    this.taken.add(id);
    return id;
  }
}

/** escapeAttr as it was: every replacement on every value. */
function plainEscape(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

describe('IdRegistry', () => {
  test('hands out the same ids as counting from 1 every time, whatever was reserved in between', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('unique' as const), base: fc.constantFrom('a', 'b', 'a-1', 'vip') }),
      fc.record({ kind: fc.constant('reserve' as const), id: fc.constantFrom('a', 'a-1', 'a-2', 'a-3', 'a-1-1', 'b-2', 'vip-1', 'vip-5') }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const fast = new IdRegistry();
        const plain = new PlainRegistry();
        for (const o of ops) {
          if (o.kind === 'reserve') {
            fast.reserve(o.id);
            plain.reserve(o.id);
          } else expect(fast.unique(o.base)).toBe(plain.unique(o.base));
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  test('a reserved id in the middle of a run is skipped', () => {
    const r = new IdRegistry(['x-2']);
    expect([r.unique('x'), r.unique('x'), r.unique('x'), r.unique('x')]).toEqual(['x', 'x-1', 'x-3', 'x-4']);
  });
});

describe('escapeAttr', () => {
  test('equals every replacement applied in turn, on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '&', '<', '>', '"', '\t', '\n', '\r', '\u0001', '\ud800', '\udc00', '\ufffe', 'é', ' ', "'") }), (s) => {
        expect(escapeAttr(s)).toBe(plainEscape(s));
      }),
      { seed: 42, numRuns: 2000 },
    );
    expect(escapeAttr('VI_1-ip-192.0.2.10')).toBe('VI_1-ip-192.0.2.10');
    expect(escapeAttr('a\nb "c" & <d>')).toBe('a&#10;b &quot;c&quot; &amp; &lt;d&gt;');
  });
});

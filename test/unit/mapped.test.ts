/**
 * MappedText's positions for text written nowhere: a generator's value or a
 * predefined name's is one piece whose every character maps to the reference
 * that brought it in, and stays one piece through the lines it goes into.
 */
import { describe, expect, test } from '@jest/globals';
import { Diagnostics } from '../../src/diag/diagnostic.js';
import { SourceFile } from '../../src/diag/span.js';
import { expand } from '../../src/source/expand.js';
import { MemoryFileSystem } from '../../src/source/files.js';
import { MappedText } from '../../src/source/mapped.js';
import { computedAt } from '../../src/source/params.js';

describe('computed text', () => {
  const file = new SourceFile('/k.conf', 'abc $i def\n');
  const site = { file, start: 4, end: 6 };

  test('every character maps to the reference, and two of them were never written side by side', () => {
    const v = computedAt('1114860', site);
    expect(v.pieces).toHaveLength(1);
    for (let i = 0; i < 7; i++) {
      expect(v.siteSpan(i, i + 1)).toEqual(site);
      expect(v.writtenSpan(i, i + 1)).toEqual({ file, start: 4, end: 5 });
      expect(v.isSubstituted(i, i + 1)).toBe(true);
    }
    expect(v.siteSpan(0, 7)).toBe(site);
    expect(v.writtenSpan(0, 2)).toBeUndefined();
  });

  test('a line built around a value keeps it one piece, and maps both sides', () => {
    const head = MappedText.verbatim(file, 0, 'abc ');
    const tail = MappedText.verbatim(file, 6, ' def');
    const line = MappedText.concat([head, computedAt('1114860', site), tail]);
    expect(line.text).toBe('abc 1114860 def');
    expect(line.pieces).toHaveLength(3);
    expect(line.siteSpan(0, 3)).toEqual({ file, start: 0, end: 3 });
    expect(line.siteSpan(4, 11)).toEqual(site);
    expect(line.siteSpan(12, 15)).toEqual({ file, start: 7, end: 10 });
    // Across the value: from the first verbatim character to the end of the reference's site.
    expect(line.siteSpan(0, 11)).toEqual({ file, start: 0, end: 6 });
    expect(line.isSubstituted(0, 4)).toBe(false);
    expect(line.isSubstituted(3, 5)).toBe(true);
    const part = line.slice(6, 13);
    expect(part.text).toBe('14860 d');
    expect(part.pieces).toHaveLength(2);
    expect(part.siteSpan(0, 5)).toEqual(site);
    expect(part.writtenSpan(4, 5)).toEqual({ file, start: 4, end: 5 });
    expect(part.writtenSpan(3, 5)).toBeUndefined();
  });

  test('a generator value in a diagnostic points at the reference', () => {
    const text = 'global_defs {\n~SEQ(i, 9998, 10001) router_id x$i {\n}\n';
    const diags = new Diagnostics();
    const ex = expand('/k.conf', { fs: MemoryFileSystem.of({ '/k.conf': text }), configId: 'n' }, diags);
    const lines = ex.lines.map((l) => l.text);
    expect(lines).toContain('router_id x10001');
    const l = ex.lines.find((x) => x.text === 'router_id x10001')!;
    const ref = text.indexOf('$i');
    expect(l.siteSpan(11, 16)).toMatchObject({ start: ref, end: ref + 2 });
    expect(l.pieces.filter((p) => p.point)).toHaveLength(1);
  });
});

/**
 * Diagnostics and ledger entries come out in the order files were read (the
 * entry file, its includes, then scripts), never in the order of their
 * absolute paths: a clone under /build or under /work gave two different
 * outputs before (CI failed on it).
 */
import { describe, expect, test } from '@jest/globals';
import { Diagnostics, sortDiagnostics } from '../../src/diag/diagnostic.js';
import { SourceFile } from '../../src/diag/span.js';

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

/**
 * The boot marker a lab node writes when its units have started: the host
 * must wait while the file exists but is still empty (it was created and not
 * yet written), and must not take that moment for a failed boot.
 * A CI run failed on this race ("node2: a unit failed to start at boot" with
 * no unit marked FAILED in the boot log).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeLabDir, waitBooted } from '../../src/lab/node.js';
import type { NodeRecord } from '../../src/lab/state.js';

const node = { name: 'node1', addr: '192.0.2.11', ns: 'unused', port: 'unused' } as NodeRecord;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-boot-'));
  mkdirSync(nodeLabDir(dir, 'node1'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('an empty marker is a marker being written: the wait goes on until it says 0', async () => {
  const marker = join(nodeLabDir(dir, 'node1'), 'booted');
  writeFileSync(marker, '');
  const later = setTimeout(() => writeFileSync(marker, '0\n'), 100);
  await expect(waitBooted(dir, node, 5000)).resolves.toBeUndefined();
  clearTimeout(later);
});

test('a marker that says 1 is a failed boot, with the boot log in the error', async () => {
  const log = join(dir, 'nodes', 'node1', 'fs', 'var-log');
  mkdirSync(log, { recursive: true });
  writeFileSync(join(log, 'ka2pcmk-boot.log'), 'start corosync\nstart corosync FAILED\n');
  writeFileSync(join(nodeLabDir(dir, 'node1'), 'booted'), '1\n');
  await expect(waitBooted(dir, node, 5000)).rejects.toThrow(/node1: a unit failed to start at boot:\nstart corosync\nstart corosync FAILED/);
});

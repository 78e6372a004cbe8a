/**
 * crm_simulate on the emitted CIBs: resources land where keepalived's
 * election would put them, and move where it would after a node fails.
 */
import { jest } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emitCib } from '../../src/emit/cib.js';
import { removeDir, simulate, tempDir } from '../../src/tools/pacemaker.js';
import { FIXTURES } from '../helpers/pcmk-fixtures.js';

jest.setTimeout(60_000);

let dir: string;
const cibFile = async (name: keyof typeof FIXTURES): Promise<string> => {
  const file = join(dir, `${name}.xml`);
  await writeFile(file, emitCib(FIXTURES[name]));
  return file;
};
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeDir(dir));

describe('crm_simulate places the emitted resources as keepalived would', () => {
  it('the VIP group starts on the preferred node and moves to the other when it fails', async () => {
    const r = await simulate(await cibFile('vipGroup'), { up: ['node1', 'node2'], fail: ['node1'] });
    expect(r.messages).toEqual([]);
    expect(r.steady['g-VI_1']).toEqual([{ node: 'node1', role: 'Started' }]);
    expect(r.steady['vip-VI_1-2001_db8__10']).toEqual([{ node: 'node1', role: 'Started' }]);
    expect(r.placement['g-VI_1']).toEqual([{ node: 'node2', role: 'Started' }]);
  });

  it('three nodes: the VIP follows the priority order through two failures', async () => {
    const file = await cibFile('threeNode');
    const up = ['node1', 'node2', 'node3'];
    expect((await simulate(file, { up })).placement.vip).toEqual([{ node: 'node1', role: 'Started' }]);
    expect((await simulate(file, { up, fail: ['node1'] })).placement.vip).toEqual([{ node: 'node2', role: 'Started' }]);
    expect((await simulate(file, { up, fail: ['node1', 'node2'] })).placement.vip).toEqual([{ node: 'node3', role: 'Started' }]);
  });

  it('a failed monitor (op-inject) moves the NFS group as a whole, in order', async () => {
    const r = await simulate(await cibFile('nfsGroup'), { up: ['node1', 'node2'], ops: ['nfs-vip_monitor_10000@node1=7'] });
    expect(r.messages).toEqual([]);
    expect(r.steady['g-nfs']).toEqual([{ node: 'node1', role: 'Started' }]);
    // One failure restarts in place (migration-threshold defaults to INFINITY): still node1, all members.
    for (const id of ['nfs-fs', 'nfs-daemon', 'nfs-export', 'nfs-vip']) expect(r.placement[id]).toEqual([{ node: 'node1', role: 'Started' }]);
  });

  it('DRBD: an instance per node, and the filesystem waits for a Promoted one', async () => {
    // Promotion needs the promotion score the real drbd agent sets (crm_master);
    // a simulation runs no agent, so nothing is promoted and the colocated
    // filesystem must not start anywhere: that proves the colocation binds.
    const r = await simulate(await cibFile('drbd'), { up: ['node1', 'node2'] });
    expect(r.messages).toEqual([]);
    expect(r.steady['drbd-r0']).toEqual([
      { node: 'node1', role: 'Unpromoted' },
      { node: 'node2', role: 'Unpromoted' },
    ]);
    expect(r.steady['data-fs']).toBeUndefined();
  });

  it('the service clone runs everywhere and the VIP group sits with it on the preferred node', async () => {
    const r = await simulate(await cibFile('serviceClone'), { up: ['node1', 'node2'] });
    expect(r.messages).toEqual([]);
    expect(r.steady['nginx-clone'].map((e) => e.node)).toEqual(['node1', 'node2']);
    expect(r.steady['g-VI_1']).toBeUndefined(); // ethmonitor's attribute is not set in a simulation: the rule bans every node
  });

  it('reports a bad input as a value, not a throw', async () => {
    const r = await simulate(join(dir, 'missing.xml'), { up: ['node1'] });
    expect(r.ok).toBe(false);
    expect(r.messages.join('\n')).toMatch(/crm_simulate/);
  });
});

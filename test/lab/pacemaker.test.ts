/**
 * (b) A 3-node Pacemaker cluster in the lab: three nodes online; an IPaddr2
 * VIP on exactly one node; that node crashed → the VIP answers from another.
 * Then the crashed node boots again and rejoins. Ends with (c): nothing left.
 */
import { describeGap } from '../../src/lab/analysis.js';
import { Lab } from '../../src/lab/lab.js';
import { acquireLock } from '../../src/lab/lock.js';
import { pollUntil } from '../../src/lab/proc.js';
import { diffSnapshots, snapshot, survivors, type MachineSnapshot } from './machine.js';

const DIR = '/run/ka2pcmk-lab-test-pacemaker';
const TOTEM = { token: 1000, consensus: 1200 };
const VIP_XML =
  '<primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">' +
  '<instance_attributes id="vip-ia">' +
  '<nvpair id="vip-ip" name="ip" value="192.0.2.100"/>' +
  '<nvpair id="vip-mask" name="cidr_netmask" value="24"/>' +
  '<nvpair id="vip-nic" name="nic" value="eth0"/>' +
  '</instance_attributes>' +
  '<operations><op id="vip-monitor" name="monitor" interval="2s" timeout="20s"/></operations>' +
  '</primitive>';

let lab: Lab | undefined;
let before: MachineSnapshot;
let release: (() => void) | undefined;

beforeAll(async () => {
  release = await acquireLock();
  before = await snapshot();
  lab = await Lab.up({ nodes: 3, cluster: 'ready', totem: TOTEM, sharedDisk: true, dir: DIR, prefix: 'ka2tb', replaceExisting: true });
  console.log(`LAB figure: lab up to "3 nodes online" in ${lab.timings.onlineMs} ms (booted ${lab.timings.bootedMs} ms; target < 30000 ms)`);
}, 180_000);

afterAll(async () => {
  try {
    await lab?.down();
  } finally {
    release?.();
  }
}, 120_000);

/** Nodes the cluster reports the VIP active on, once it reports exactly one. */
async function vipHolder(l: Lab, via: string): Promise<string> {
  return pollUntil('the VIP on exactly one node', async () => {
    const s = await l.clusterStatus(via);
    const on = s?.resources.get('vip') ?? [];
    return on.length === 1 ? on[0] : undefined;
  }, 60_000, 200);
}

test('three nodes online; the shared disk is visible on every node', async () => {
  const s = await lab!.clusterStatus('node1');
  expect(s?.online).toEqual(['node1', 'node2', 'node3']);
  expect(s?.dc).toBeDefined();
  const disk = lab!.sharedDisk!;
  for (const n of lab!.nodeNames()) {
    expect((await lab!.exec(n, ['blkid', '-o', 'value', '-s', 'TYPE', disk])).stdout.trim()).toBe('ext4');
  }
}, 60_000);

test('IPaddr2 VIP on exactly one node; that node crashed → the VIP answers from another', async () => {
  const l = lab!;
  const created = await l.exec('node1', ['cibadmin', '--create', '-o', 'resources', '--xml-text', VIP_XML]);
  expect(created.code).toBe(0);
  const holder = await vipHolder(l, 'node1');
  const watcher = await l.startWatcher();
  const prober = l.startProber();
  try {
    await prober.waitForAnswer([holder], 0, 20_000);
    const steady = Date.now();
    await prober.waitForAnswer([holder], steady + 300, 5_000);
    expect(watcher.holders()).toEqual([holder]);

    const crashAt = Date.now();
    await l.crash(holder);
    const survivorsNodes = l.nodeNames().filter((n) => n !== holder);
    const hit = await prober.waitForAnswer(survivorsNodes, crashAt, 60_000);
    await prober.waitForAnswer([hit.node!], Date.now() + 300, 5_000);
    const report = await prober.stop(steady);
    console.log(describeGap(`LAB figure: Pacemaker node crash (token ${TOTEM.token}, consensus ${TOTEM.consensus}) → VIP answers elsewhere`, report.longestGap));
    expect(report.switches.map((x) => x.from)).toEqual([holder]);
    const newHolder = await vipHolder(l, survivorsNodes[0]);
    expect(newHolder).toBe(hit.node);
    expect(watcher.overlaps()).toEqual([]);
    expect(watcher.holders()).toEqual([newHolder]);

    // The crashed node comes back (stale VIP gone) and rejoins; the VIP stays put.
    const bootAt = Date.now();
    await l.boot(holder);
    await l.waitOnline(['node1', 'node2', 'node3'], 90_000);
    console.log(`LAB figure: crashed node booted and back online in ${Date.now() - bootAt} ms`);
    expect(await vipHolder(l, holder)).toBe(newHolder);
    expect(watcher.overlaps()).toEqual([]);
  } finally {
    await prober.stop();
    await watcher.stop();
  }
}, 240_000);

test('the Filesystem agent mounts the shared disk on one node only, never on the host', async () => {
  const l = lab!;
  const hostMounts = (await snapshot()).mounts;
  const fs =
    '<primitive id="shared-fs" class="ocf" provider="heartbeat" type="Filesystem">' +
    '<instance_attributes id="shared-fs-ia">' +
    `<nvpair id="shared-fs-dev" name="device" value="${l.sharedDisk}"/>` +
    '<nvpair id="shared-fs-dir" name="directory" value="/run/shared"/>' +
    '<nvpair id="shared-fs-type" name="fstype" value="ext4"/>' +
    '</instance_attributes></primitive>';
  expect((await l.exec('node2', ['cibadmin', '--create', '-o', 'resources', '--xml-text', fs])).code).toBe(0);
  // crm_mon may list the resource on its node while the start is still running: poll the mounts.
  const mountedOn = async () => {
    const on: string[] = [];
    for (const n of l.nodeNames()) {
      const m = await l.exec(n, ['findmnt', '-n', '-o', 'SOURCE', '/run/shared']);
      if (m.stdout.trim()) on.push(`${n}:${m.stdout.trim()}`);
    }
    return on;
  };
  const on = await pollUntil('shared-fs mounted', async () => {
    const m = await mountedOn();
    return m.length === 1 ? m[0] : undefined;
  }, 60_000, 200);
  const [node, source] = on.split(':');
  expect(source).toBe(l.sharedDisk);
  expect((await l.clusterStatus('node2'))?.resources.get('shared-fs')).toEqual([node]);
  expect(await mountedOn()).toEqual([on]);
  expect((await snapshot()).mounts).toEqual(hostMounts);
}, 120_000);

test('(c) teardown leaves the machine as it found it', async () => {
  const l = lab!;
  const r = await l.down();
  expect(r.problems).toEqual([]);
  console.log(`LAB figure: lab down in ${r.ms} ms`);
  expect(survivors(l.state)).toEqual([]);
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
}, 120_000);

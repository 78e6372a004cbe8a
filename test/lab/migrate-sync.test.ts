/**
 * (b) Three nodes, two VRRP instances in one sync group (fixtures/lab/sync3),
 * migrated onto a cluster ka2pcmk bootstraps itself (the lab's cluster is
 * only 'installed': no corosync.conf, nothing enabled). Both VIPs are
 * adopted where keepalived held them, never on two nodes; then rolled back.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab } from '../../src/lab/lab.js';
import { acquireLock } from '../../src/lab/lock.js';
import { buildCli, cli, holders, hostArgs, sshArgs, until } from '../helpers/lab-runner.js';
import { diffSnapshots, snapshot, survivors, type MachineSnapshot } from './machine.js';

const DIR = '/run/ka2pcmk-lab-test-migrate-sync';
const FIX = join(process.cwd(), 'fixtures', 'lab', 'sync3');
const VIPS = ['192.0.2.100', '192.0.2.101'];
let lab: Lab | undefined;
let before: MachineSnapshot;
let release: (() => void) | undefined;
let work: string;

beforeAll(async () => {
  release = await acquireLock();
  before = await snapshot();
  await buildCli();
  work = mkdtempSync(join(tmpdir(), 'ka2pcmk-migrate-sync-'));
  const keepalived = Object.fromEntries(['node1', 'node2', 'node3'].map((n) => [n, readFileSync(join(FIX, `${n}.conf`), 'utf8')]));
  lab = await Lab.up({ nodes: 3, keepalived, cluster: 'installed', dir: DIR, prefix: 'ka2ms', replaceExisting: true });
  for (const v of VIPS) await until(`node1 to hold ${v}`, async () => (await holders(lab!, v)).join() === 'node1', 30_000);
}, 180_000);

afterAll(async () => {
  try {
    await lab?.down();
  } finally {
    rmSync(work, { recursive: true, force: true });
    release?.();
  }
}, 120_000);

test('(b) two instances in a sync group, 3 nodes, onto a cluster ka2pcmk bootstraps', async () => {
  const l = lab!;
  const plan = join(work, 'plan');
  const a = await cli(l, ['analyze', ...hostArgs(l), ...sshArgs(l), '--no-stonith', '--cluster-name', 'labsync', '-o', plan]);
  if (a.code !== 0) console.log(a.stdout, a.stderr);
  expect(a.code).toBe(0);
  for (const n of l.nodeNames()) expect((await l.systemctl(n, 'is-enabled', 'corosync')).stdout.trim()).toBe('disabled');
  const watcher = await l.startWatcher();
  const r = await cli(l, ['migrate', plan, ...sshArgs(l)]);
  await watcher.stop();
  console.log(`migrate (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  expect(r.code).toBe(0);
  const line = /cutover downtime (\d+) ms[^\n]*/.exec(r.stdout);
  console.log(`FIGURE (b) ${line?.[0]}`);
  expect(r.stdout).toMatch(/bootstrap|start corosync/);
  for (const v of VIPS) {
    expect(watcher.overlaps(v)).toEqual([]);
    // Adopted in place: one holding, by node1, never ended (a removal and re-add would be two).
    expect(watcher.holdings(v).map((h) => [h.node, h.to])).toEqual([['node1', undefined]]);
    expect(await holders(l, v)).toEqual(['node1']);
  }
  const mon = await l.exec('node1', ['crm_mon', '-1']);
  expect(mon.stdout).toMatch(/Online: \[ node1 node2 node3 \]/);
  for (const v of VIPS) expect(mon.stdout).toMatch(new RegExp(`ip-${v.replace(/\./g, '\\.')}\\s+\\(ocf:heartbeat:IPaddr2\\):\\s+Started node1`));
  // The corosync.conf ka2pcmk wrote is the plan's, on every node; three nodes: no two_node.
  const conf = readFileSync(join(plan, 'corosync.conf'), 'utf8');
  expect(conf).not.toMatch(/two_node/);
  for (const n of l.nodeNames()) expect(readFileSync(l.hostPath(n, '/etc/corosync/corosync.conf'), 'utf8')).toBe(conf);
  // The downtime is printed (FIGURE above), not asserted: lost probes on a loaded machine are CPU
  // starvation (21 ms seen in CI beside a fuzz benchmark); the holdings above are the promise.
  expect(Number.isFinite(Number(line?.[1]))).toBe(true);

  const rb = await cli(l, ['rollback', plan, ...sshArgs(l)]);
  console.log(`rollback (exit ${rb.code}):\n${rb.stdout}${rb.stderr}`);
  console.log(`FIGURE (b) ${/VIP probe during rollback: [^\n]*/.exec(rb.stdout)?.[0]}`);
  expect(rb.code).toBe(0);
  for (const v of VIPS) expect(await holders(l, v)).toEqual(['node1']);
}, 400_000);

test('teardown leaves the machine as it found it', async () => {
  const l = lab!;
  const r = await l.down();
  expect(r.problems).toEqual([]);
  expect(survivors(l.state)).toEqual([]);
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
}, 120_000);

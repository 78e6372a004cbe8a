/**
 * `ka2pcmk migrate` and `rollback` end to end on a 2-node keepalived pair
 * (fixtures/lab/pair): a VIP, a service check script (vrrp_script, mapped to
 * the ka2pcmk check agent), and a shared file system that the notify scripts
 * mount on the VIP holder. The CLI runs in the lab's client namespace, as on
 * an operator's bastion: analyze --host, migrate, rollback over ssh, the VIP
 * probed by ka2pcmk itself and by the lab's prober, the address watched on
 * every node.
 *
 * Storage: the lab kernel has no nfsd, so the storage spec is Filesystem
 * only (no exports): `--storage device=<the lab's loop device>,directory=/srv/shared,fstype=ext4`.
 *
 * (a) migrate: checklist green, downtime printed, no lost probe, never two holders;
 * (c) rollback: configs byte-identical, VIP on the original master, cluster gone;
 * (d) a bad nic injected into a copy of the plan: the IPaddr2 cannot start
 *     on the holder → automatic rollback, keepalived holds the VIP, exit 3.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab } from '../../src/lab/lab.js';
import { acquireLock } from '../../src/lab/lock.js';
import type { Watcher } from '../../src/lab/observe.js';
import { sha256 } from '../../src/plan/artifacts.js';
import { buildCli, cli, editedPlanFiles, holders, hostArgs, sshArgs, until } from '../helpers/lab-runner.js';
import { diffSnapshots, snapshot, survivors, type MachineSnapshot } from './machine.js';

const DIR = '/run/ka2pcmk-lab-test-migrate';
const FIX = join(process.cwd(), 'fixtures', 'lab', 'pair');
let lab: Lab | undefined;
let before: MachineSnapshot;
let release: (() => void) | undefined;
let work: string;
let srvExisted = false;
const original: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  release = await acquireLock();
  before = await snapshot();
  srvExisted = existsSync('/srv/shared');
  await buildCli();
  work = mkdtempSync(join(tmpdir(), 'ka2pcmk-migrate-'));
  lab = await Lab.up({
    nodes: 2,
    keepalived: { node1: readFileSync(join(FIX, 'node1.conf'), 'utf8'), node2: readFileSync(join(FIX, 'node2.conf'), 'utf8') },
    cluster: 'installed',
    sharedDisk: true,
    dir: DIR,
    prefix: 'ka2mg',
    replaceExisting: true,
  });
  // The notify script and the device it mounts, then keepalived restarted (backup first) so node1 mounts it as master.
  for (const n of lab.nodeNames()) {
    writeFileSync(lab.hostPath(n, '/etc/keepalived/shared.sh'), readFileSync(join(FIX, 'shared.sh')), { mode: 0o755 });
    writeFileSync(lab.hostPath(n, '/etc/keepalived/shared.dev'), `${lab.sharedDisk}\n`);
  }
  await lab.systemctl('node2', 'restart', 'keepalived');
  await lab.systemctl('node1', 'restart', 'keepalived');
  await until('node1 to hold the VIP and mount the shared disk', async () => (await holders(lab!)).join() === 'node1' && (await lab!.exec('node1', ['mountpoint', '-q', '/srv/shared'])).code === 0, 30_000);
  for (const n of lab.nodeNames()) {
    original[n] = {};
    for (const f of ['/etc/keepalived/keepalived.conf', '/etc/keepalived/shared.sh']) original[n][f] = sha256(readFileSync(lab.hostPath(n, f)));
  }
}, 180_000);

afterAll(async () => {
  try {
    await lab?.down();
  } finally {
    rmSync(work, { recursive: true, force: true });
    // The Filesystem agent and the notify script create the mount point on the machine's own /srv.
    if (!srvExisted) rmdirSync('/srv/shared', { maxRetries: 0 } as never);
    release?.();
  }
}, 120_000);

/** The journal's steps that ran within 3 s before and 1 s after the longest gap, if there was one. */
function explainGap(plan: string): string | undefined {
  const entries = readFileSync(join(plan, 'journal.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const probe = entries.find((e) => e.type === 'probe')?.report;
  const g = probe?.longest;
  if (!g) return undefined;
  const at = (t: number) => new Date(t).toISOString().slice(11, 23);
  return entries
    .filter((e) => e.type === 'step' && e.t >= g.start - 3000 && e.t <= g.end + 1000)
    .map((e) => `  ${at(e.t)} ${e.event.padEnd(7)} ${e.id}`)
    .concat(`  gap ${at(g.start)} → ${at(g.end)} (${g.ms} ms)`)
    .join('\n');
}

function show(what: string, r: { code: number; stdout: string; stderr: string }): void {
  console.log(`${what} (exit ${r.code}):\n${r.stdout}${r.stderr}`);
}

async function analyze(dir: string): Promise<void> {
  const r = await cli(lab!, ['analyze', ...hostArgs(lab!), ...sshArgs(lab!), '--no-stonith', '--cluster-name', 'labpair', '--storage', `device=${lab!.sharedDisk},directory=/srv/shared,fstype=ext4`, '-o', dir]);
  if (r.code !== 0) show('analyze', r);
  expect(r.code).toBe(0);
}

test('(a) a keepalived pair with a VIP, a service check and a shared file system, migrated end to end', async () => {
  const l = lab!;
  const plan = join(work, 'plan');
  await analyze(plan);
  const watcher: Watcher = await l.startWatcher();
  const prober = l.startProber({ name: 'migrate-probe' });
  const t0 = Date.now();
  const r = await cli(l, ['migrate', plan, ...sshArgs(l)]);
  const lab10ms = await prober.stop(t0);
  await watcher.stop();
  show('migrate', r);
  expect(r.code).toBe(0);
  // The checklist is green and the downtime is printed, measured by ka2pcmk from the client.
  // Progress lines are `<ISO time> <STATE> <host> <title>`: no step may have failed.
  expect(r.stdout).toMatch(/Z ok +\S/);
  expect(r.stdout).not.toMatch(/Z FAIL /);
  const line = /cutover downtime (\d+) ms[^\n]*/.exec(r.stdout);
  expect(line).not.toBeNull();
  console.log(`FIGURE (a) ka2pcmk's own probe: ${line![0]}`);
  console.log(`FIGURE (a) lab prober (HTTP every 10 ms): ${lab10ms.probes} probes, longest gap ${lab10ms.longestGap?.downtimeMs ?? 0} ms, lost ${lab10ms.lost}`);
  const gap = explainGap(plan);
  if (gap) console.log(`FIGURE (a) what ran around the gap:\n${gap}`);
  // The downtime is a figure (bench/cutover.mjs compares it with the runbook's and keepalived's), not
  // a bound here: probes get lost while the address stays put when the machine is loaded (130 ms seen
  // in a CI run beside a fuzz benchmark: the responder starved of CPU). What the cutover promises is
  // structural, and asserted: the address was never removed, never on two nodes, never moved.
  expect(Number.isFinite(Number(line![1]))).toBe(true);
  expect(watcher.overlaps()).toEqual([]);
  // The VIP never moved, and was never removed and added again (that would be two holdings of node1):
  // it was adopted where keepalived held it.
  expect(watcher.holdings().map((h) => h.node)).toEqual(['node1']);
  expect(watcher.holdings()[0].to).toBeUndefined();
  expect(await holders(l)).toEqual(['node1']);
  expect((await l.exec('node1', ['mountpoint', '-q', '/srv/shared'])).code).toBe(0);
  expect((await l.exec('node2', ['mountpoint', '-q', '/srv/shared'])).code).not.toBe(0);
  const mon = await l.exec('node1', ['crm_mon', '-1']);
  expect(mon.stdout).toMatch(/VI_1-ip-192\.0\.2\.100\s+\(ocf:heartbeat:IPaddr2\):\s+Started node1/);
  expect(mon.stdout).toMatch(/VI_1-fs\s+\(ocf:heartbeat:Filesystem\):\s+Started node1/);
  for (const n of l.nodeNames()) {
    expect((await l.systemctl(n, 'is-active', 'keepalived')).stdout.trim()).toBe('inactive');
    expect((await l.systemctl(n, 'is-enabled', 'keepalived')).stdout.trim()).toBe('disabled');
  }
  // Journal and local backups are private; no secret in the journal.
  const journal = readFileSync(join(plan, 'journal.ndjson'), 'utf8');
  const key = readFileSync(l.hostPath('node1', '/etc/corosync/authkey'));
  expect(journal).not.toContain(key.toString('base64'));
  expect(readFileSync(join(plan, 'backup', 'node1', 'etc', 'keepalived', 'keepalived.conf'))).toEqual(readFileSync(l.hostPath('node1', '/etc/keepalived/keepalived.conf')));
}, 300_000);

test('(c) rollback after the migration: configs byte-identical, VIP on the original master, cluster gone; twice is harmless', async () => {
  const l = lab!;
  const plan = join(work, 'plan');
  const watcher = await l.startWatcher();
  const r = await cli(l, ['rollback', plan, ...sshArgs(l)]);
  await watcher.stop();
  show('rollback', r);
  expect(r.code).toBe(0);
  console.log(`FIGURE (c) ${/VIP probe during rollback: [^\n]*/.exec(r.stdout)?.[0]}`);
  expect(watcher.overlaps()).toEqual([]);
  expect(await holders(l)).toEqual(['node1']);
  for (const n of l.nodeNames()) {
    for (const [f, sum] of Object.entries(original[n])) expect(sha256(readFileSync(l.hostPath(n, f)))).toBe(sum);
    expect((await l.systemctl(n, 'is-active', 'keepalived')).stdout.trim()).toBe('active');
    expect((await l.systemctl(n, 'is-enabled', 'keepalived')).stdout.trim()).toBe('enabled');
    expect((await l.systemctl(n, 'is-active', 'pacemaker')).stdout.trim()).toBe('inactive');
    expect((await l.systemctl(n, 'is-enabled', 'corosync')).stdout.trim()).toBe('disabled');
    expect(existsSync(l.hostPath(n, '/etc/corosync/corosync.conf'))).toBe(false);
    expect(existsSync(l.hostPath(n, '/etc/corosync/authkey'))).toBe(false);
    expect(existsSync(l.hostPath(n, '/var/lib/pacemaker/cib/cib.xml'))).toBe(false);
  }
  expect(existsSync('/usr/lib/ocf/resource.d/ka2pcmk/check')).toBe(false);
  const again = await cli(l, ['rollback', plan, ...sshArgs(l)]);
  show('rollback again', again);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/rolled back: 0 step\(s\) undone/);
  expect(await holders(l)).toEqual(['node1']);
}, 300_000);

test('(d) the IPaddr2 cannot start on the holder (bad nic in a copy of the plan): automatic rollback, keepalived holds the VIP, exit 3', async () => {
  const l = lab!;
  const plan = join(work, 'plan-bad-nic');
  await analyze(join(work, 'plan-d'));
  cpSync(join(work, 'plan-d'), plan, { recursive: true });
  const files = editedPlanFiles(plan, 'cib.xml', (t) => t.replace('name="nic" value="eth0"', 'name="nic" value="eth9"'));
  expect(files['cib.xml']).toContain('value="eth9"');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(plan, name), text);
  const watcher = await l.startWatcher();
  const r = await cli(l, ['migrate', plan, ...sshArgs(l)]);
  await watcher.stop();
  show('migrate (bad nic)', r);
  expect(r.code).toBe(3);
  expect(r.stdout + r.stderr).toMatch(/rolling back/);
  const figures = [...(r.stdout + r.stderr).matchAll(/(?:cutover |VIP probe during rollback: )?downtime [^\n]*/g)].map((m) => m[0]);
  console.log(`FIGURE (d) ${figures.join('\nFIGURE (d) ')}`);
  expect(watcher.overlaps()).toEqual([]);
  await until('keepalived on node1 holding the VIP again', async () => (await holders(l)).join() === 'node1' && (await l.systemctl('node1', 'is-active', 'keepalived')).stdout.trim() === 'active', 30_000);
  for (const n of l.nodeNames()) {
    expect((await l.systemctl(n, 'is-active', 'keepalived')).stdout.trim()).toBe('active');
    expect((await l.systemctl(n, 'is-active', 'pacemaker')).stdout.trim()).toBe('inactive');
  }
}, 300_000);

test('teardown leaves the machine as it found it', async () => {
  const l = lab!;
  const r = await l.down();
  expect(r.problems).toEqual([]);
  expect(survivors(l.state)).toEqual([]);
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
}, 120_000);

/**
 * Faults during `ka2pcmk migrate`, in the lab (issue 7, deliverable 2).
 *
 * A 2-node keepalived pair (fixtures/lab/pair without its notify scripts: a
 * VIP and a service check), analysed once; each fault runs a real migration
 * of a fresh copy of that plan from the lab's client namespace, with the
 * fault injected at an exact step through the engine's pause hook
 * (KA2PCMK_FAULT_PAUSE_AT/_FILE, src/migrate/fault-hook.ts): the executor
 * journals the step as started, writes FILE.paused with its pid, and waits
 * until the test has injected the fault and removed FILE.
 *
 * For each fault the end state must be one of:
 *   migrated     exit 0 (migrate's checklist green), the VIP on one node,
 *                Pacemaker running it there, keepalived stopped and disabled;
 *   rolled back  keepalived active and enabled on both nodes, holding the VIP
 *                on node1 only, the cluster stopped, every keepalived file
 *                byte-identical (sha256) to what it was before;
 * and the per-node address watchers must never see the VIP on two nodes.
 * The lab's prober (HTTP every 10 ms from the client) gives the longest gap.
 * A fault that ends migrated is rolled back afterwards (outside the table),
 * so every fault starts from the same keepalived pair.
 *
 * The table is printed at the end (docs/faults.md has the last run's).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab } from '../../src/lab/lab.js';
import { acquireLock } from '../../src/lab/lock.js';
import type { Prober, Watcher } from '../../src/lab/observe.js';
import type { RunResult } from '../../src/lab/proc.js';
import { sha256 } from '../../src/plan/artifacts.js';
import { buildCli, CLI, holders, hostArgs, sshArgs, until } from '../helpers/lab-runner.js';
import { diffSnapshots, snapshot, survivors, type MachineSnapshot } from './machine.js';

const DIR = '/run/ka2pcmk-lab-test-faults';
const FIX = join(process.cwd(), 'fixtures', 'lab', 'pair');
const KA_FILES = ['/etc/keepalived/keepalived.conf'];

let lab: Lab | undefined;
let before: MachineSnapshot;
let release: (() => void) | undefined;
let work: string;
const original: Record<string, Record<string, string>> = {};

/** One row of the fault table. */
interface Row {
  fault: string;
  step: string;
  exit: string;
  end: 'migrated' | 'rolled back' | 'NEITHER';
  twoNodes: string;
  gapMs: number;
  note: string;
}
const rows: Row[] = [];

/** The pair's configs without the notify scripts (they mount a shared disk this test does not need). */
const conf = (node: string) =>
  readFileSync(join(FIX, `${node}.conf`), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*notify_/.test(l))
    .join('\n');

beforeAll(async () => {
  release = await acquireLock();
  before = await snapshot();
  await buildCli();
  work = mkdtempSync(join(tmpdir(), 'ka2pcmk-faults-'));
  lab = await Lab.up({ nodes: 2, keepalived: { node1: conf('node1'), node2: conf('node2') }, cluster: 'installed', dir: DIR, prefix: 'ka2ft', replaceExisting: true });
  // node2 started its keepalived at the same time as node1: let node1 (priority 150) win first.
  await until('node1 to hold the VIP', async () => (await holders(lab!)).join() === 'node1', 30_000);
  for (const n of lab.nodeNames()) {
    original[n] = {};
    for (const f of KA_FILES) original[n][f] = sha256(readFileSync(lab.hostPath(n, f)));
  }
  const r = await ka(['analyze', ...hostArgs(lab), ...sshArgs(lab), '--no-stonith', '--cluster-name', 'labfaults', '-o', join(work, 'plan')]);
  if (r.code !== 0) show('analyze', r);
  expect(r.code).toBe(0);
}, 180_000);

afterAll(async () => {
  if (rows.length) console.log(`FAULT TABLE\n${table()}`);
  try {
    await lab?.down();
  } finally {
    rmSync(work, { recursive: true, force: true });
    release?.();
  }
}, 120_000);

function table(): string {
  const head = '| fault | step where injected | exit code | end state | VIP ever on two nodes | longest VIP gap (ms) | notes |';
  return [head, '|---|---|---|---|---|---|---|', ...rows.map((r) => `| ${r.fault} | \`${r.step}\` | ${r.exit} | ${r.end} | ${r.twoNodes} | ${r.gapMs} | ${r.note} |`)].join('\n');
}

function show(what: string, r: RunResult): void {
  console.log(`${what} (exit ${r.code}):\n${r.stdout}${r.stderr}`);
  if (r.code !== 0) console.log(`${what}: Pacemaker's last errors\n${pacemakerErrors()}`);
}

/** The last error lines of each node's pacemaker.log (the nodes' /var/log survives the rollback). */
function pacemakerErrors(): string {
  return lab!
    .nodeNames()
    .map((n) => {
      const f = lab!.hostPath(n, '/var/log/pacemaker/pacemaker.log');
      const lines = existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => /error|not installed|Result of (start|stop)/i.test(l)) : [];
      return `${n}:\n  ${lines.slice(-8).join('\n  ')}`;
    })
    .join('\n');
}

/** The CLI in the client namespace, with extra environment (the pause hook). */
function ka(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 300_000): Promise<RunResult> {
  return lab!.execClient([process.execPath, CLI, ...args], { timeoutMs, env: { ...process.env, NO_COLOR: '1', HOME: '/root', ...env }, cwd: process.cwd() });
}

/** A fresh copy of the analysed plan (no journal, no backups): each fault migrates its own DIR. */
function planCopy(name: string): string {
  const dir = join(work, name);
  cpSync(join(work, 'plan'), dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f === 'journal.ndjson' || f === 'backup' || f === 'MANUAL-STEPS.md') rmSync(join(dir, f), { recursive: true, force: true });
  return dir;
}

interface Observed {
  watcher: Watcher;
  prober: Prober;
  t0: number;
}

async function observe(): Promise<Observed> {
  const watcher = await lab!.startWatcher();
  const prober = lab!.startProber({ name: 'faults-probe' });
  return { watcher, prober, t0: Date.now() };
}

/** Starts `migrate DIR` paused at `step`; resolves with the running CLI and the pid of the paused ka2pcmk. */
async function migratePausedAt(dir: string, step: string): Promise<{ done: Promise<RunResult>; pid: number; resume: () => void }> {
  const file = join(dir, 'fault.pause');
  writeFileSync(file, '');
  const done = ka(['migrate', dir, ...sshArgs(lab!)], { KA2PCMK_FAULT_PAUSE_AT: step, KA2PCMK_FAULT_PAUSE_FILE: file });
  let ended: RunResult | undefined;
  void done.then((r) => (ended = r));
  const text = await until(`migrate to reach ${step}`, async () => {
    if (ended) throw new Error(`migrate ended (exit ${ended.code}) before reaching ${step}:\n${ended.stdout}${ended.stderr}`);
    return existsSync(`${file}.paused`) ? readFileSync(`${file}.paused`, 'utf8') : undefined;
  }, 180_000);
  const [pid, at] = text.trim().split(' ');
  expect(at).toBe(step);
  return { done, pid: Number(pid), resume: () => unlinkSync(file) };
}

const unit = async (node: string, verb: string, u: string) => (await lab!.systemctl(node, verb, u)).stdout.trim();

/** Which end state the lab is in (or 'NEITHER', with what is wrong). */
async function endState(code: number): Promise<{ end: Row['end']; why: string[] }> {
  const l = lab!;
  const where = await holders(l);
  const why: string[] = [];
  const migrated: string[] = [];
  if (code !== 0) migrated.push(`exit ${code}`);
  if (where.length !== 1) migrated.push(`VIP on ${where.join(', ') || 'no node'}`);
  const mon = await l.exec(where[0] ?? 'node1', ['crm_mon', '-1']);
  if (!new RegExp(`IPaddr2\\):\\s+Started ${where[0]}`).test(mon.stdout)) migrated.push('Pacemaker does not run the VIP where it is');
  for (const n of l.nodeNames()) if ((await unit(n, 'is-active', 'keepalived')) === 'active' || (await unit(n, 'is-enabled', 'keepalived')) === 'enabled') migrated.push(`${n}: keepalived active or enabled`);
  if (!migrated.length) return { end: 'migrated', why };
  if (where.join() !== 'node1') why.push(`VIP on ${where.join(', ') || 'no node'}`);
  for (const n of l.nodeNames()) {
    for (const [f, sum] of Object.entries(original[n])) if (sha256(readFileSync(l.hostPath(n, f))) !== sum) why.push(`${n}:${f} differs`);
    if ((await unit(n, 'is-active', 'keepalived')) !== 'active') why.push(`${n}: keepalived not active`);
    if ((await unit(n, 'is-enabled', 'keepalived')) !== 'enabled') why.push(`${n}: keepalived not enabled`);
    if ((await unit(n, 'is-active', 'pacemaker')) === 'active') why.push(`${n}: pacemaker still active`);
  }
  return why.length ? { end: 'NEITHER', why: [...why, `not migrated: ${migrated.join('; ')}`] } : { end: 'rolled back', why };
}

/** Stops the observers, decides the end state, records the row; a migrated pair is rolled back for the next fault. */
async function record(o: Observed, fault: string, step: string, exit: string, code: number, dir: string, note: string): Promise<Row> {
  // A rolled-back keepalived pair settles within a few adverts: let the VIP come home before judging.
  if (code !== 0) await until('the VIP on node1', async () => (await holders(lab!)).join() === 'node1', 20_000).catch(() => undefined);
  const s = await endState(code);
  const report = await o.prober.stop(o.t0);
  await o.watcher.stop();
  const overlaps = o.watcher.overlaps();
  const row: Row = { fault, step, exit, end: s.end, twoNodes: overlaps.length ? `YES (${overlaps.length})` : 'no', gapMs: Math.round(report.longestGap?.downtimeMs ?? 0), note: [note, ...s.why].filter(Boolean).join('; ') };
  rows.push(row);
  console.log(`FAULT ${fault}: ${JSON.stringify(row)}\nprober: ${report.probes} probes, ${report.lost} lost; overlaps ${JSON.stringify(overlaps)}`);
  if (s.end === 'migrated') {
    const r = await ka(['rollback', dir, ...sshArgs(lab!)]);
    if (r.code !== 0) show(`rollback after ${fault}`, r);
    expect(r.code).toBe(0);
    await until('the VIP on node1 after the reset', async () => (await holders(lab!)).join() === 'node1', 20_000);
  }
  return row;
}

test('5. the disk full while writing a backup (a 16 KiB tmpfs over node2\'s backup folder)', async () => {
  const l = lab!;
  const dir = planCopy('disk-full');
  const step = 'backup/keepalived/node2';
  const o = await observe();
  const m = await migratePausedAt(dir, step);
  // Inside node2's own mount namespace only: the host's /var/lib is untouched.
  const mnt = await l.exec('node2', ['sh', '-c', 'mkdir -p /var/lib/ka2pcmk/backup && mount -t tmpfs -o size=16k,mode=0700 ka2pcmk-full /var/lib/ka2pcmk/backup']);
  expect(mnt.code).toBe(0);
  m.resume();
  const r = await m.done;
  show('migrate (disk full)', r);
  await l.exec('node2', ['umount', '/var/lib/ka2pcmk/backup']);
  const row = await record(o, 'disk full while writing a backup', step, String(r.code), r.code, dir, /No space left|ENOSPC|space/i.test(r.stdout + r.stderr) ? 'ENOSPC reported' : 'no ENOSPC in the output');
  expect(row.end).toBe('rolled back');
  expect(r.code).toBe(3);
  expect(row.twoNodes).toBe('no');
}, 300_000);

test('1. the SSH connection to node1 dropped mid-step (sshd and its sessions killed, back 10 s later)', async () => {
  const l = lab!;
  const dir = planCopy('ssh-drop');
  const step = 'bootstrap/online/node1';
  const o = await observe();
  const m = await migratePausedAt(dir, step);
  m.resume();
  // The wait for "online" polls crm_mon on node1 for ~20 s: drop the connection while it runs.
  await new Promise((r) => setTimeout(r, 3000));
  const k = await l.systemctl('node1', 'kill', '--signal=KILL', '--kill-whom=all', 'ssh');
  expect(k.code).toBe(0);
  // Down long enough that the rollback (which starts as soon as the step fails) meets it too.
  await new Promise((r) => setTimeout(r, 10_000));
  await l.setSshd('node1', true);
  const r = await m.done;
  show('migrate (ssh dropped)', r);
  const row = await record(o, 'SSH connection dropped', `${step} (+3 s; sshd down 10 s)`, String(r.code), r.code, dir, '');
  expect(row.end).not.toBe('NEITHER');
  expect(row.twoNodes).toBe('no');
}, 300_000);

test('3. keepalived refusing to stop (SIGSTOP on node2 before its stop)', async () => {
  const l = lab!;
  const dir = planCopy('ka-refuses');
  const step = 'cutover/stop-backup/node2';
  const o = await observe();
  const m = await migratePausedAt(dir, step);
  await l.signalKeepalived('node2', 'STOP', 'all');
  m.resume();
  const r = await m.done;
  show('migrate (keepalived refuses to stop)', r);
  const row = await record(o, 'keepalived refusing to stop', step, String(r.code), r.code, dir, '');
  expect(row.end).not.toBe('NEITHER');
  expect(row.twoNodes).toBe('no');
}, 300_000);

test('4. the IPaddr2 cannot start on the holder (agent that neither sees nor starts the address on node1)', async () => {
  const l = lab!;
  const dir = planCopy('rsc-start');
  const step = 'cutover/cib/node1';
  const o = await observe();
  const m = await migratePausedAt(dir, step);
  // As when IPaddr2 does not recognise keepalived's address (LAB.md: a prefix mismatch) and cannot add
  // its own: monitor "not running", start an error, stop a no-op. Bound over the agent in node1 only.
  const agent = '/usr/lib/ocf/resource.d/heartbeat/IPaddr2';
  writeFileSync(l.hostPath('node1', '/root/IPaddr2-broken'), '#!/bin/sh\ncase "$1" in\n  start) echo "injected: cannot start" >&2; exit 1 ;;\n  monitor|status) exit 7 ;;\n  stop) exit 0 ;;\n  *) exec /root/IPaddr2-real "$@" ;;\nesac\n', { mode: 0o755 });
  // meta-data and validate-all still come from the real agent, copied aside first.
  const b = await l.exec('node1', ['sh', '-c', `cp ${agent} /root/IPaddr2-real && mount --bind /root/IPaddr2-broken ${agent}`]);
  expect(b.code).toBe(0);
  m.resume();
  const r = await m.done;
  show('migrate (IPaddr2 cannot start on the holder)', r);
  await l.exec('node1', ['umount', agent]);
  const row = await record(o, 'resource failing to start', step, String(r.code), r.code, dir, '');
  expect(row.twoNodes).toBe('no');
  expect(row.end).toBe('rolled back');
  expect(r.code).toBe(3);
}, 300_000);

test('2. node2 crashed during the cutover (before the CIB push), booted again 3 s later', async () => {
  const l = lab!;
  const dir = planCopy('crash');
  const step = 'cutover/cib/node1';
  const o = await observe();
  const m = await migratePausedAt(dir, step);
  await l.crash('node2');
  m.resume();
  await new Promise((r) => setTimeout(r, 3000));
  await l.boot('node2');
  const r = await m.done;
  show('migrate (node2 crashed)', r);
  let code = r.code;
  let exit = String(r.code);
  if (code === 4) {
    // The operator's move after exit 4: run rollback again, now that the node is back.
    const rb = await ka(['rollback', dir, ...sshArgs(l)]);
    show('rollback after the crash', rb);
    exit += `, then rollback ${rb.code}`;
    code = rb.code === 0 ? 3 : 4;
  }
  const row = await record(o, 'node crashed during the cutover', `${step} (node2 crashed, booted 3 s later)`, exit, code, dir, '');
  expect(row.end).not.toBe('NEITHER');
  expect(row.twoNodes).toBe('no');
}, 300_000);

test('6. ka2pcmk SIGKILLed mid-migration (just before it kills the holder\'s keepalived), then `ka2pcmk rollback DIR`', async () => {
  const l = lab!;
  const dir = planCopy('sigkill');
  const step = 'cutover/kill-holder/node1';
  const o = await observe();
  const m = await migratePausedAt(dir, step);
  process.kill(m.pid, 'SIGKILL');
  m.resume();
  const r = await m.done;
  expect(r.code).not.toBe(0);
  const rb = await ka(['rollback', dir, ...sshArgs(l)]);
  show('rollback after SIGKILL', rb);
  const journal = readFileSync(join(dir, 'journal.ndjson'), 'utf8');
  expect(statSync(join(dir, 'journal.ndjson')).mode & 0o777).toBe(0o600);
  expect(journal).toContain('"outcome":"rolled-back"');
  const row = await record(o, 'ka2pcmk killed (SIGKILL), then rollback', step, `killed (${r.code}), then rollback ${rb.code}`, rb.code === 0 ? 3 : 4, dir, '');
  expect(rb.code).toBe(0);
  expect(row.end).toBe('rolled back');
  expect(row.twoNodes).toBe('no');
}, 300_000);

test('teardown leaves the machine as it found it', async () => {
  const l = lab!;
  const r = await l.down();
  expect(r.problems).toEqual([]);
  expect(survivors(l.state)).toEqual([]);
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
  console.log(`FAULT TABLE\n${table()}`);
  rows.length = 0;
}, 120_000);

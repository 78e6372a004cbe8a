/**
 * The executor: an unknown plan version and a stale plan are refused (exit 1,
 * naming what changed) before anything is changed; a failure after changes
 * rolls back (exit 3), and a rollback that cannot finish is exit 4 with
 * MANUAL-STEPS.md. The survey runs against the scripted FakeRunner; the
 * whole-run cases use the stateful stand-in pair of test/helpers/two-hosts.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRunner, type Expectation } from '../../src/exec/fake.js';
import { executeMigration } from '../../src/migrate/execute.js';
import { readJournal } from '../../src/migrate/journal.js';
import { loadPlan, PlanError } from '../../src/migrate/plan.js';
import { sha256 } from '../../src/plan/artifacts.js';
import { PAIR_CIB as CIB, PAIR_KA as KA, quickRun, TwoHosts, writePairPlan } from '../helpers/two-hosts.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-ex-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A corosync.conf with a logging section (the pair's own has none). */
const CONF = 'totem {\n}\nlogging {\n    logfile: /var/log/cluster/corosync.log\n}\n';

const writePlan = (extra: Record<string, unknown> = {}) => writePairPlan(dir, { conf: CONF, extra });

const preconditions = (holder: string) => ({
  files: { node1: { '/etc/keepalived/keepalived.conf': sha256(KA) }, node2: { '/etc/keepalived/keepalived.conf': sha256(KA) } },
  vips: { VI_1: { addresses: { '192.0.2.100': [holder] }, holders: [holder] } },
  keepalived: { node1: { active: true, enabled: true, pids: [1, 2] }, node2: { active: true, enabled: true, pids: [3, 4] } },
  packages: {},
  cib: 'no cluster',
});

function surveyOf(node: string, vip: boolean, kaSum = sha256(KA)): Expectation[] {
  const units = ['keepalived', 'corosync', 'pacemaker'].flatMap((u) => [
    { node, argv: ['systemctl', 'is-active', u], result: u === 'keepalived' ? { stdout: 'active\n' } : { code: 3, stdout: 'inactive\n' } },
    { node, argv: ['systemctl', 'is-enabled', u], result: u === 'keepalived' ? { stdout: 'enabled\n' } : { code: 1, stdout: 'disabled\n' } },
  ]);
  return [
    ...units,
    { node, argv: ['test', '-e', '/etc/corosync/corosync.conf'], result: { code: 1 } },
    { node, argv: ['ip', '-o', 'addr', 'show'], result: { stdout: vip ? '2: eth0    inet 192.0.2.100/24 scope global secondary eth0\n' : '' } },
    { node, argv: ['sha256sum', '--', '/etc/keepalived/keepalived.conf'], result: { stdout: `${kaSum}  /etc/keepalived/keepalived.conf\n` } },
  ];
}

test('an unknown plan version is refused', () => {
  writePlan({ version: 99 });
  expect(() => loadPlan(dir)).toThrow(PlanError);
  expect(() => loadPlan(dir)).toThrow(/plan version 99 is not the version this ka2pcmk executes \(1\)/);
});

test('an artifact edited after analyze is refused', () => {
  writePlan();
  writeFileSync(join(dir, 'cib.xml'), CIB.replace('150', '151'));
  expect(() => loadPlan(dir)).toThrow(/cib.xml was changed after analyze/);
});

test('a stale plan is refused with what changed, before anything is changed', async () => {
  writePlan({ preconditions: preconditions('node2') });
  const plan = loadPlan(dir);
  expect(plan.files.node1).toEqual(['/etc/keepalived/keepalived.conf']);
  const runner = new FakeRunner([...surveyOf('node1', true, 'f'.repeat(64)), ...surveyOf('node2', false)]);
  const o = await executeMigration(quickRun(plan, runner));
  expect(runner.pending).toEqual([]);
  expect(o.code).toBe(1);
  expect(o.refused).toEqual([
    'stale plan: node1:/etc/keepalived/keepalived.conf: changed since analysis (sha256 ' + sha256(KA).slice(0, 12) + '… → ffffffffffff…)',
    'stale plan: VIP 192.0.2.100: held by node2 at analysis, by node1 now',
  ]);
  expect(existsSync(join(dir, 'journal.ndjson'))).toBe(false);
});

test('a VIP on two nodes is refused', async () => {
  writePlan();
  const runner = new FakeRunner([...surveyOf('node1', true), ...surveyOf('node2', true)]);
  const o = await executeMigration(quickRun(loadPlan(dir), runner));
  expect(o.code).toBe(1);
  expect(o.refused).toEqual(['VIP 192.0.2.100 is on node1 and node2 at once (split brain): fix that first']);
});

test('a failure after changes rolls back: exit 3, the journal says so, no secret in it', async () => {
  writePlan();
  const hosts = new TwoHosts((_n, line) => line.startsWith('cibadmin --patch'));
  const o = await executeMigration({ ...quickRun(loadPlan(dir), hosts), authkey: Buffer.from('SECRET-KEY-BYTES') });
  expect(o.failed?.step).toBe('cutover/cib/node1');
  expect(o.code).toBe(3);
  expect(o.rollback).toMatchObject({ ok: true });
  const undo = hosts.log.slice(hosts.log.indexOf('node1: cibadmin --patch --xml-file /var/lib/ka2pcmk/work/' + loadPlan(dir).id + '/push-patch.xml'));
  // reverse order: the backups' keepalived back first, the cluster ka2pcmk created gone last
  const order = ['node2: systemctl start keepalived', 'node2: systemctl stop pacemaker', 'node1: systemctl stop corosync', 'node1: rm -f /etc/corosync/corosync.conf'].map((l) => undo.indexOf(l));
  expect(order.every((k) => k > 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  const text = readFileSync(join(dir, 'journal.ndjson'), 'utf8');
  expect(text).not.toContain('SECRET');
  expect(text).not.toContain(Buffer.from('SECRET-KEY-BYTES').toString('base64'));
  expect(hosts.files.get('node2:/etc/corosync/authkey')?.toString()).toBe('SECRET-KEY-BYTES');
  expect(readJournal(dir).filter((e) => e.type === 'end').map((e) => (e as { outcome: string }).outcome)).toEqual(['failed', 'rolled-back']);
});

test('a rollback that cannot finish: exit 4 and MANUAL-STEPS.md with the commands left', async () => {
  writePlan();
  const hosts = new TwoHosts((n, line) => line.startsWith('cibadmin --patch') || (n === 'node1' && line === 'systemctl stop corosync'));
  const o = await executeMigration(quickRun(loadPlan(dir), hosts));
  expect(o.code).toBe(4);
  const manual = readFileSync(join(dir, 'MANUAL-STEPS.md'), 'utf8');
  expect(manual).toContain('On **node1** (undoing `bootstrap/start-corosync/node1`');
  expect(manual).toContain('`systemctl stop corosync`');
});

test('a failed preflight changes nothing and is exit 1', async () => {
  writePlan();
  const hosts = new TwoHosts((n, line) => n === 'node2' && line === 'uname -n');
  const o = await executeMigration(quickRun(loadPlan(dir), hosts));
  expect(o.code).toBe(1);
  expect(o.failed?.step).toBe('preflight/name/node2');
  expect(hosts.log.some((l) => /systemctl (stop|start|enable|disable)|write/.test(l))).toBe(false);
});

test('a journal with an unfinished migration blocks a new one', async () => {
  writePlan();
  writeFileSync(join(dir, 'journal.ndjson'), JSON.stringify({ type: 'begin', t: 1, planId: 'x', tool: 't', nodes: [], vips: [], survey: { nodes: [], holders: {}, cibEpoch: null, clusterExisted: false } }) + '\n');
  const o = await executeMigration(quickRun(loadPlan(dir), new FakeRunner()));
  expect(o.code).toBe(1);
  expect(o.refused?.[0]).toMatch(/did not finish: run `ka2pcmk rollback/);
});

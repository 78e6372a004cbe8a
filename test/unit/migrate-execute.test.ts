/**
 * The executor: an unknown plan version and a stale plan are refused (exit 1,
 * naming what changed) before anything is changed; a failure after changes
 * rolls back (exit 3), and a rollback that cannot finish is exit 4 with
 * MANUAL-STEPS.md. The survey runs against the scripted FakeRunner; the
 * whole-run cases use a small stateful stand-in of two hosts (a full queue
 * of ~100 exact commands would test the queue, not the behaviour).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRunner, type Expectation } from '../../src/exec/fake.js';
import type { CommandResult, HostRunner, Runner } from '../../src/exec/runner.js';
import { executeMigration } from '../../src/migrate/execute.js';
import { readJournal } from '../../src/migrate/journal.js';
import { loadPlan, PlanError, type LoadedPlan } from '../../src/migrate/plan.js';
import { PLAN_VERSION, sha256 } from '../../src/plan/artifacts.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-ex-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CIB = '<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources><group id="VI_1"><primitive id="VI_1-ip-192.0.2.100" class="ocf" provider="heartbeat" type="IPaddr2"/></group></resources><constraints><rsc_location id="loc-VI_1-node1" rsc="VI_1" node="node1" score="150"/></constraints></configuration><status/></cib>';
const CONF = 'totem {\n}\nlogging {\n    logfile: /var/log/cluster/corosync.log\n}\n';
const KA = 'vrrp_instance VI_1 {\n}\n';

function writePlan(extra: Record<string, unknown> = {}): void {
  const artifacts = { 'cib.xml': CIB, 'corosync.conf': CONF };
  for (const [k, v] of Object.entries(artifacts)) writeFileSync(join(dir, k), v);
  const plan = {
    kind: 'ka2pcmk-plan',
    version: PLAN_VERSION,
    tool: 'test',
    cluster: { name: 'c', nodes: [{ name: 'node1', nodeId: 1, addresses: ['192.0.2.11'] }, { name: 'node2', nodeId: 2, addresses: ['192.0.2.12'] }] },
    inputs: [],
    options: { stonithDisabled: true, fenceAgent: null, lvs: 'keepalived-checker', storage: null },
    instances: [{ instance: 'VI_1', group: 'VI_1', vips: [{ address: '192.0.2.100', prefix: 24, resource: 'VI_1-ip-192.0.2.100' }], scores: { node1: 150, node2: 100 }, stickiness: 0, checks: [] }],
    shims: [],
    summary: { ledger: {}, errors: 0, warnings: 0 },
    artifacts: Object.fromEntries(Object.entries(artifacts).map(([k, v]) => [k, sha256(v)])),
    ...extra,
  };
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
}

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

const base = (plan: LoadedPlan, runner: Runner) => ({ plan, runner, log: () => undefined, tool: 'test', probe: null, sleep: async () => undefined, pollMs: 1 });

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
  const o = await executeMigration(base(plan, runner));
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
  const o = await executeMigration(base(loadPlan(dir), runner));
  expect(o.code).toBe(1);
  expect(o.refused).toEqual(['VIP 192.0.2.100 is on node1 and node2 at once (split brain): fix that first']);
});

/** Two hosts that answer like the lab's nodes; `fail` makes chosen commands fail. */
class Hosts implements Runner {
  readonly log: string[] = [];
  readonly files = new Map<string, Buffer>();
  constructor(private readonly fail: (node: string, line: string) => boolean) {}
  host(node: string): HostRunner {
    const self = this;
    return {
      node,
      async run(argv): Promise<CommandResult> {
        const line = argv.join(' ');
        self.log.push(`${node}: ${line}`);
        const r = (stdout = '', code = 0): CommandResult => ({ code, stdout, stderr: code ? 'scripted failure\n' : '', durationMs: 1 });
        if (self.fail(node, line)) return r('', 1);
        if (line === 'systemctl is-active keepalived') return r('active\n');
        if (line === 'systemctl is-enabled keepalived') return r('enabled\n');
        if (/^systemctl is-(active|enabled) /.test(line)) return r('inactive\n', 3);
        if (line === 'test -e /etc/corosync/corosync.conf') return r('', 1);
        if (line === 'ip -o addr show') return r(node === 'node1' ? '2: eth0    inet 192.0.2.100/24 scope global secondary eth0\n' : '');
        if (argv[0] === 'sha256sum') return r(argv.slice(2).map((p) => `${sha256(self.files.get(`${node}:${p}`) ?? KA)}  ${p}\n`).join(''));
        if (line === 'uname -n') return r(`${node}\n`);
        if (argv[0] === 'dpkg-query') return r('corosync 3 installed\npacemaker 2 installed\npacemaker-cli-utils 2 installed\nresource-agents 4 installed\n');
        if (line === 'date +%s%N') return r(`${Date.now()}000000\n`);
        if (argv[0] === 'df') return r('Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x 9999999 1 9999999 1% /\n');
        if (argv[0] === 'crm_mon') return r('<crm_mon><nodes><node name="node1" id="1" online="true"/><node name="node2" id="2" online="true"/></nodes><resources><resource id="VI_1-ip-192.0.2.100" role="Started" failed="false"><node name="node1" id="1"/></resource></resources></crm_mon>');
        if (line === 'cibadmin --query') return r('<cib epoch="3" admin_epoch="0"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>');
        if (argv[0] === 'cibadmin' && argv[2] === '--xpath') return r('', 105);
        if (argv[0] === 'crm_diff') return r('<diff/>', 1);
        if (argv[0] === 'systemctl' && argv[1] === 'show') return r('MainPID=100\n');
        if (argv[0] === 'cat' && argv[1].endsWith('/comm')) return r('keepalived\n');
        return r();
      },
      async readFile(path) {
        return self.files.get(`${node}:${path}`) ?? (path.endsWith('.conf') ? Buffer.from(KA) : undefined);
      },
      async writeFile(path, data) {
        self.files.set(`${node}:${path}`, Buffer.from(data));
      },
      async close() {},
    };
  }
  async closeAll() {}
}

test('a failure after changes rolls back: exit 3, the journal says so, no secret in it', async () => {
  writePlan();
  const hosts = new Hosts((_n, line) => line.startsWith('cibadmin --patch'));
  const o = await executeMigration({ ...base(loadPlan(dir), hosts), authkey: Buffer.from('SECRET-KEY-BYTES') });
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
  const hosts = new Hosts((n, line) => line.startsWith('cibadmin --patch') || (n === 'node1' && line === 'systemctl stop corosync'));
  const o = await executeMigration(base(loadPlan(dir), hosts));
  expect(o.code).toBe(4);
  const manual = readFileSync(join(dir, 'MANUAL-STEPS.md'), 'utf8');
  expect(manual).toContain('On **node1** (undoing `bootstrap/start-corosync/node1`');
  expect(manual).toContain('`systemctl stop corosync`');
});

test('a failed preflight changes nothing and is exit 1', async () => {
  writePlan();
  const hosts = new Hosts((n, line) => n === 'node2' && line === 'uname -n');
  const o = await executeMigration(base(loadPlan(dir), hosts));
  expect(o.code).toBe(1);
  expect(o.failed?.step).toBe('preflight/name/node2');
  expect(hosts.log.some((l) => /systemctl (stop|start|enable|disable)|write/.test(l))).toBe(false);
});

test('a journal with an unfinished migration blocks a new one', async () => {
  writePlan();
  writeFileSync(join(dir, 'journal.ndjson'), JSON.stringify({ type: 'begin', t: 1, planId: 'x', tool: 't', nodes: [], vips: [], survey: { nodes: [], holders: {}, cibEpoch: null, clusterExisted: false } }) + '\n');
  const o = await executeMigration(base(loadPlan(dir), new FakeRunner()));
  expect(o.code).toBe(1);
  expect(o.refused?.[0]).toMatch(/did not finish: run `ka2pcmk rollback/);
});

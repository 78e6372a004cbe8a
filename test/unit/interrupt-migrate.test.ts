/**
 * Ctrl-C during migrate: the signal reaches the CLI (a fake process here),
 * which aborts the executor's AbortSignal; the step running then finishes,
 * the next never starts, the journal says `interrupted`, and the migration
 * is rolled back (exit 3), or left as it is with --no-rollback (exit 4), and
 * the operator is told exactly what to run. A second Ctrl-C kills nothing.
 * The hosts are the stateful stand-in of migrate-execute.test.ts.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../src/cli/io.js';
import { interruptNotice, runMigration } from '../../src/cli/migrate.js';
import type { CommandResult, HostRunner, Runner } from '../../src/exec/runner.js';
import { executeMigration } from '../../src/migrate/execute.js';
import { readJournal, type JournalEntry } from '../../src/migrate/journal.js';
import { loadPlan } from '../../src/migrate/plan.js';
import { PLAN_VERSION, sha256 } from '../../src/plan/artifacts.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-int-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CIB = '<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources><group id="VI_1"><primitive id="VI_1-ip-192.0.2.100" class="ocf" provider="heartbeat" type="IPaddr2"/></group></resources><constraints><rsc_location id="loc-VI_1-node1" rsc="VI_1" node="node1" score="150"/></constraints></configuration><status/></cib>';
const CONF = 'totem {\n}\n';
const KA = 'vrrp_instance VI_1 {\n}\n';

function writePlan(): void {
  const artifacts = { 'cib.xml': CIB, 'corosync.conf': CONF };
  for (const [k, v] of Object.entries(artifacts)) writeFileSync(join(dir, k), v);
  writeFileSync(
    join(dir, 'plan.json'),
    JSON.stringify({
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
    }),
  );
}

/** Two hosts that answer like the lab's nodes (as in migrate-execute.test.ts); `fail` makes chosen commands fail, `onRun` sees each command as it runs. */
class Hosts implements Runner {
  readonly log: string[] = [];
  readonly files = new Map<string, Buffer>();
  constructor(
    private readonly fail: (node: string, line: string) => boolean,
    private readonly onRun: (node: string, line: string) => void = () => undefined,
  ) {}
  host(node: string): HostRunner {
    const self = this;
    return {
      node,
      async run(argv): Promise<CommandResult> {
        const line = argv.join(' ');
        self.log.push(`${node}: ${line}`);
        self.onRun(node, line);
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

type Proc = EventEmitter & Pick<NodeJS.Process, 'on' | 'off'>;

/** Runs migrate on the stand-in; `when` picks the command during which the fake process receives `signals`. */
async function interrupted(when: (node: string, line: string) => boolean, signals: NodeJS.Signals[], opts: { rollback?: boolean } = {}) {
  writePlan();
  const proc = new EventEmitter() as Proc;
  let sent = false;
  const hosts = new Hosts(
    () => false,
    (node, line) => {
      if (sent || !when(node, line)) return;
      sent = true;
      for (const s of signals) proc.emit(s, s);
    },
  );
  const io = captureIo();
  const code = await runMigration('plan/', loadPlan(dir), hosts, { probe: false, ...opts }, io, { proc });
  return { code, io, hosts, proc, journal: readJournal(dir) };
}

const steps = (j: JournalEntry[], event: string) => j.flatMap((e) => (e.type === 'step' && e.event === event ? [e.id] : []));
const outcomes = (j: JournalEntry[]) => j.flatMap((e) => (e.type === 'end' ? [e.outcome] : []));

test('Ctrl-C twice in the middle of a step: the step finishes, the next never starts, then rolled back (exit 3)', async () => {
  const r = await interrupted((n, line) => n === 'node2' && line === 'systemctl stop keepalived', ['SIGINT', 'SIGINT']);
  expect(r.code).toBe(3);
  // the step that was running when the signals came finished, and was the last to start
  expect(steps(r.journal, 'done')).toContain('cutover/stop-backup/node2');
  expect(steps(r.journal, 'started').at(-1)).toBe('cutover/stop-backup/node2');
  expect(steps(r.journal, 'failed')).toEqual([]);
  expect(r.journal.filter((e) => e.type === 'interrupted')).toEqual([{ type: 'interrupted', t: expect.any(Number), signal: 'SIGINT', after: 'cutover/stop-backup/node2', before: 'cutover/cib/node1' }]);
  expect(outcomes(r.journal)).toEqual(['failed', 'rolled-back']);
  // the rollback undid what was done: keepalived started again on the backup
  expect(r.journal.some((e) => e.type === 'undo' && e.id === 'cutover/stop-backup/node2' && e.event === 'done')).toBe(true);
  expect(r.hosts.log.slice(r.hosts.log.indexOf('node2: systemctl stop keepalived') + 1)).toContain('node2: systemctl start keepalived');
  expect(r.hosts.log.some((l) => l.startsWith('node1: cibadmin --patch'))).toBe(false);
  // what the operator reads: what happens now, that a second Ctrl-C kills nothing, and what to run next
  expect(r.io.stderr).toContain(`${interruptNotice('SIGINT', 1, false)}\n${interruptNotice('SIGINT', 2, false)}\n`);
  expect(interruptNotice('SIGINT', 2, false)).toMatch(/a second Ctrl-C does not kill a step midway/);
  expect(r.io.stderr).toContain('migration interrupted (SIGINT) between two steps: cutover/stop-backup/node2 finished, cutover/cib/node1 never started; no step was left half-done\nrolled back cleanly: keepalived holds the VIPs again (exit 3)\nto migrate again: `ka2pcmk migrate plan/`\n');
  // the signal handlers are gone once the command ends (Node's defaults apply again)
  expect(r.proc.listenerCount('SIGINT') + r.proc.listenerCount('SIGTERM')).toBe(0);
});

test('SIGTERM with --no-rollback: stops between steps, undoes nothing, says how to roll back (exit 4)', async () => {
  const r = await interrupted((n, line) => n === 'node1' && line === 'systemctl start corosync', ['SIGTERM'], { rollback: false });
  expect(r.code).toBe(4);
  expect(r.journal.filter((e) => e.type === 'interrupted')).toEqual([{ type: 'interrupted', t: expect.any(Number), signal: 'SIGTERM', after: 'bootstrap/start-corosync/node1', before: expect.any(String) }]);
  expect(r.journal.some((e) => e.type === 'undo')).toBe(false);
  expect(outcomes(r.journal)).toEqual(['failed']);
  expect(r.io.stderr).toContain('leaving everything as it is (--no-rollback)');
  expect(r.io.stderr).toContain('nothing was undone (--no-rollback): `ka2pcmk rollback plan/` rolls it back; then `ka2pcmk migrate plan/` starts the migration again (it cannot resume midway) (exit 4)');
  const manual = readFileSync(join(dir, 'MANUAL-STEPS.md'), 'utf8');
  expect(manual).toContain('interrupted (SIGTERM) between two steps (`bootstrap/start-corosync/node1` finished');
  expect(manual).toContain(`run \`ka2pcmk rollback ${dir}\``);
});

test('Ctrl-C during the preflight: nothing was changed, nothing to undo (exit 1)', async () => {
  const r = await interrupted((n, line) => n === 'node1' && line === 'uname -n', ['SIGINT']);
  expect(r.code).toBe(1);
  expect(r.journal.filter((e) => e.type === 'interrupted')).toEqual([{ type: 'interrupted', t: expect.any(Number), signal: 'SIGINT', after: 'preflight/name/node1', before: expect.stringMatching(/^preflight\//) }]);
  expect(outcomes(r.journal)).toEqual(['failed', 'rolled-back']);
  expect(r.hosts.log.some((l) => /systemctl (stop|start|enable|disable)|write/.test(l))).toBe(false);
  expect(existsSync(join(dir, 'MANUAL-STEPS.md'))).toBe(false);
  expect(r.io.stderr).toContain('nothing was changed (only the preflight had run); `ka2pcmk migrate plan/` starts it again');
});

test('no signal: the handlers do nothing and are removed', async () => {
  const r = await interrupted(() => false, []);
  expect(r.journal.some((e) => e.type === 'interrupted')).toBe(false);
  expect(r.proc.listenerCount('SIGINT')).toBe(0);
});

test('a stop asked for while the checklist runs is kept: interrupted after the last step, rolled back (exit 3)', async () => {
  writePlan();
  const stop = new AbortController();
  const o = await executeMigration({
    plan: loadPlan(dir),
    runner: new Hosts(() => false),
    log: () => undefined,
    tool: 'test',
    probe: null,
    sleep: async () => undefined,
    pollMs: 1,
    signal: stop.signal,
    checklist: async () => {
      stop.abort('SIGINT');
      return [{ name: 'VIP on one node', pass: true, evidence: 'pass' }];
    },
  });
  expect(o.code).toBe(3);
  expect(o.interrupted).toEqual({ signal: 'SIGINT', after: expect.stringMatching(/^finish\//) });
  const j = readJournal(dir);
  const types = j.map((e) => e.type);
  expect(types.indexOf('check')).toBeLessThan(types.indexOf('interrupted'));
  expect(types.indexOf('interrupted')).toBeLessThan(types.indexOf('undo'));
  expect(outcomes(j)).toEqual(['failed', 'rolled-back']);
});

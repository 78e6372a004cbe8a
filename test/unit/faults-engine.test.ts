/**
 * The engine's side of the fault tests (test/lab/faults.test.ts): the pause
 * hook the lab uses to inject a fault at an exact step, and the fixes that
 * the faults called for, each against the stand-in pair of
 * test/helpers/two-hosts.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate as migrateCommand } from '../../src/cli/migrate.js';
import { rollbackCommand } from '../../src/cli/rollback.js';
import { RemoteError, type Runner } from '../../src/exec/runner.js';
import { executeMigration } from '../../src/migrate/execute.js';
import { mergeCib, planCib } from '../../src/migrate/cib.js';
import { faultPause } from '../../src/migrate/fault-hook.js';
import { compileSteps } from '../../src/migrate/steps.js';
import type { Survey } from '../../src/migrate/types.js';
import { Journal, readJournal } from '../../src/migrate/journal.js';
import { loadPlan, PLAN_PIN } from '../../src/migrate/plan.js';
import { RECONNECT, rollback } from '../../src/migrate/rollback.js';
import { sha256 } from '../../src/plan/artifacts.js';
import { PAIR_CIB, PAIR_CONF, quickRun, TwoHosts, writePairPlan } from '../helpers/two-hosts.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-faults-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pair's CIB without its location preference: these tests add their own constraints. */
const CIB = PAIR_CIB.replace(/<constraints>.*<\/constraints>/, '<constraints/>');

const writePlan = () => writePairPlan(dir, { cib: CIB, pretty: true });

async function until(f: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the pause hook (KA2PCMK_FAULT_PAUSE_AT / KA2PCMK_FAULT_PAUSE_FILE)', () => {
  test('inert without both variables, for another step, or when the file is absent', async () => {
    const file = join(dir, 'pause');
    writeFileSync(file, '');
    expect(await faultPause('backup/keepalived/node1', {})).toBe(false);
    expect(await faultPause('backup/keepalived/node1', { KA2PCMK_FAULT_PAUSE_AT: 'backup/keepalived/node1' })).toBe(false);
    expect(await faultPause('backup/keepalived/node1', { KA2PCMK_FAULT_PAUSE_AT: 'x', KA2PCMK_FAULT_PAUSE_FILE: file })).toBe(false);
    expect(await faultPause('backup/keepalived/node1', { KA2PCMK_FAULT_PAUSE_AT: 'backup/keepalived/node1', KA2PCMK_FAULT_PAUSE_FILE: join(dir, 'none') })).toBe(false);
    expect(existsSync(`${file}.paused`)).toBe(false);
  });

  test('the executor journals the step as started, says it paused (pid, step), and runs nothing until the file goes', async () => {
    writePlan();
    const file = join(dir, 'pause');
    writeFileSync(file, '');
    const hosts = new TwoHosts((_n, line) => line.startsWith('cibadmin --patch'));
    const saved = { ...process.env };
    process.env.KA2PCMK_FAULT_PAUSE_AT = 'backup/keepalived/node2';
    process.env.KA2PCMK_FAULT_PAUSE_FILE = file;
    try {
      const running = executeMigration(quickRun(loadPlan(dir), hosts));
      await until(() => existsSync(`${file}.paused`));
      expect(readFileSync(`${file}.paused`, 'utf8')).toBe(`${process.pid} backup/keepalived/node2\n`);
      const last = readJournal(dir).at(-1);
      expect(last).toMatchObject({ type: 'step', id: 'backup/keepalived/node2', event: 'started' });
      const seen = hosts.log.length;
      await new Promise((r) => setTimeout(r, 200));
      expect(hosts.log.length).toBe(seen);
      expect(hosts.log.some((l) => l.startsWith('node2: mkdir -p -m 0700 /var/lib/ka2pcmk/backup'))).toBe(false);
      unlinkSync(file);
      const o = await running;
      expect(hosts.log.some((l) => l.startsWith('node2: mkdir -p -m 0700 /var/lib/ka2pcmk/backup'))).toBe(true);
      expect(o.failed?.step).toBe('cutover/cib/node1');
    } finally {
      process.env = saved;
    }
  });
});

/** The CLI's Io, collecting what it prints. */
function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), color: false, env: {}, cwd: dir }, out, err };
}

describe('plan integrity: migrate verifies the plan before it runs it', () => {
  test('a tampered cib.xml: migrate refuses, exit 1, naming the file, before any connection', async () => {
    writePlan();
    writeFileSync(join(dir, 'cib.xml'), CIB.replace('IPaddr2', 'IPaddr2" ka2="x'));
    const c = io();
    expect(await migrateCommand(dir, {}, c.io)).toBe(1);
    expect(c.err.join('\n')).toBe(`ka2pcmk migrate: ${dir}: cib.xml was changed after analyze (sha256 differs from plan.json); run analyze again rather than editing the plan`);
    expect(existsSync(join(dir, 'journal.ndjson'))).toBe(false);
  });

  test('a tampered plan.json (its artifact sums updated to match): refused against plan.json.sha256, exit 1', async () => {
    writePlan();
    const pinned = sha256(readFileSync(join(dir, 'plan.json')));
    writeFileSync(join(dir, PLAN_PIN), `${pinned}  plan.json\n`);
    expect(loadPlan(dir).sha256).toBe(pinned);
    const cib = CIB.replace('<constraints/>', '<constraints><rsc_location id="x" rsc="VI_1" node="node1" score="-INFINITY"/></constraints>');
    expect(cib).not.toBe(CIB);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    plan.artifacts['cib.xml'] = sha256(cib);
    writeFileSync(join(dir, 'cib.xml'), cib);
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan, null, 2) + '\n');
    const c = io();
    expect(await migrateCommand(dir, {}, c.io)).toBe(1);
    const now = sha256(readFileSync(join(dir, 'plan.json')));
    expect(c.err.join('\n')).toBe(`ka2pcmk migrate: ${join(dir, 'plan.json')} was changed after its checksum was recorded in plan.json.sha256 (sha256 ${pinned.slice(0, 12)}… expected, ${now.slice(0, 12)}… found); run analyze again rather than editing the plan`);
    writeFileSync(join(dir, PLAN_PIN), 'not a sum\n');
    expect(() => loadPlan(dir)).toThrow(/plan.json.sha256: not a sha256 line/);
  });

  test('rollback refuses a plan.json that is not the one the journal migrated, and undoes nothing', async () => {
    writePlan();
    const hosts = new TwoHosts((_n, line) => line.startsWith('cibadmin --patch'));
    const o = await executeMigration({ ...quickRun(loadPlan(dir), hosts), noRollback: true });
    expect(o.code).toBe(4);
    expect(readJournal(dir)[0]).toMatchObject({ type: 'begin', planSha256: loadPlan(dir).sha256 });
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    plan.tool = 'edited';
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan, null, 2) + '\n');
    const seen = hosts.log.length;
    const lines: string[] = [];
    const r = await rollback({ runner: hosts, dir, artifacts: {}, secret: () => Buffer.alloc(0), agent: () => '', sleep: async () => undefined, pollMs: 1 }, (l) => lines.push(l));
    expect(r.ok).toBe(false);
    expect(r.undone).toEqual([]);
    expect(hosts.log.length).toBe(seen);
    expect(r.vipHome?.detail).toMatch(/plan\.json is not the plan this journal migrated \(sha256 [0-9a-f]{12}… journaled, [0-9a-f]{12}… found\): nothing was undone/);
    // Through the CLI: exit 4, the reason on stderr.
    const c = io();
    expect(await rollbackCommand(dir, { identity: [] } as never, c.io)).toBe(4);
    expect(c.err.join('\n')).toMatch(/is not the plan this journal migrated/);
  });
});

describe('journals and backups are private (0600 files, 0700 folders), whatever the umask', () => {
  test('after a migration that failed and rolled back', async () => {
    writePlan();
    const old = process.umask(0);
    try {
      const hosts = new TwoHosts((_n, line) => line.startsWith('cibadmin --patch') || line === 'systemctl stop corosync');
      const o = await executeMigration(quickRun(loadPlan(dir), hosts));
      expect(o.code).toBe(4);
      const mode = (p: string) => (statSync(join(dir, p)).mode & 0o777).toString(8);
      expect(mode('journal.ndjson')).toBe('600');
      expect(mode('MANUAL-STEPS.md')).toBe('600');
      for (const n of ['node1', 'node2']) {
        expect(mode('backup')).toBe('700');
        expect(mode(`backup/${n}`)).toBe('700');
        expect(mode(`backup/${n}/etc/keepalived`)).toBe('700');
        expect(mode(`backup/${n}/etc/keepalived/keepalived.conf`)).toBe('600');
        expect(mode(`backup/${n}/MANIFEST.json`)).toBe('600');
        // and the copies on the hosts
        const remote = [...hosts.modes].filter(([k]) => k.startsWith(`${n}:/var/lib/ka2pcmk/backup/`));
        expect(remote.map(([k]) => k.replace(/backup\/[0-9a-f]{12}/, 'backup/ID'))).toEqual([`${n}:/var/lib/ka2pcmk/backup/ID/etc/keepalived/keepalived.conf`, `${n}:/var/lib/ka2pcmk/backup/ID/MANIFEST.json`]);
        expect(remote.every(([, m]) => m === 0o600)).toBe(true);
        expect(hosts.log).toContain(`${n}: mkdir -p -m 0700 /var/lib/ka2pcmk/backup/${loadPlan(dir).id}`);
      }
    } finally {
      process.umask(old);
    }
  });

  test('a journal opened on an existing file keeps 0600 appends', () => {
    const j = Journal.open(dir);
    j.append({ type: 'end', t: 1, outcome: 'failed' });
    expect(statSync(join(dir, 'journal.ndjson')).mode & 0o777).toBe(0o600);
  });
});

/** A keepalived pair, node1 holding the VIP, no cluster yet. */
function pairSurvey(): Survey {
  const node = (n: string) => ({ node: n, keepalived: { active: true, enabled: true }, corosync: { active: false, enabled: false, configured: false }, pacemaker: { active: false, enabled: false }, addresses: [], files: {} });
  return { nodes: [node('node1'), node('node2')], holders: { '192.0.2.100': ['node1'] }, cibEpoch: null, clusterExisted: false };
}
const compilePair = () =>
  compileSteps({ planId: 'p', nodes: ['node1', 'node2'], vips: [{ address: '192.0.2.100', prefix: 24, resource: 'VI_1-ip-192.0.2.100', group: 'VI_1' }], files: { node1: ['/etc/keepalived/keepalived.conf'], node2: ['/etc/keepalived/keepalived.conf'] }, corosyncConf: PAIR_CONF, shims: [], attributes: [], survey: pairSurvey() });

describe('fix: a node that reboots during the cutover does not start keepalived (lab fault 2)', () => {
  test('keepalived is disabled at boot on every node before any keepalived stops or the CIB goes in', () => {
    const steps = compilePair();
    const ids = steps.map((s) => s.id);
    const firstStop = ids.findIndex((id) => id.startsWith('cutover/stop-backup/') || id.startsWith('cutover/kill-holder/'));
    for (const n of ['node1', 'node2']) {
      const k = ids.indexOf(`cutover/disable-keepalived/${n}`);
      expect(k).toBeGreaterThan(ids.indexOf(`bootstrap/online/node1`));
      expect(k).toBeLessThan(firstStop);
      expect(k).toBeLessThan(ids.indexOf('cutover/cib/node1'));
      expect(steps[k].action).toEqual({ kind: 'run', argv: ['systemctl', 'disable', 'keepalived'] });
      expect(steps[k].inverse).toEqual({ kind: 'run', argv: ['systemctl', 'enable', 'keepalived'] });
    }
  });
});

describe('fix: while Pacemaker adopts the VIP, the group may run on its holder only (lab fault 4)', () => {
  test('the push bans every other node; the ban goes with the preference, and with the rollback', () => {
    const steps = compilePair();
    const ids = steps.map((s) => s.id);
    const push = steps.find((s) => s.id === 'cutover/cib/node1')!;
    expect(push.action).toEqual({ kind: 'cib-push', artifact: 'cib.xml', prefer: [{ constraintId: 'ka2pcmk-adopt-VI_1', rsc: 'VI_1', node: 'node1', only: 'ka2pcmk-adopt-VI_1-only' }], workDir: '/var/lib/ka2pcmk/work/p' });
    expect(push.inverse).toMatchObject({ kind: 'cib-remove', extraIds: ['ka2pcmk-adopt-VI_1', 'ka2pcmk-adopt-VI_1-only'] });
    const unpin = ids.indexOf('cutover/unprefer-only/VI_1');
    expect(unpin).toBeGreaterThan(ids.indexOf('cutover/kill-holder/node1'));
    expect(steps[unpin].action).toEqual({ kind: 'run', argv: ['cibadmin', '--delete', '--xml-text', '<rsc_location id="ka2pcmk-adopt-VI_1-only"/>'] });
    const live = '<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>';
    const merged = mergeCib(live, planCib(CIB), (push.action as { prefer: { constraintId: string; rsc: string; node: string; only?: string }[] }).prefer);
    expect(merged).toContain('<rsc_location id="ka2pcmk-adopt-VI_1" rsc="VI_1" node="node1" score="INFINITY"/><rsc_location id="ka2pcmk-adopt-VI_1-only" rsc="VI_1"><rule id="ka2pcmk-adopt-VI_1-only-rule" score="-INFINITY"><expression id="ka2pcmk-adopt-VI_1-only-expr" attribute="#uname" operation="ne" value="node1"/></rule></rsc_location></constraints>');
  });
});

describe('fix: rollback waits for a host whose ssh connection dropped (lab fault 1)', () => {
  const ctxOf = (runner: Runner) => ({ runner, dir, artifacts: { 'cib.xml': CIB }, secret: () => Buffer.alloc(0), agent: () => '', sleep: async () => undefined, pollMs: 1 });

  async function failedMigration(): Promise<void> {
    writePlan();
    const o = await executeMigration({ ...quickRun(loadPlan(dir), new TwoHosts((_n, line) => line.startsWith('cibadmin --patch'))), noRollback: true });
    expect(o.code).toBe(4);
  }

  test('sshd back after a few refused connections: every inverse done, exit 0', async () => {
    await failedMigration();
    let refusals = 5;
    const hosts = new TwoHosts((n) => (n === 'node1' && refusals-- > 0 ? new RemoteError('node1', 'cannot connect to root@192.0.2.11: connect ECONNREFUSED 192.0.2.11:22', 'connect') : false));
    const r = await rollback(ctxOf(hosts), () => undefined);
    expect(r.leftovers).toEqual([]);
    expect(r.ok).toBe(true);
    expect(refusals).toBeLessThan(0);
  });

  test('a host that stays away: its budget is spent once, then its inverses go to MANUAL-STEPS.md at once (exit 4)', async () => {
    await failedMigration();
    let tries = 0;
    const hosts = new TwoHosts((n) => (n === 'node2' ? (tries++, new RemoteError('node2', 'timed out after 15000 ms connecting to root@192.0.2.12:22', 'timeout')) : false));
    const r = await rollback(ctxOf(hosts), () => undefined);
    expect(r.ok).toBe(false);
    const left = r.leftovers.filter((l) => l.node === 'node2');
    expect(left.length).toBeGreaterThan(3);
    // One budget of tries for the first inverse, one try for each later one (plus the failed checks' single tries).
    expect(tries).toBeLessThan(RECONNECT.tries + 3 * left.length);
    expect(existsSync(join(dir, 'MANUAL-STEPS.md'))).toBe(true);
  });

  test('a command that fails on a reachable host is not retried', async () => {
    await failedMigration();
    let stops = 0;
    const hosts = new TwoHosts((n, line) => n === 'node1' && line === 'systemctl stop corosync' && ++stops > 0);
    const r = await rollback(ctxOf(hosts), () => undefined);
    expect(stops).toBe(1);
    expect(r.leftovers.map((l) => l.stepId)).toEqual(['bootstrap/start-corosync/node1']);
  });
});

/**
 * Ctrl-C during migrate: the signal reaches the CLI (a fake process here),
 * which aborts the executor's AbortSignal; the step running then finishes,
 * the next never starts, the journal says `interrupted`, and the migration
 * is rolled back (exit 3), or left as it is with --no-rollback (exit 4), and
 * the operator is told exactly what to run. A second Ctrl-C kills nothing.
 * The hosts are the stand-in pair of test/helpers/two-hosts.ts.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../src/cli/io.js';
import { interruptNotice, runMigration } from '../../src/cli/migrate.js';
import { executeMigration } from '../../src/migrate/execute.js';
import { readJournal, type JournalEntry } from '../../src/migrate/journal.js';
import { loadPlan } from '../../src/migrate/plan.js';
import { TwoHosts, writePairPlan } from '../helpers/two-hosts.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-int-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writePlan = () => writePairPlan(dir);

type Proc = EventEmitter & Pick<NodeJS.Process, 'on' | 'off'>;

/** Runs migrate on the stand-in; `when` picks the command during which the fake process receives `signals`. */
async function interrupted(when: (node: string, line: string) => boolean, signals: NodeJS.Signals[], opts: { rollback?: boolean } = {}) {
  writePlan();
  const proc = new EventEmitter() as Proc;
  let sent = false;
  const hosts = new TwoHosts(
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
    runner: new TwoHosts(() => false),
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

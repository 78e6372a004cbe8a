/**
 * Journal and rollback with the scripted FakeRunner: inverses replayed in
 * reverse order; a step journaled "started" without "done" (ka2pcmk killed
 * mid-step) undone only when its check says it took effect; a second
 * rollback only re-verifies.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRunner, type Expectation } from '../../src/exec/fake.js';
import { Journal, lastRun, readJournal } from '../../src/migrate/journal.js';
import { rollback } from '../../src/migrate/rollback.js';
import type { Step, Survey } from '../../src/migrate/types.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-rb-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const survey: Survey = {
  nodes: [],
  holders: { '192.0.2.100': ['node1'] },
  cibEpoch: null,
  clusterExisted: false,
};
const addr = (vip: boolean) => ({ stdout: `2: eth0    inet 192.0.2.1${vip ? '1' : '2'}/24 scope global eth0\n${vip ? '2: eth0    inet 192.0.2.100/24 scope global secondary eth0\n' : ''}` });
const vipChecks: Expectation[] = [
  { node: 'node1', argv: ['ip', '-o', 'addr', 'show'], result: addr(true) },
  { node: 'node2', argv: ['ip', '-o', 'addr', 'show'], result: addr(false) },
];

const stopBackup: Step = { id: 'cutover/stop-backup/node2', phase: 'cutover', node: 'node2', title: 'stop', action: { kind: 'run', argv: ['systemctl', 'stop', 'keepalived'] }, inverse: { kind: 'run', argv: ['systemctl', 'start', 'keepalived'] }, check: { argv: ['systemctl', 'is-active', 'keepalived'], negate: true } };
const kill: Step = { id: 'cutover/kill-holder/node1', phase: 'cutover', node: 'node1', title: 'kill', action: { kind: 'kill-unit', unit: 'keepalived', signal: 'KILL' }, inverse: { kind: 'run', argv: ['systemctl', 'start', 'keepalived'] }, check: { argv: ['systemctl', 'is-active', 'keepalived'], negate: true } };
const disable: Step = { id: 'finish/disable-keepalived/node1', phase: 'finish', node: 'node1', title: 'disable', action: { kind: 'run', argv: ['systemctl', 'disable', 'keepalived'] }, inverse: { kind: 'run', argv: ['systemctl', 'enable', 'keepalived'] } };
const preflight: Step = { id: 'preflight/ssh/node1', phase: 'preflight', node: 'node1', title: 'ssh', action: { kind: 'run', argv: ['true'] }, inverse: null };

function journal(steps: { step: Step; done: boolean }[]): void {
  const j = Journal.open(dir);
  j.append({ type: 'begin', t: 1, planId: 'p', tool: 't', nodes: ['node1', 'node2'], vips: [{ address: '192.0.2.100', resource: 'ip', group: 'g' }], survey });
  for (const { step, done } of steps) {
    j.append({ type: 'step', t: 2, id: step.id, event: 'started', step });
    if (done) j.append({ type: 'step', t: 3, id: step.id, event: 'done', evidence: {} });
  }
}

const ctx = (runner: FakeRunner) => ({ runner, dir, artifacts: {}, secret: () => Buffer.alloc(0), agent: () => '', sleep: async () => undefined, pollMs: 1 });

test('the journal is private, one JSON line per entry, and tells each step how far it got', () => {
  journal([{ step: preflight, done: true }, { step: stopBackup, done: true }, { step: kill, done: false }]);
  expect(statSync(join(dir, 'journal.ndjson')).mode & 0o777).toBe(0o600);
  const lines = readFileSync(join(dir, 'journal.ndjson'), 'utf8').trimEnd().split('\n');
  expect(lines.map((l) => JSON.parse(l).type)).toEqual(['begin', 'step', 'step', 'step', 'step', 'step']);
  // the inverse is in the "started" line, before the step ran
  expect(JSON.parse(lines[3]).step.inverse).toEqual({ kind: 'run', argv: ['systemctl', 'start', 'keepalived'] });
  expect(lastRun(readJournal(dir))?.steps.map((s) => [s.step.id, s.state])).toEqual([
    ['preflight/ssh/node1', 'done'],
    ['cutover/stop-backup/node2', 'done'],
    ['cutover/kill-holder/node1', 'started'],
  ]);
});

test('a torn last line (crash mid-write) is ignored', async () => {
  journal([{ step: stopBackup, done: true }]);
  const { appendFileSync } = await import('node:fs');
  appendFileSync(join(dir, 'journal.ndjson'), '{"type":"step","t":4,"id":"x","ev');
  expect(lastRun(readJournal(dir))?.steps).toHaveLength(1);
});

test('rollback replays inverses in reverse order, then checks the VIP is home; a second run only re-verifies', async () => {
  journal([{ step: preflight, done: true }, { step: stopBackup, done: true }, { step: kill, done: true }, { step: disable, done: true }]);
  const runner = new FakeRunner([
    { node: 'node1', argv: ['systemctl', 'enable', 'keepalived'] },
    { node: 'node1', argv: ['systemctl', 'start', 'keepalived'] },
    { node: 'node2', argv: ['systemctl', 'start', 'keepalived'] },
    ...vipChecks,
  ]);
  const r = await rollback(ctx(runner), () => undefined);
  expect(runner.pending).toEqual([]);
  expect(r).toMatchObject({ ok: true, undone: ['finish/disable-keepalived/node1', 'cutover/kill-holder/node1', 'cutover/stop-backup/node2'], leftovers: [] });
  expect(r.vipHome).toMatchObject({ ok: true });

  const again = new FakeRunner([...vipChecks]);
  const r2 = await rollback(ctx(again), () => undefined);
  expect(again.pending).toEqual([]);
  expect(r2).toMatchObject({ ok: true, undone: [] });
  expect(readJournal(dir).filter((e) => e.type === 'end').map((e) => (e as { outcome: string }).outcome)).toEqual(['rolled-back', 'rolled-back']);
});

test('crash-resume: a "started" step without "done" is undone when its check says it took effect', async () => {
  journal([{ step: stopBackup, done: true }, { step: kill, done: false }]);
  const runner = new FakeRunner([
    // keepalived is inactive on node1: the kill happened before ka2pcmk died.
    { node: 'node1', argv: ['systemctl', 'is-active', 'keepalived'], result: { code: 3, stdout: 'inactive\n' } },
    { node: 'node1', argv: ['systemctl', 'start', 'keepalived'] },
    { node: 'node2', argv: ['systemctl', 'start', 'keepalived'] },
    ...vipChecks,
  ]);
  const r = await rollback(ctx(runner), () => undefined);
  expect(runner.pending).toEqual([]);
  expect(r.undone).toEqual(['cutover/kill-holder/node1', 'cutover/stop-backup/node2']);
});

test('crash-resume: a "started" step whose check says it had no effect is skipped', async () => {
  journal([{ step: stopBackup, done: true }, { step: kill, done: false }]);
  const runner = new FakeRunner([
    { node: 'node1', argv: ['systemctl', 'is-active', 'keepalived'], result: { code: 0, stdout: 'active\n' } },
    { node: 'node2', argv: ['systemctl', 'start', 'keepalived'] },
    ...vipChecks,
  ]);
  const r = await rollback(ctx(runner), () => undefined);
  expect(runner.pending).toEqual([]);
  expect(r.skipped).toContain('cutover/kill-holder/node1');
  expect(r.undone).toEqual(['cutover/stop-backup/node2']);
});

test('an inverse that fails is reported with what to do by hand, and the rest still runs', async () => {
  journal([{ step: stopBackup, done: true }, { step: disable, done: true }]);
  const runner = new FakeRunner([
    { node: 'node1', argv: ['systemctl', 'enable', 'keepalived'], result: { code: 1, stderr: 'Failed to enable unit\n' } },
    { node: 'node2', argv: ['systemctl', 'start', 'keepalived'] },
    ...vipChecks,
  ]);
  const r = await rollback(ctx(runner), () => undefined);
  expect(r.ok).toBe(false);
  expect(r.leftovers.map((l) => l.stepId)).toEqual(['finish/disable-keepalived/node1']);
  const manual = readFileSync(join(dir, 'MANUAL-STEPS.md'), 'utf8');
  expect(manual).toContain('On **node1**');
  expect(manual).toContain('`systemctl enable keepalived`');
  expect(manual).toContain('Failed to enable unit');
});

test('nothing journaled: nothing to do', async () => {
  const r = await rollback(ctx(new FakeRunner()), () => undefined);
  expect(r).toMatchObject({ empty: true, ok: true });
});

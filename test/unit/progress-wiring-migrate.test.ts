/**
 * The progress display wired into migrate and rollback: a migration driven
 * through `migrateWith` against the stand-in pair of test/helpers/two-hosts.ts
 * and a rollback against the scripted FakeRunner.
 * Off a terminal each step is a start line and an outcome line, timestamped,
 * with its host and duration; with --json stdout holds NDJSON events only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../src/cli/io.js';
import { runMigration } from '../../src/cli/migrate.js';
import { runRollback } from '../../src/cli/rollback.js';
import { FakeRunner } from '../../src/exec/fake.js';
import type { Runner } from '../../src/exec/runner.js';
import { executeMigration } from '../../src/migrate/execute.js';
import { Journal, readJournal } from '../../src/migrate/journal.js';
import { loadPlan } from '../../src/migrate/plan.js';
import type { Step } from '../../src/migrate/types.js';
import { loadReport } from '../../src/report/load.js';
import { TwoHosts, writePairPlan } from '../helpers/two-hosts.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-pw-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writePlan = () => writePairPlan(dir);

/** A clock for the sink's timestamps: 1 ms per reading, from a fixed instant. */
function clock(start = Date.UTC(2026, 10, 21, 23, 14, 24, 0)) {
  let t = start;
  return () => t++;
}


/** The migration the tests run: it fails when the CIB is pushed, and rolls back (exit 3). */
async function failingMigration(json: boolean) {
  writePlan();
  const io = captureIo();
  const hosts = new TwoHosts((_n, line) => line.startsWith('cibadmin --patch'));
  const code = await runMigration('plan/', loadPlan(dir), hosts, { probe: false, json }, io, { now: clock() });
  return { io, code };
}

test('off a terminal, migrate prints one timestamped line per step start and outcome, with host and duration', async () => {
  const { io, code } = await failingMigration(false);
  expect(code).toBe(3);
  const lines = io.stdout.trimEnd().split('\n');
  // every line is timestamped by the sink's clock; no untimestamped engine line slips through
  expect(lines.every((l) => /^2026-11-21T23:14:\d\d\.\d{3}Z /.test(l))).toBe(true);
  expect(lines[0]).toBe('2026-11-21T23:14:24.000Z start node1      SSH reaches the node and runs commands');
  expect(lines[1]).toMatch(/^2026-11-21T23:14:24\.002Z ok    node1      SSH reaches the node and runs commands \(\d+ ms\)$/);
  expect(lines).toContainEqual(expect.stringMatching(/ ok    node2      stop keepalived on this backup \(it must not claim the VIP\) \(\d+ ms\)$/));
  expect(lines).toContainEqual(expect.stringMatching(/ FAIL  node1      push the plan's CIB in one change, .* \(\d+ ms, node1: cibadmin --patch failed \(exit 1\): scripted failure\)$/));
  expect(lines).toContainEqual(expect.stringMatching(/Z migration failed at cutover\/cib\/node1: rolling back$/));
  // the rollback's inverses are steps too, on their hosts
  expect(lines).toContainEqual(expect.stringMatching(/ skip  node1      undo: push the plan's CIB .* \(it had not taken effect\)$/));
  expect(lines).toContainEqual(expect.stringMatching(/ ok    node2      undo: stop keepalived on this backup \(it must not claim the VIP\) \(\d+ ms\)$/));
  expect(lines.at(-1)).toMatch(/ ok    node1      VIPs back on their original holders \(\d+ ms, 192\.0\.2\.100 on node1 after \d+ ms\)$/);
  // each start has its outcome
  const starts = lines.filter((l) => /Z start /.test(l)).length;
  expect(starts).toBeGreaterThan(40);
  expect(lines.filter((l) => /Z (ok   |FAIL ) /.test(l)).length).toBe(starts);
  // the summary is kept, on stderr as before for a failure
  expect(io.stderr).toBe('migration failed at cutover/cib/node1: node1: cibadmin --patch failed (exit 1): scripted failure\nrolled back cleanly: keepalived holds the VIPs again (exit 3)\n');
});

test('--json: stdout is an NDJSON event stream and nothing else, ending with the exit code', async () => {
  const { io, code } = await failingMigration(true);
  expect(code).toBe(3);
  const events = io.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(events.every((e) => typeof e.t === 'string' && e.t.startsWith('2026-11-21T23:14:'))).toBe(true);
  expect(events[0]).toEqual({ t: expect.any(String), type: 'step', id: 'preflight/ssh/node1', state: 'start', title: 'SSH reaches the node and runs commands', host: 'node1' });
  expect(events[1]).toEqual({ t: expect.any(String), type: 'step', id: 'preflight/ssh/node1', state: 'ok', title: 'SSH reaches the node and runs commands', host: 'node1', durationMs: expect.any(Number) });
  expect(events.filter((e) => e.type === 'step' && e.state !== 'start').every((e) => typeof e.durationMs === 'number' || e.state === 'skip')).toBe(true);
  expect(events).toContainEqual(expect.objectContaining({ type: 'step', id: 'cutover/cib/node1', state: 'fail', host: 'node1', detail: 'node1: cibadmin --patch failed (exit 1): scripted failure' }));
  expect(events).toContainEqual(expect.objectContaining({ type: 'note', text: 'migration failed at cutover/cib/node1: rolling back' }));
  expect(events).toContainEqual(expect.objectContaining({ type: 'step', id: 'undo/cutover/stop-backup/node2', state: 'ok', host: 'node2', title: 'undo: stop keepalived on this backup (it must not claim the VIP)' }));
  expect(events).toContainEqual(expect.objectContaining({ type: 'step', id: 'rollback/vip-home', state: 'ok', host: 'node1' }));
  expect(events.at(-1)).toEqual({ t: expect.any(String), type: 'end', ok: false, code: 3, text: 'migration failed at cutover/cib/node1: node1: cibadmin --patch failed (exit 1): scripted failure\nrolled back cleanly: keepalived holds the VIPs again (exit 3)' });
  expect(events.filter((e) => e.type === 'end')).toHaveLength(1);
  // the human summary is on stderr
  expect(io.stderr).toContain('rolled back cleanly');
});

const survey = { nodes: [], holders: { '192.0.2.100': ['node1'] }, cibEpoch: null, clusterExisted: false };
const stopBackup: Step = { id: 'cutover/stop-backup/node2', phase: 'cutover', node: 'node2', title: 'stop keepalived', action: { kind: 'run', argv: ['systemctl', 'stop', 'keepalived'] }, inverse: { kind: 'run', argv: ['systemctl', 'start', 'keepalived'] } };
const disable: Step = { id: 'finish/disable-keepalived/node1', phase: 'finish', node: 'node1', title: 'disable keepalived', action: { kind: 'run', argv: ['systemctl', 'disable', 'keepalived'] }, inverse: { kind: 'run', argv: ['systemctl', 'enable', 'keepalived'] } };
const addr = (vip: boolean) => ({ stdout: vip ? '2: eth0    inet 192.0.2.100/24 scope global secondary eth0\n' : '' });

/** A journaled migration of this plan (two steps done) and the FakeRunner script of its rollback. */
function journaledRun(): FakeRunner {
  writePlan();
  const plan = loadPlan(dir);
  const j = Journal.open(dir);
  j.append({ type: 'begin', t: 1, planId: plan.id, planSha256: plan.sha256, tool: 't', nodes: ['node1', 'node2'], vips: [{ address: '192.0.2.100', resource: 'VI_1-ip-192.0.2.100', group: 'VI_1' }], survey });
  for (const step of [stopBackup, disable]) {
    j.append({ type: 'step', t: 2, id: step.id, event: 'started', step });
    j.append({ type: 'step', t: 3, id: step.id, event: 'done', evidence: {} });
  }
  return new FakeRunner([
    { node: 'node1', argv: ['systemctl', 'enable', 'keepalived'], result: { code: 1, stderr: 'Failed to enable unit\n' } },
    { node: 'node2', argv: ['systemctl', 'start', 'keepalived'] },
    { node: 'node1', argv: ['ip', '-o', 'addr', 'show'], result: addr(true) },
    { node: 'node2', argv: ['ip', '-o', 'addr', 'show'], result: addr(false) },
  ]);
}

test('off a terminal, rollback prints each inverse as a step on its host; the summary is kept', async () => {
  const runner = journaledRun();
  const io = captureIo();
  const code = await runRollback('plan/', loadPlan(dir), runner, io, { now: clock() });
  expect(runner.pending).toEqual([]);
  expect(code).toBe(4);
  const lines = io.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('2026-11-21T23:14:24.000Z start node1      undo: disable keepalived');
  expect(lines[1]).toMatch(/^2026-11-21T23:14:24\.002Z FAIL  node1      undo: disable keepalived \(\d+ ms, node1: `systemctl enable keepalived` exited 1 \(Failed to enable unit\)\)$/);
  expect(lines[2]).toBe('2026-11-21T23:14:24.003Z start node2      undo: stop keepalived');
  expect(lines[3]).toMatch(/^2026-11-21T23:14:24\.005Z ok    node2      undo: stop keepalived \(\d+ ms\)$/);
  expect(lines[4]).toBe('2026-11-21T23:14:24.006Z start node1      VIPs back on their original holders');
  expect(lines[5]).toMatch(/ ok    node1      VIPs back on their original holders \(\d+ ms, 192\.0\.2\.100 on node1/);
  expect(lines).toHaveLength(6);
  expect(io.stderr).toMatch(/^rollback incomplete: 1 step\(s\) could not be undone; see .*MANUAL-STEPS\.md\n$/);
});

test('--json: rollback streams its inverses as NDJSON and ends with the exit code', async () => {
  const runner = journaledRun();
  const io = captureIo();
  const code = await runRollback('plan/', loadPlan(dir), runner, io, { json: true, now: clock() });
  expect(code).toBe(4);
  const events = io.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(events.map((e) => [e.type, e.id, e.state])).toEqual([
    ['step', 'undo/finish/disable-keepalived/node1', 'start'],
    ['step', 'undo/finish/disable-keepalived/node1', 'fail'],
    ['step', 'undo/cutover/stop-backup/node2', 'start'],
    ['step', 'undo/cutover/stop-backup/node2', 'ok'],
    ['step', 'rollback/vip-home', 'start'],
    ['step', 'rollback/vip-home', 'ok'],
    ['end', undefined, undefined],
  ]);
  expect(events[1]).toMatchObject({ host: 'node1', durationMs: expect.any(Number), detail: expect.stringContaining('Failed to enable unit') });
  expect(events.at(-1)).toMatchObject({ ok: false, code: 4, text: expect.stringMatching(/^rollback incomplete/) });
});

describe('what the report reads', () => {
  let server: Server;
  let port: number;
  beforeEach(async () => {
    server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const run = (hosts: Runner, extra: Partial<Parameters<typeof executeMigration>[0]> = {}) =>
    executeMigration({ plan: loadPlan(dir), runner: hosts, log: () => undefined, tool: 'test', probe: { host: '127.0.0.1', port }, sleep: async () => undefined, pollMs: 1, ...extra });

  test('a migration journals its checklist as a check entry (no secret in it) and keeps every probe in probes.ndjson', async () => {
    writePlan();
    writeFileSync(join(dir, 'probes.ndjson'), '{"t":1,"ok":false}\n'); // an earlier run's: not this one's
    const o = await run(new TwoHosts(() => false), {
      authkey: Buffer.from('SECRET-KEY-BYTES'),
      checklist: async () => [
        { name: 'VIP on one node', pass: true, evidence: 'pass: 192.0.2.100 on node1' },
        { name: 'keepalived off', pass: true, evidence: 'pass: inactive on node1, node2' },
      ],
    });
    expect(o.code).toBe(0);
    const entries = readJournal(dir);
    const check = entries.filter((e) => e.type === 'check');
    expect(check).toEqual([{ type: 'check', t: expect.any(Number), items: [
      { name: 'VIP on one node', pass: true, evidence: 'pass: 192.0.2.100 on node1' },
      { name: 'keepalived off', pass: true, evidence: 'pass: inactive on node1, node2' },
    ] }]);
    expect(readFileSync(join(dir, 'journal.ndjson'), 'utf8')).not.toContain(Buffer.from('SECRET-KEY-BYTES').toString('base64'));
    // the cutover's probe: its summary in the journal, each probe in probes.ndjson (a TCP connect cannot name the node)
    const probe = entries.filter((e) => e.type === 'probe');
    expect(probe).toHaveLength(1);
    expect(probe[0]).not.toHaveProperty('phase');
    const lines = readFileSync(join(dir, 'probes.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe((probe[0] as { report: { probes: number } }).report.probes);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toEqual({ t: expect.any(Number), ok: true });
    expect(lines[0].t).toBeGreaterThan(1);
    // and the report reads them back: the checklist from the journal, a timeline row from the probes
    const data = loadReport(dir);
    expect(data.checklist?.items.map((i) => [i.title, i.status])).toEqual([['VIP on one node', 'pass'], ['keepalived off', 'pass']]);
    expect(data.cutover?.probes.length).toBe(lines.length);
  });

  test("a rolled-back migration journals the rollback's probe with phase 'rollback', and its probes follow the cutover's", async () => {
    writePlan();
    const o = await run(new TwoHosts((_n, line) => line.startsWith('cibadmin --patch')));
    expect(o.code).toBe(3);
    const entries = readJournal(dir);
    const probes = entries.filter((e) => e.type === 'probe') as { report: { probes: number }; phase?: string }[];
    expect(probes.map((p) => p.phase)).toEqual([undefined, 'rollback']);
    expect(entries.some((e) => e.type === 'check')).toBe(false);
    const lines = readFileSync(join(dir, 'probes.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { t: number });
    expect(lines.length).toBe(probes[0].report.probes + probes[1].report.probes);
  });
});

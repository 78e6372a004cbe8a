/** The report's loader on plan directories in the formats analyze, migrate and check write. */
import { describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { checklistFrom, gapsOf, loadReport, markdownSection, ReportInputError } from '../../src/report/load.js';
import { renderMarkdown } from '../../src/report/md.js';
import { ANY_NODE } from '../../src/report/types.js';

const FIX = join(process.cwd(), 'fixtures', 'report');

describe('loadReport', () => {
  it('reads plan.json, the ledger and behaviour tables of report.md, the journal and check.json', () => {
    const d = loadReport(join(FIX, 'pair'), 'plan/');
    expect(d.plan.cluster).toBe('ka2pcmk');
    expect(d.plan.nodes.map((n) => n.name)).toEqual(['node1', 'node2']);
    expect(d.ledger).toHaveLength(40);
    expect(d.ledger![1]).toEqual({ fidelity: 'dropped', where: 'fixtures/examples/pair/keepalived.conf:6', directive: 'router_id node1', becomes: '-', why: expect.stringContaining('names the keepalived process') });
    expect(d.behaviour!.header[0]).toBe('scenario');
    expect(d.behaviour!.rows).toHaveLength(6);
    expect(d.migration).toMatchObject({ outcome: 'migrated', steps: { ok: 20, fail: 0, skip: 0, running: 0, undone: 0 }, downtimeMs: 37 });
    expect(d.cutover!.target).toBe('192.0.2.100:80');
    // migrate journals the probe's summary only: a window answered by "some node", and the gap.
    expect(d.cutover!.window).toMatchObject({ probes: 793, answered: 789 });
    expect(d.cutover!.nodes).toEqual(['node1', 'node2', ANY_NODE]);
    expect(d.cutover!.gaps).toEqual([expect.objectContaining({ ms: 37, lost: 4 })]);
    expect(d.checklist).toMatchObject({ source: 'check.json', ok: true });
    expect(d.checklist!.items[0].evidence[0]).toEqual({ node: 'node1', command: 'systemctl is-active keepalived', code: 3, output: 'inactive' });
    expect(d.notes).toEqual([]);
  });

  it('reads a failed, rolled-back run with per-node probes from probes.ndjson', () => {
    const d = loadReport(join(FIX, 'failed'));
    expect(d.migration).toMatchObject({ outcome: 'rolled-back', steps: { ok: 15, fail: 1, undone: 9 }, downtimeMs: 820 });
    const undo = d.cutover!.steps.filter((s) => s.phase === 'rollback');
    expect(undo[0]).toMatchObject({ title: 'undo: stop keepalived on the backup', node: 'node2', state: 'ok' });
    expect(d.cutover!.window).toBeUndefined();
    expect(new Set(d.cutover!.probes.map((p) => p.node))).toEqual(new Set(['node1', 'node2', null]));
    expect(d.cutover!.gaps.map((g) => g.ms)).toEqual([820, 310]);
    expect(d.checklist).toBeUndefined();
  });

  it('refuses a directory without plan.json, as an input error', () => {
    expect(() => loadReport(join(FIX, 'nowhere'), 'nowhere')).toThrow(ReportInputError);
  });

  it('survives a torn journal, a journal without a begin, and an unreadable check.json, with notes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-report-'));
    try {
      cpSync(join(FIX, 'pair'), dir, { recursive: true });
      const journal = readFileSync(join(dir, 'journal.ndjson'), 'utf8').split('\n').filter(Boolean);
      // Killed mid-migration: no end line, the last step started only, its line torn after it.
      const cut = journal.findIndex((l) => l.includes('"cutover/kill/node1"') && l.includes('started'));
      writeFileSync(join(dir, 'journal.ndjson'), journal.slice(0, cut + 1).join('\n') + '\n{"type":"step","t":17');
      writeFileSync(join(dir, 'check.json'), '{"nothing": true}');
      const d = loadReport(dir);
      expect(d.migration!.outcome).toBe('unfinished');
      expect(d.migration!.steps.running).toBe(1);
      expect(d.cutover!.steps.at(-1)).toMatchObject({ id: 'cutover/kill/node1', state: 'running' });
      expect(d.notes).toEqual([expect.stringContaining('check.json could not be read')]);

      writeFileSync(join(dir, 'journal.ndjson'), '{"type":"end","t":1,"outcome":"migrated"}\nnot json\n{"type":"end","t":2,"outcome":"migrated"}\n');
      const e = loadReport(dir);
      expect(e.migration).toBeUndefined();
      expect(e.notes).toEqual(expect.arrayContaining(['journal.ndjson:2: not a JSON line (skipped)', 'journal.ndjson records no migration start (no "begin" line)']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells a migration undone later by `ka2pcmk rollback` from a failed one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-report-'));
    try {
      cpSync(join(FIX, 'pair'), dir, { recursive: true });
      const t = 1795324300000;
      const more = [
        { type: 'undo', t, id: 'finish/disable/node2', event: 'started' },
        { type: 'undo', t: t + 300, id: 'finish/disable/node2', event: 'done', evidence: { code: 0 } },
        { type: 'undo', t: t + 301, id: 'preflight/ssh/node1', event: 'skipped' },
        { type: 'end', t: t + 400, outcome: 'rolled-back' },
      ];
      writeFileSync(join(dir, 'journal.ndjson'), readFileSync(join(dir, 'journal.ndjson'), 'utf8') + more.map((x) => JSON.stringify(x)).join('\n') + '\n');
      const d = loadReport(dir);
      expect(d.migration).toMatchObject({ outcome: 'rolled-back', history: ['migrated', 'rolled-back'], steps: { ok: 20, undone: 1 } });
      expect(d.cutover!.steps.filter((s) => s.phase === 'rollback').map((s) => `${s.title}:${s.state}`)).toEqual(['undo: disable keepalived at boot; enable corosync and pacemaker:ok', 'undo: SSH reaches the node and runs commands:skip']);
      expect(renderMarkdown(d)).toContain('- **Migration**: migrated, then rolled back cleanly with `ka2pcmk rollback`');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads migrate's own checklist items too", () => {
    const c = checklistFrom([{ name: 'no failed actions', pass: false, evidence: 'VI_WEB-ip_monitor_10000 on node2' }], 'journal.ndjson');
    expect(c).toEqual({ source: 'journal.ndjson', ok: false, items: [{ title: 'no failed actions', status: 'fail', detail: 'VI_WEB-ip_monitor_10000 on node2', evidence: [] }] });
  });

  it('counts gaps like the migrate prober: first lost send to next answered send; an open one at the end', () => {
    const g = gapsOf([
      { t: 0, node: 'a' },
      { t: 10, node: null },
      { t: 20, node: null },
      { t: 30, node: 'b' },
      { t: 40, node: null },
    ]);
    expect(g).toEqual([
      { start: 10, end: 30, ms: 20, lost: 2 },
      { start: 40, end: 40, ms: 0, lost: 1, open: true },
    ]);
  });

  it('splits markdown tables on unescaped pipes only', () => {
    const t = markdownSection('## Fidelity ledger\n\ntext\n\n| a | b |\n|---|---|\n| x \\| y | z |\n\n## Next\n', 'Fidelity ledger');
    expect(t).toEqual({ header: ['a', 'b'], rows: [['x | y', 'z']] });
  });
});

describe('ka2pcmk report', () => {
  it('prints markdown by default, html and json on request, and writes -o FILE', async () => {
    const io = captureIo({ cwd: FIX });
    expect(await run(['report', 'pair'], io)).toBe(0);
    expect(io.stdout).toMatch(/^# ka2pcmk report: cluster `ka2pcmk`/);
    const out = mkdtempSync(join(tmpdir(), 'ka2pcmk-report-out-'));
    try {
      const io2 = captureIo({ cwd: FIX });
      expect(await run(['report', 'failed', '--format', 'html', '-o', join(out, 'r.html')], io2)).toBe(0);
      expect(io2.stdout).toBe('');
      expect(readFileSync(join(out, 'r.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const io3 = captureIo({ cwd: FIX });
    expect(await run(['report', 'pair', '--format', 'json'], io3)).toBe(0);
    expect(JSON.parse(io3.stdout).kind).toBe('ka2pcmk-report');
  });

  it('exits 1 without a plan, 2 on an unknown format', async () => {
    const io = captureIo({ cwd: FIX });
    expect(await run(['report', 'nowhere'], io)).toBe(1);
    expect(io.stderr).toContain('ka2pcmk report: nowhere holds no plan.json');
    expect(await run(['report', 'pair', '--format', 'pdf'], captureIo({ cwd: FIX }))).toBe(2);
  });
});

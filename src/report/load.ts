/**
 * Reads a plan directory into ReportData: whatever is there, nothing more.
 *
 * - `plan.json` (required): the cluster, instances and counts;
 * - `report.md`: the fidelity ledger and the behaviour table, read back from
 *   their markdown tables (plan.json holds only the ledger's counts);
 * - `journal.ndjson` (after `migrate`): the steps with their times, the
 *   inverses a rollback replayed, the outcome, and the `probe` entries (the
 *   VIP probe's summary: window and gaps; one sample per probe when the entry
 *   carries `results`);
 * - `probes.ndjson` (optional): one probe per line, `{"sent"|"t": ms, "ok": bool, "node"?: name}`,
 *   for a prober that records every probe and, when it can, who answered;
 * - `check.json` (optional): `ka2pcmk check --json > DIR/check.json`, or a list
 *   of migrate's own checklist items (`{name, pass, evidence}`).
 *
 * A file that is missing leaves its section out; one that cannot be read is
 * a note in the report, never a crash: a report is wanted most when
 * something went wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanDocument } from '../plan/artifacts.js';
import { ANY_NODE, type ChecklistRow, type CutoverRecord, type CutoverStep, type LedgerRow, type MigrationSummary, type PlanFacts, type ProbeSample, type ReportData, type Table } from './types.js';

/** The plan directory holds no usable plan.json: the report has nothing to stand on. */
export class ReportInputError extends Error {}

type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** Reads DIR (an absolute path); `shownDir` is how the report names it. */
export function loadReport(dir: string, shownDir: string = dir): ReportData {
  const notes: string[] = [];
  const planFile = join(dir, 'plan.json');
  if (!existsSync(planFile)) throw new ReportInputError(`${shownDir} holds no plan.json (write one with ka2pcmk analyze -o ${shownDir})`);
  let doc: PlanDocument;
  try {
    doc = JSON.parse(readFileSync(planFile, 'utf8')) as PlanDocument;
  } catch (e) {
    throw new ReportInputError(`${join(shownDir, 'plan.json')}: not JSON (${(e as Error).message})`);
  }
  if (!isObj(doc) || doc.kind !== 'ka2pcmk-plan') throw new ReportInputError(`${join(shownDir, 'plan.json')} is not a ka2pcmk plan`);
  const data: ReportData = { dir: shownDir, plan: planFacts(doc), notes };

  const md = readText(join(dir, 'report.md'));
  if (md !== undefined) {
    const ledger = markdownSection(md, 'Fidelity ledger');
    if (ledger) data.ledger = ledger.rows.map(([fidelity, where, directive, becomes, why]) => ({ fidelity, where, directive: unticked(directive), becomes, why }) satisfies LedgerRow);
    const behaviour = markdownSection(md, 'Behaviour');
    if (behaviour) data.behaviour = behaviour;
  }

  const check = readText(join(dir, 'check.json'));
  if (check !== undefined) {
    try {
      data.checklist = checklistFrom(JSON.parse(check), 'check.json');
    } catch (e) {
      notes.push(`check.json could not be read: ${(e as Error).message}`);
    }
  }

  const journal = readText(join(dir, 'journal.ndjson'));
  if (journal !== undefined) {
    const entries = ndjson(journal, 'journal.ndjson', notes);
    const fromJournal = migrationFrom(entries, doc, notes);
    if (fromJournal) {
      data.migration = fromJournal.summary;
      data.cutover = fromJournal.cutover;
      if (!data.checklist && fromJournal.checklist) data.checklist = fromJournal.checklist;
    }
  }

  const probes = readText(join(dir, 'probes.ndjson'));
  if (probes !== undefined) {
    const samples = ndjson(probes, 'probes.ndjson', notes).flatMap((p) => sample(p) ?? []);
    if (samples.length) {
      const cut = (data.cutover ??= { nodes: doc.cluster.nodes.map((n) => n.name), probes: [], gaps: [], steps: [] });
      cut.probes = samples.sort((a, b) => a.t - b.t);
      // Samples say more than a summary: the gaps are recomputed from them.
      cut.gaps = gapsOf(cut.probes);
      delete cut.window;
      cut.nodes = cut.nodes.filter((n) => n !== ANY_NODE);
      addAnonymousRow(cut);
      if (data.migration) data.migration.downtimeMs = Math.max(0, ...cut.gaps.map((g) => g.ms));
    }
  }
  return data;
}

function readText(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function planFacts(doc: PlanDocument): PlanFacts {
  const o = doc.options ?? ({} as PlanDocument['options']);
  return {
    cluster: str(doc.cluster?.name),
    tool: str(doc.tool),
    nodes: (doc.cluster?.nodes ?? []).map((n) => ({ name: n.name, addresses: n.addresses ?? [] })),
    instances: (doc.instances ?? []).map((i) => ({ instance: i.instance, group: i.group, vips: i.vips.map((v) => `${v.address}/${v.prefix}`), scores: i.scores, stickiness: i.stickiness })),
    shims: doc.shims ?? [],
    fencing: o.fenceAgent ? o.fenceAgent : o.stonithDisabled ? 'disabled at the operator\'s request' : 'none configured',
    ledgerCounts: doc.summary?.ledger ?? {},
    errors: doc.summary?.errors ?? 0,
    warnings: doc.summary?.warnings ?? 0,
  };
}

const unticked = (s: string) => s.replace(/^`(.*)`$/, '$1');

/** Splits a markdown table row on unescaped pipes; `\|` is a literal pipe. */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** The first table under the `## ` heading that starts with `title`. */
export function markdownSection(md: string, title: string): Table | undefined {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## ${title}`));
  if (start < 0) return undefined;
  let k = start + 1;
  while (k < lines.length && !lines[k].startsWith('## ') && !lines[k].trimStart().startsWith('|')) k++;
  if (k >= lines.length || !lines[k].trimStart().startsWith('|')) return undefined;
  const header = cells(lines[k]);
  const rows: string[][] = [];
  for (k += 2; k < lines.length && lines[k].trimStart().startsWith('|'); k++) rows.push(cells(lines[k]));
  return { header, rows };
}

function ndjson(text: string, name: string, notes: string[]): Loose[] {
  const out: Loose[] = [];
  const lines = text.split('\n');
  lines.forEach((line, k) => {
    if (!line.trim()) return;
    try {
      const v = JSON.parse(line);
      if (isObj(v)) out.push(v);
    } catch {
      // A torn last line is what a crash mid-write leaves: expected, not news.
      if (k < lines.length - 2) notes.push(`${name}:${k + 1}: not a JSON line (skipped)`);
    }
  });
  return out;
}

/** A checklist in either format: ChecklistResult ({ok, items}) or migrate's [{name, pass, evidence}]. */
export function checklistFrom(v: unknown, source: string): NonNullable<ReportData['checklist']> {
  const list = isObj(v) && Array.isArray(v.items) ? v.items : Array.isArray(v) ? v : undefined;
  if (!list) throw new Error('neither a checklist result ({ok, items}) nor a list of items');
  const items: ChecklistRow[] = list.filter(isObj).map((i) => {
    if ('pass' in i && !('status' in i)) return { title: str(i.name), status: i.pass ? 'pass' : 'fail', detail: str(i.evidence), evidence: [] };
    const status = i.status === 'fail' || i.status === 'skip' ? i.status : 'pass';
    const evidence = (Array.isArray(i.evidence) ? i.evidence : []).filter(isObj).map((e) => ({
      node: e.node === undefined ? undefined : str(e.node),
      command: Array.isArray(e.argv) ? e.argv.map(str).join(' ') : str(e.command),
      code: e.code === null ? null : num(e.code),
      output: str(e.output),
    }));
    return { title: str(i.title), status, detail: str(i.detail), evidence, ...(num(i.measuredMs) !== undefined ? { measuredMs: num(i.measuredMs) } : {}) };
  });
  return { source, ok: items.every((i) => i.status !== 'fail'), items };
}

/** A probe line of probes.ndjson or of a journal probe entry's `results`. */
function sample(p: Loose): ProbeSample | undefined {
  const t = num(p.sent) ?? num(p.t);
  if (t === undefined) return undefined;
  if (p.ok === false || p.node === null) return { t, node: null };
  return { t, node: typeof p.node === 'string' && p.node ? p.node : ANY_NODE };
}

/** Runs of lost samples, as src/migrate/probe.ts counts them: from the first lost send to the next answered send. */
export function gapsOf(samples: readonly ProbeSample[]): CutoverRecord['gaps'] {
  const gaps: CutoverRecord['gaps'] = [];
  let cur: { start: number; lost: number } | undefined;
  for (const s of samples) {
    if (s.node === null) {
      cur ??= { start: s.t, lost: 0 };
      cur.lost++;
    } else if (cur) {
      gaps.push({ start: cur.start, end: s.t, ms: Math.round(s.t - cur.start), lost: cur.lost });
      cur = undefined;
    }
  }
  if (cur) {
    const end = samples[samples.length - 1].t;
    gaps.push({ start: cur.start, end, ms: Math.round(end - cur.start), lost: cur.lost, open: true });
  }
  return gaps;
}

function addAnonymousRow(c: CutoverRecord): void {
  const anonymous = !!c.window || c.probes.some((p) => p.node === ANY_NODE);
  if (anonymous && !c.nodes.includes(ANY_NODE)) c.nodes.push(ANY_NODE);
  for (const p of c.probes) if (p.node && !c.nodes.includes(p.node)) c.nodes.push(p.node);
}

/** The last migration of the journal (from its last `begin`): summary, steps, probes. */
function migrationFrom(entries: Loose[], doc: PlanDocument, notes: string[]): { summary: MigrationSummary; cutover: CutoverRecord; checklist?: NonNullable<ReportData['checklist']> } | undefined {
  const k = entries.map((e) => e.type).lastIndexOf('begin');
  if (k < 0) {
    if (entries.length) notes.push('journal.ndjson records no migration start (no "begin" line)');
    return undefined;
  }
  const begin = entries[k];
  const run = entries.slice(k + 1);
  const lastT = Math.max(num(begin.t) ?? 0, ...run.map((e) => num(e.t) ?? 0));
  const steps = new Map<string, CutoverStep>();
  const order: string[] = [];
  const undos = new Map<string, CutoverStep>();
  const undoOrder: string[] = [];
  const cut: CutoverRecord = { nodes: doc.cluster.nodes.map((n) => n.name), probes: [], gaps: [], steps: [] };
  let end: Loose | undefined;
  const history: string[] = [];
  let checklist: NonNullable<ReportData['checklist']> | undefined;
  for (const e of run) {
    const t = num(e.t) ?? lastT;
    const id = str(e.id);
    if (e.type === 'step') {
      if (e.event === 'started') {
        const s = isObj(e.step) ? e.step : {};
        if (!steps.has(id)) order.push(id);
        steps.set(id, { id, t0: t, t1: lastT, title: str(s.title) || id, node: str(s.node), phase: str(s.phase) || undefined, state: 'running' });
      } else {
        const s = steps.get(id);
        if (s) {
          s.t1 = t;
          s.state = e.event === 'done' ? 'ok' : e.event === 'failed' ? 'fail' : 'skip';
        }
      }
    } else if (e.type === 'undo') {
      const of = steps.get(id);
      if (e.event === 'started') {
        if (!undos.has(id)) undoOrder.push(id);
        undos.set(id, { id: `undo:${id}`, t0: t, t1: lastT, title: `undo: ${of?.title ?? id}`, node: of?.node ?? '', phase: 'rollback', state: 'running' });
      } else {
        // "skipped" may come without "started" (nothing to undo): an instant on the timeline.
        const u = undos.get(id) ?? { id: `undo:${id}`, t0: t, t1: t, title: `undo: ${of?.title ?? id}`, node: of?.node ?? '', phase: 'rollback', state: 'running' as const };
        if (!undos.has(id)) {
          undos.set(id, u);
          undoOrder.push(id);
        }
        u.t1 = t;
        u.state = e.event === 'done' ? 'ok' : e.event === 'failed' ? 'fail' : 'skip';
      }
    } else if (e.type === 'probe' && isObj(e.report)) {
      addProbeReport(cut, e.report);
    } else if (e.type === 'check') {
      // Not written by migrate yet: read when it is, as {type:'check', items:[...]}.
      try {
        checklist = checklistFrom(e.items ?? e.result, 'journal.ndjson');
      } catch {
        notes.push('journal.ndjson: a check entry in an unknown format (skipped)');
      }
    } else if (e.type === 'end') {
      end = e;
      history.push(str(e.outcome));
    }
  }
  cut.steps = [...order.map((id) => steps.get(id)!), ...undoOrder.map((id) => undos.get(id)!)];
  addAnonymousRow(cut);
  const all = cut.steps;
  const count = (st: CutoverStep['state'], rb = false) => all.filter((s) => s.state === st && (s.phase === 'rollback') === rb).length;
  const outcome = end ? str(end.outcome) : 'unfinished';
  const summary: MigrationSummary = {
    started: num(begin.t) ?? 0,
    ...(end ? { ended: num(end.t) } : {}),
    outcome: (['migrated', 'failed', 'rolled-back', 'rollback-incomplete'].includes(outcome) ? outcome : 'unfinished') as MigrationSummary['outcome'],
    history,
    // Why it failed is on the `failed` end line; the rollback's own end line after it rarely says more.
    ...(detailOf(run, end) ? { detail: detailOf(run, end) } : {}),
    ...(begin.tool ? { tool: str(begin.tool) } : {}),
    ...(begin.planId ? { planId: str(begin.planId) } : {}),
    steps: { ok: count('ok'), fail: count('fail'), skip: count('skip'), running: count('running'), undone: count('ok', true), undoFailed: count('fail', true) + count('running', true) },
    vips: (Array.isArray(begin.vips) ? begin.vips : []).filter(isObj).map((v) => ({ address: str(v.address), resource: str(v.resource), group: str(v.group) })),
  };
  if (cut.gaps.length || cut.window || cut.probes.length) summary.downtimeMs = Math.max(0, ...cut.gaps.map((g) => g.ms));
  return { summary, cutover: cut, ...(checklist ? { checklist } : {}) };
}

/** The failure's detail when there was one, else the last end line's. */
function detailOf(run: Loose[], end: Loose | undefined): string {
  const failed = run.filter((e) => e.type === 'end' && e.outcome === 'failed' && e.detail).at(-1);
  return str(failed?.detail ?? end?.detail);
}

/** A journal `probe` entry: src/migrate/probe.ts's ProbeReport, with `results` when it kept every probe. */
function addProbeReport(cut: CutoverRecord, r: Loose): void {
  if (typeof r.target === 'string' && !cut.target) cut.target = r.target;
  const results = Array.isArray(r.results) ? r.results.filter(isObj).flatMap((p) => sample(p) ?? []) : [];
  if (results.length) {
    cut.probes = [...cut.probes, ...results].sort((a, b) => a.t - b.t);
    cut.gaps = gapsOf(cut.probes);
    return;
  }
  const from = num(r.from);
  const to = num(r.to);
  if (from !== undefined && to !== undefined) {
    // Several probe runs (the cutover's, a rollback's): one window spanning them, gaps kept apart.
    const w = cut.window;
    cut.window = { from: Math.min(from, w?.from ?? from), to: Math.max(to, w?.to ?? to), probes: (w?.probes ?? 0) + (num(r.probes) ?? 0), answered: (w?.answered ?? 0) + (num(r.answered) ?? 0) };
  }
  for (const g of Array.isArray(r.gaps) ? r.gaps.filter(isObj) : []) {
    const start = num(g.start);
    const end = num(g.end);
    if (start === undefined || end === undefined) continue;
    const errors = isObj(g.errors) ? Object.fromEntries(Object.entries(g.errors).flatMap(([k, n]) => (num(n) !== undefined ? [[k, num(n)!]] : []))) : undefined;
    cut.gaps.push({ start, end, ms: num(g.ms) ?? Math.round(end - start), ...(num(g.lost) !== undefined ? { lost: num(g.lost) } : {}), ...(g.open ? { open: true } : {}), ...(errors && Object.keys(errors).length ? { errors } : {}) });
  }
}

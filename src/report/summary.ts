/**
 * The report's summary as label/value pairs, and the small formatting rules
 * (times, durations, outcomes) that the markdown and HTML renderers share,
 * so both say the same thing in the same words.
 */
import { formatDuration } from '../ui/progress.js';
import type { MigrationSummary, ReportData } from './types.js';

/** HH:MM:SS.mmm UTC. */
export const clockTime = (t: number): string => new Date(t).toISOString().slice(11, 23);

/** YYYY-MM-DD HH:MM:SS UTC. */
export const dateTime = (t: number): string => new Date(t).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/** Seconds from the migration's start, e.g. "+12.345 s". */
export const offset = (t: number, start: number): string => `+${((t - start) / 1000).toFixed(3)} s`;

export { formatDuration };

/** A gap's causes, e.g. "ECONNREFUSED ×3, no connection within 900 ms ×1" (empty when unknown). */
export const gapErrors = (g: { errors?: Record<string, number> }): string =>
  Object.entries(g.errors ?? {})
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');

const OUTCOME: Record<MigrationSummary['outcome'], string> = {
  migrated: 'migrated',
  failed: 'failed (no rollback recorded)',
  'rolled-back': 'failed, then rolled back cleanly',
  'rollback-incomplete': 'failed, rollback incomplete: operator action needed (see MANUAL-STEPS.md)',
  unfinished: 'unfinished: ka2pcmk stopped before the end (run `ka2pcmk rollback DIR`, or migrate again)',
};

/** The outcome in words; a migration that succeeded and was rolled back later says so. */
export function outcomeText(m: MigrationSummary): string {
  if (m.history.includes('migrated') && m.outcome === 'rolled-back') return 'migrated, then rolled back cleanly with `ka2pcmk rollback`';
  if (m.history.includes('migrated') && m.outcome === 'rollback-incomplete') return 'migrated, then a rollback that is incomplete: operator action needed (see MANUAL-STEPS.md)';
  return OUTCOME[m.outcome];
}

/** Whether the outcome is a success (for colouring). */
export const outcomeOk = (m: MigrationSummary): boolean => m.outcome === 'migrated';

/** The summary, as label → value (plain text; the renderers escape and style it). */
export function summaryPairs(d: ReportData): [string, string][] {
  const p = d.plan;
  const out: [string, string][] = [];
  out.push(['Cluster', `${p.cluster} (plan ${d.dir}, written by ${p.tool})`]);
  out.push(['Nodes', p.nodes.map((n) => `${n.name} (${n.addresses.join(', ') || 'no address'})`).join(', ')]);
  for (const i of p.instances) {
    out.push([`Instance ${i.instance}`, `group ${i.group}; VIPs ${i.vips.join(', ')}; scores ${Object.entries(i.scores).map(([n, s]) => `${n} ${s}`).join(', ')}; stickiness ${i.stickiness}`]);
  }
  out.push(['Fencing', p.fencing]);
  const counts = Object.entries(p.ledgerCounts);
  out.push(['Directives', counts.length ? `${counts.reduce((a, [, n]) => a + n, 0)} (${counts.map(([k, n]) => `${n} ${k}`).join(', ')})` : 'not recorded']);
  out.push(['Diagnostics', `${p.errors} error(s), ${p.warnings} warning(s)`]);
  if (p.shims.length) out.push(['Shim agents', p.shims.join(', ')]);
  const m = d.migration;
  if (!m) out.push(['Migration', 'not run from this directory (no journal.ndjson)']);
  else {
    out.push(['Migration', `${outcomeText(m)}${m.detail ? ` — ${m.detail}` : ''}`]);
    out.push(['When', `${dateTime(m.started)}${m.ended !== undefined ? ` to ${clockTime(m.ended)} UTC (${formatDuration(m.ended - m.started)})` : ''}`]);
    out.push(['Steps', `${m.steps.ok} ok, ${m.steps.fail} failed, ${m.steps.skip} skipped${m.steps.running ? `, ${m.steps.running} never finished` : ''}${m.steps.undone ? `; ${m.steps.undone} undone by rollback` : ''}${m.steps.undoFailed ? `, ${m.steps.undoFailed} could not be undone` : ''}`]);
    const c = d.cutover;
    if (m.downtimeMs === undefined) out.push(['Downtime', 'not measured (the VIP was not probed)']);
    else {
      const longest = c?.gaps.reduce<(typeof c.gaps)[number] | undefined>((a, g) => (!a || g.ms > a.ms ? g : a), undefined);
      const probes = c?.probes.length ? `${c.probes.length} probes, ${c.probes.filter((x) => x.node === null).length} lost` : c?.window?.probes ? `${c.window.probes} probes, ${c.window.probes - (c.window.answered ?? c.window.probes)} lost` : '';
      out.push(['Downtime', longest ? `${longest.ms} ms, from ${clockTime(longest.start)} to ${clockTime(longest.end)} UTC${longest.open ? ' (still down when probing stopped)' : ''}; ${c!.gaps.length} gap(s)${probes ? `; ${probes}` : ''}` : `0 ms: no probe lost${probes ? ` (${probes})` : ''}`]);
    }
  }
  const k = d.checklist;
  if (k) {
    const n = (s: string) => k.items.filter((i) => i.status === s).length;
    out.push(['Checklist', `${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped (${k.source})`]);
  } else out.push(['Checklist', 'no result in this directory (run `ka2pcmk check DIR --json > DIR/check.json`)']);
  return out;
}

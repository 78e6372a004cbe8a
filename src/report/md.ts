/**
 * The report as markdown, for a change ticket: the same sections as the
 * HTML, with the timeline drawn as a fixed-width text strip (one character
 * per slice of time) and the steps and gaps as tables.
 */
import { fullRange, type Range } from './svg.js';
import { clockTime, formatDuration, gapErrors, offset, summaryPairs } from './summary.js';
import { ANY_NODE, type CutoverRecord, type ReportData, type Table } from './types.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

const COLS = 72;

/**
 * A text strip per row: `=` answered, `x` no answer, `#` a step running,
 * `!` a failed step; a `^` line under the probe rows marks the gaps.
 */
export function textStrip(c: CutoverRecord, r: Range): string[] {
  const span = Math.max(r.to - r.from, 1);
  const col = (t: number) => Math.min(COLS - 1, Math.max(0, Math.floor(((t - r.from) / span) * COLS)));
  const label = (s: string) => (s.length > 14 ? s.slice(0, 13) + '…' : s).padEnd(14);
  const lines: string[] = [];
  const nodes = [...new Set([...c.nodes.filter((n) => n !== ANY_NODE), ...c.steps.map((s) => s.node)])];
  for (const n of nodes) {
    const steps = c.steps.filter((s) => s.node === n);
    if (!steps.length) continue;
    const row = Array(COLS).fill('.');
    for (const s of steps) for (let k = col(s.t0); k <= col(s.t1); k++) row[k] = s.state === 'fail' ? '!' : row[k] === '!' ? '!' : '#';
    lines.push(`${label(`steps ${n}`)} ${row.join('')}`);
  }
  const nodeAware = c.probes.some((p) => p.node !== null && p.node !== ANY_NODE);
  const responders = [...(nodeAware ? c.nodes.filter((n) => n !== ANY_NODE) : []), ...(c.window || c.probes.some((p) => p.node === ANY_NODE) ? [ANY_NODE] : [])];
  if (c.probes.length || c.window) {
    for (const n of responders) {
      const row = Array(COLS).fill(' ');
      if (c.probes.length) for (const p of c.probes) if (p.node === n) row[col(p.t)] = '=';
      if (!c.probes.length && n === ANY_NODE && c.window) {
        for (let k = col(c.window.from); k <= col(c.window.to); k++) row[k] = '=';
        for (const g of c.gaps) for (let k = col(g.start); k <= col(g.end); k++) row[k] = ' ';
      }
      lines.push(`${label(n === ANY_NODE ? 'VIP answered' : `VIP on ${n}`)} ${row.join('')}`);
    }
    const lost = Array(COLS).fill(' ');
    for (const p of c.probes) if (p.node === null) lost[col(p.t)] = 'x';
    if (!c.probes.length) for (const g of c.gaps) for (let k = col(g.start); k <= col(g.end); k++) lost[k] = 'x';
    lines.push(`${label('no answer')} ${lost.join('')}`);
    const marks = Array(COLS).fill(' ');
    for (const g of c.gaps) for (let k = col(g.start); k <= col(g.end); k++) marks[k] = '^';
    if (c.gaps.length) lines.push(`${label('gaps')} ${marks.join('')}`);
  }
  lines.push(`${label('')} ${`|${clockTime(r.from)}`.padEnd(COLS - 13)}${clockTime(r.to)}|`);
  return lines;
}

function cutoverSection(d: ReportData): string[] {
  const c = d.cutover;
  if (!c) return ['## Cutover', '', 'No migration was journaled in this directory.', ''];
  const r = fullRange(c);
  const start = d.migration?.started ?? r?.from ?? 0;
  const out = ['## Cutover', ''];
  if (r) out.push('```text', ...textStrip(c, r), '```', '');
  if (c.gaps.length) {
    out.push(`Downtime gaps of the VIP probe${c.target ? ` (${c.target})` : ''}:`, '');
    out.push(...table(['#', 'from (UTC)', 'to (UTC)', 'length', 'probes lost', 'why'], c.gaps.map((g, k) => [String(k + 1), clockTime(g.start), clockTime(g.end) + (g.open ? ' (still down)' : ''), `${g.ms} ms`, g.lost === undefined ? '' : String(g.lost), gapErrors(g)])), '');
  } else if (c.probes.length || c.window) out.push(`The VIP${c.target ? ` (${c.target})` : ''} answered every probe: no downtime gap.`, '');
  else out.push('The VIP was not probed during this migration.', '');
  if (c.steps.length) {
    out.push('Steps:', '');
    out.push(...table(['#', 'node', 'phase', 'step', 'start', 'duration', 'state'], c.steps.map((s, k) => [String(k + 1), s.node, s.phase ?? '', s.title, offset(s.t0, start), formatDuration(s.t1 - s.t0), s.state === 'running' ? 'never finished' : s.state])), '');
  }
  return out;
}

function checklistSection(d: ReportData): string[] {
  const k = d.checklist;
  if (!k) return [];
  const out = ['## Checklist', '', `From \`${k.source}\`: ${k.ok ? 'every item passed or was skipped' : '**some items failed**'}.`, ''];
  for (const i of k.items) {
    out.push(`- **${i.status.toUpperCase()}** ${i.title}: ${i.detail}${i.measuredMs !== undefined ? ` (${formatDuration(i.measuredMs)})` : ''}`);
    if (i.evidence.length) {
      out.push('', '  ```text');
      for (const e of i.evidence) {
        out.push(`  ${e.node ? `${e.node}$ ` : '$ '}${e.command}${e.code !== undefined ? `   # exit ${e.code ?? 'none'}` : ''}`);
        for (const l of (e.output ?? '').split('\n').filter(Boolean).slice(0, 12)) out.push(`  ${l}`);
      }
      out.push('  ```', '');
    }
  }
  out.push('');
  return out;
}

function tableSection(title: string, intro: string, t: Table | undefined): string[] {
  if (!t) return [];
  return [`## ${title}`, '', intro, '', ...table(t.header, t.rows), ''];
}

/** Renders the whole report as markdown. */
export function renderMarkdown(d: ReportData): string {
  const out: string[] = [`# ka2pcmk report: cluster \`${d.plan.cluster}\``, '', '## Summary', ''];
  for (const [k, v] of summaryPairs(d)) out.push(`- **${k}**: ${v}`);
  out.push('');
  out.push(...cutoverSection(d));
  out.push(...checklistSection(d));
  out.push(...tableSection('Fidelity ledger', 'Every directive of every node, and what it becomes.', d.ledger && { header: ['fidelity', 'where', 'directive', 'becomes', 'why'], rows: d.ledger.map((l) => [l.fidelity, l.where, `\`${l.directive}\``, l.becomes, l.why]) }));
  out.push(...tableSection('Behaviour: keepalived against Pacemaker', 'Who holds each VIP in each failure scenario, by keepalived\'s election and by crm_simulate on the emitted CIB.', d.behaviour));
  if (d.notes.length) out.push('## Notes', '', ...d.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

/**
 * The report as one self-contained HTML page, to attach to a change ticket:
 * inline CSS and SVG, no script, no font, no image, no link to anything
 * outside the file, so it opens the same on an air-gapped laptop years
 * later. The timeline of the whole migration comes first; when the probes
 * cover only part of it, a second picture zooms on the probing window
 * (a 40 ms gap is a hair on a ten-minute axis).
 */
import { fullRange, probeRange, renderTimeline, xml } from './svg.js';
import { clockTime, formatDuration, gapErrors, offset, outcomeOk, summaryPairs } from './summary.js';
import type { ReportData, Table } from './types.js';

const esc = xml;

function table(header: string[], rows: string[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** Markdown cells as report.md writes them: `code` spans and **bold**, the rest escaped. */
function mdCell(s: string): string {
  return esc(s)
    .replace(/`([^`]*)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

function summarySection(d: ReportData): string {
  const m = d.migration;
  const badge = m ? `<p class="badge ${outcomeOk(m) ? 'good' : 'bad'}">${esc(m.outcome === 'migrated' ? 'Migrated' : m.outcome === 'rolled-back' ? (m.history.includes('migrated') ? 'Migrated, then rolled back' : 'Rolled back') : m.outcome === 'rollback-incomplete' ? 'Rollback incomplete' : m.outcome === 'failed' ? 'Failed' : 'Unfinished')}${m.downtimeMs !== undefined ? ` — downtime ${m.downtimeMs} ms` : ''}</p>` : '';
  return `<section id="summary"><h2>Summary</h2>${badge}<dl>${summaryPairs(d)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${mdCell(v)}</dd>`)
    .join('')}</dl></section>`;
}

function cutoverSection(d: ReportData): string {
  const c = d.cutover;
  if (!c) return `<section id="cutover"><h2>Cutover</h2><p>No migration was journaled in this directory.</p></section>`;
  const all = fullRange(c);
  const zoom = probeRange(c);
  const parts = [`<section id="cutover"><h2>Cutover</h2>`];
  parts.push(`<div class="figure">${renderTimeline(c, { range: all, title: 'The whole migration', idPrefix: 'all' })}</div>`);
  if (all && zoom && zoom.to - zoom.from < (all.to - all.from) * 0.5) {
    parts.push(`<div class="figure">${renderTimeline(c, { range: zoom, title: `Zoom on the probing window (${formatDuration(zoom.to - zoom.from)})`, idPrefix: 'zoom' })}</div>`);
  }
  if (c.gaps.length) {
    parts.push(`<h3>Downtime gaps${c.target ? ` of ${esc(c.target)}` : ''}</h3>`);
    parts.push(table(['#', 'from (UTC)', 'to (UTC)', 'length', 'probes lost', 'why'], c.gaps.map((g, k) => [String(k + 1), clockTime(g.start), clockTime(g.end) + (g.open ? ' (still down)' : ''), `<strong>${g.ms} ms</strong>`, g.lost === undefined ? '' : String(g.lost), esc(gapErrors(g))])));
  } else if (c.probes.length || c.window) parts.push(`<p>The VIP${c.target ? ` (${esc(c.target)})` : ''} answered every probe: no downtime gap.</p>`);
  else parts.push('<p>The VIP was not probed during this migration.</p>');
  if (c.steps.length) {
    const start = d.migration?.started ?? all?.from ?? 0;
    parts.push('<h3>Steps</h3>');
    parts.push(table(['#', 'node', 'phase', 'step', 'start', 'duration', 'state'], c.steps.map((s, k) => [String(k + 1), esc(s.node), esc(s.phase ?? ''), esc(s.title), offset(s.t0, start), formatDuration(s.t1 - s.t0), `<span class="st ${s.state}">${s.state === 'running' ? 'never finished' : s.state}</span>`]), 'steps'));
  }
  parts.push('</section>');
  return parts.join('');
}

function checklistSection(d: ReportData): string {
  const k = d.checklist;
  if (!k) return '';
  const items = k.items.map((i) => {
    const ev = i.evidence.length
      ? `<details${i.status === 'fail' ? ' open' : ''}><summary>evidence (${i.evidence.length} command${i.evidence.length > 1 ? 's' : ''})</summary>${i.evidence
          .map((e) => `<pre><span class="prompt">${esc(e.node ? `${e.node}$ ` : '$ ')}</span>${esc(e.command)}${e.code !== undefined ? `  <span class="muted"># exit ${e.code ?? 'none'}</span>` : ''}${e.output ? `\n${esc(e.output)}` : ''}</pre>`)
          .join('')}</details>`
      : '';
    return `<li class="${i.status}"><span class="st ${i.status}">${i.status.toUpperCase()}</span> <strong>${esc(i.title)}</strong>: ${esc(i.detail)}${i.measuredMs !== undefined ? ` (${formatDuration(i.measuredMs)})` : ''}${ev}</li>`;
  });
  return `<section id="checklist"><h2>Checklist</h2><p>From <code>${esc(k.source)}</code>: ${k.ok ? 'every item passed or was skipped' : '<strong>some items failed</strong>'}.</p><ul class="checklist">${items.join('')}</ul></section>`;
}

function tableSection(id: string, title: string, intro: string, t: Table | undefined): string {
  if (!t) return '';
  return `<section id="${id}"><h2>${esc(title)}</h2><p>${esc(intro)}</p>${table(t.header, t.rows.map((r) => r.map(mdCell)))}</section>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;margin:24px auto;max-width:1160px;padding:0 16px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}h3{font-size:15px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f4f5f7}
code,pre{font:12px ui-monospace,'DejaVu Sans Mono',monospace}pre{background:#f7f7f9;padding:6px;overflow-x:auto;margin:4px 0}
.badge{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:600}.badge.good{background:#dff3df;color:#1d6b1d}.badge.bad{background:#fbe0e0;color:#9b1c1c}
.figure{overflow-x:auto;margin:8px 0 16px}.st{font-weight:600}.st.ok,.st.pass{color:#1d6b1d}.st.fail{color:#c00}.st.skip{color:#777}.st.running{color:#b36b00}
.checklist{list-style:none;padding-left:0}.checklist li{margin:6px 0}.muted{color:#777}.prompt{color:#555}
footer{margin-top:32px;color:#777;font-size:12px}
`;

/** Renders the whole report as one HTML document. */
export function renderHtml(d: ReportData): string {
  const title = `ka2pcmk report: cluster ${d.plan.cluster}`;
  const body = [
    `<h1>${esc(title)}</h1>`,
    summarySection(d),
    cutoverSection(d),
    checklistSection(d),
    tableSection('ledger', 'Fidelity ledger', 'Every directive of every node, and what it becomes.', d.ledger && { header: ['fidelity', 'where', 'directive', 'becomes', 'why'], rows: d.ledger.map((l) => [l.fidelity, l.where, `\`${l.directive}\``, l.becomes, l.why]) }),
    tableSection('behaviour', 'Behaviour: keepalived against Pacemaker', "Who holds each VIP in each failure scenario, by keepalived's election and by crm_simulate on the emitted CIB.", d.behaviour),
    d.notes.length ? `<section id="notes"><h2>Notes</h2><ul>${d.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>` : '',
    `<footer>Generated by ${esc(d.plan.tool || 'ka2pcmk')} from ${esc(d.dir)}.</footer>`,
  ];
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>${body.join('\n')}</body></html>\n`;
}

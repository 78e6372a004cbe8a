/**
 * The picture of a cutover as an SVG: the migration's steps in one lane per
 * node, below them the VIP probes' answers in one row per node (and a row of
 * lost probes), each downtime gap as a red band across the probe rows, and a
 * time axis. Pure: the same record and range give the same bytes.
 *
 * Steps are numbered in the record's order (1-based); the HTML's step table
 * uses the same numbers, and every mark has a <title> (a tooltip) saying
 * what it is. A mark narrower than a pixel is drawn a few pixels wide: a
 * 12 ms gap on a ten-minute axis must still be seen.
 */
import { ANY_NODE, type CutoverRecord, type CutoverStep } from './types.js';

/** The visible time range, ms since the epoch. */
export interface Range {
  from: number;
  to: number;
}

export interface TimelineOptions {
  range?: Range;
  width?: number;
  title?: string;
  /** Prefix of element ids, to keep two pictures on one page apart. */
  idPrefix?: string;
}

/** Escapes text for XML content and attribute values. */
export function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Everything the record covers: steps, probes, window and gaps. */
export function fullRange(c: CutoverRecord): Range | undefined {
  const ts = [...c.steps.flatMap((s) => [s.t0, s.t1]), ...c.probes.map((p) => p.t), ...(c.window ? [c.window.from, c.window.to] : []), ...c.gaps.flatMap((g) => [g.start, g.end])];
  if (!ts.length) return undefined;
  return { from: Math.min(...ts), to: Math.max(...ts) };
}

/** The probing window (with a margin), when the probes cover only part of the run: worth a zoomed picture. */
export function probeRange(c: CutoverRecord): Range | undefined {
  const ts = [...c.probes.map((p) => p.t), ...(c.window ? [c.window.from, c.window.to] : [])];
  if (!ts.length) return undefined;
  const from = Math.min(...ts);
  const to = Math.max(...ts);
  const pad = Math.max((to - from) * 0.05, 50);
  return { from: from - pad, to: to + pad };
}

/** A step's colour class. */
function stepClass(s: CutoverStep): string {
  return s.phase === 'rollback' ? `step undo ${s.state}` : `step ${s.state}`;
}

const COLOURS = {
  ok: '#3b82c4',
  fail: '#d62728',
  skip: '#b0b0b0',
  running: '#f0a020',
  undo: '#8e5bb5',
  answered: '#2ca02c',
  lost: '#d62728',
};

/** Tick spacing giving at most about ten ticks. */
function tickStep(span: number): number {
  const nice = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
  return nice.find((n) => span / n <= 10) ?? 3_600_000;
}

function relLabel(ms: number, step: number): string {
  if (step < 1000) return `+${(ms / 1000).toFixed(step < 10 ? 3 : step < 100 ? 2 : 1)} s`;
  if (step < 60_000) return `+${Math.round(ms / 1000)} s`;
  return `+${Math.floor(ms / 60_000)} min${ms % 60_000 ? ` ${Math.round((ms % 60_000) / 1000)} s` : ''}`;
}

const clock = (t: number) => new Date(t).toISOString().slice(11, 23);
const rowLabel = (n: string) => (n === ANY_NODE ? 'answered (any node)' : n);
const f = (n: number) => (Math.round(n * 10) / 10).toString();

/** Answered spans per responder: consecutive samples close together merge into one span. */
function answeredSpans(c: CutoverRecord): Map<string, Range[]> {
  const out = new Map<string, Range[]>();
  if (c.window && !c.probes.length) {
    // Only a summary: answered throughout the window except in the gaps.
    const spans: Range[] = [];
    let t = c.window.from;
    for (const g of [...c.gaps].sort((a, b) => a.start - b.start)) {
      if (g.start > t) spans.push({ from: t, to: g.start });
      t = Math.max(t, g.end);
    }
    if (t < c.window.to) spans.push({ from: t, to: c.window.to });
    out.set(ANY_NODE, spans);
    return out;
  }
  const ps = c.probes;
  const deltas = ps.slice(1).map((p, k) => p.t - ps[k].t).filter((d) => d > 0).sort((a, b) => a - b);
  const interval = deltas.length ? deltas[Math.floor(deltas.length / 2)] : 10;
  let open: { node: string; span: Range } | undefined;
  for (const p of ps) {
    if (open && (p.node !== open.node || p.t - open.span.to > 3 * interval)) open = undefined;
    if (p.node === null) continue;
    if (!open) {
      open = { node: p.node, span: { from: p.t, to: p.t } };
      out.set(p.node, [...(out.get(p.node) ?? []), open.span]);
    }
    open.span.to = p.t + interval;
  }
  return out;
}

/** Renders the timeline as a standalone <svg> element. */
export function renderTimeline(c: CutoverRecord, opts: TimelineOptions = {}): string {
  const range = opts.range ?? fullRange(c) ?? { from: 0, to: 1 };
  const from = range.from;
  const span = Math.max(range.to - range.from, 1);
  const id = opts.idPrefix ?? 'tl';
  const W = opts.width ?? 1100;
  const left = 190;
  const right = 20;
  const plotW = W - left - right;
  const x = (t: number) => left + ((Math.min(Math.max(t, from), from + span) - from) / span) * plotW;
  const widthOf = (a: number, b: number, min: number) => Math.max(x(b) - x(a), min);
  const visible = (a: number, b: number) => b >= from && a <= from + span;

  const out: string[] = [];
  let y = 34;
  out.push(`<text x="8" y="16" class="title">${xml(opts.title ?? 'Cutover timeline')}</text>`);
  out.push(`<text x="${W - right}" y="16" text-anchor="end" class="muted">t = 0 at ${clock(from)} UTC</text>`);

  // Steps: one lane per node, in the record's node order, then any other node named by a step.
  const stepNodes = [...c.nodes.filter((n) => n !== ANY_NODE && c.steps.some((s) => s.node === n)), ...new Set(c.steps.map((s) => s.node).filter((n) => !c.nodes.includes(n)))];
  const laneH = 22;
  const stepsTop = y + 14;
  if (c.steps.length) out.push(`<text x="8" y="${y + 8}" class="section">migration steps</text>`);
  y = stepsTop;
  const laneY = new Map<string, number>();
  for (const n of stepNodes) {
    laneY.set(n, y);
    out.push(`<rect x="${left}" y="${y}" width="${plotW}" height="${laneH - 4}" class="lane"/>`);
    out.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end">${xml(n || '(cluster)')}</text>`);
    y += laneH;
  }
  const lastLabel = new Map<string, number>();
  const markers: string[] = [];
  c.steps.forEach((s, k) => {
    if (!visible(s.t0, s.t1)) return;
    const ly = laneY.get(s.node) ?? stepsTop;
    const x0 = x(s.t0);
    const w = widthOf(s.t0, s.t1, 2);
    const tip = `${k + 1}. [${s.node}] ${s.title} — ${s.state}, ${clock(s.t0)}–${clock(s.t1)} UTC (${Math.round(s.t1 - s.t0)} ms)`;
    out.push(`<rect x="${f(x0)}" y="${ly + 2}" width="${f(w)}" height="${laneH - 8}" class="${stepClass(s)}" data-step="${k + 1}"><title>${xml(tip)}</title></rect>`);
    // Numbers only where they do not overlap the previous one in the lane.
    if (x0 - (lastLabel.get(s.node) ?? -Infinity) >= 16) {
      out.push(`<text x="${f(x0 + 1)}" y="${ly - 1}" class="num">${k + 1}</text>`);
      lastLabel.set(s.node, x0);
    }
    if (s.phase === 'push' || s.phase === 'cutover' || s.phase === 'rollback' || (!s.phase && c.steps.length <= 30)) markers.push(f(x0));
  });

  // Probes: one row per responder, then the lost probes.
  y += c.steps.length ? 14 : 0;
  const hasProbes = c.probes.length > 0 || !!c.window;
  const rowH = 24;
  // Room above the probe rows for two lines of gap labels.
  const probeTop = y + 28;
  if (hasProbes) out.push(`<text x="8" y="${y + 8}" class="section">VIP probes${c.target ? ` of ${xml(c.target)}` : ''}</text>`);
  y = probeTop;
  const spans = answeredSpans(c);
  // A row per node only when the probes say who answered: empty node rows beside an anonymous one would read as "never answered".
  const nodeAware = c.probes.some((p) => p.node !== null && p.node !== ANY_NODE);
  const rows = hasProbes ? [...(nodeAware ? c.nodes.filter((n) => n !== ANY_NODE) : []), ...(spans.has(ANY_NODE) ? [ANY_NODE] : [])] : [];
  for (const n of rows) {
    out.push(`<rect x="${left}" y="${y}" width="${plotW}" height="${rowH - 6}" class="lane"/>`);
    out.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end">${xml(rowLabel(n))}</text>`);
    for (const s of spans.get(n) ?? []) {
      if (!visible(s.from, s.to)) continue;
      out.push(`<rect x="${f(x(s.from))}" y="${y + 2}" width="${f(widthOf(s.from, s.to, 1))}" height="${rowH - 10}" class="answered"><title>${xml(`${rowLabel(n)} answered ${clock(s.from)}–${clock(s.to)} UTC`)}</title></rect>`);
    }
    y += rowH;
  }
  if (hasProbes) {
    out.push(`<rect x="${left}" y="${y}" width="${plotW}" height="${rowH - 6}" class="lane"/>`);
    out.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end">no answer</text>`);
    for (const p of c.probes) if (p.node === null && visible(p.t, p.t)) out.push(`<rect x="${f(x(p.t))}" y="${y + 2}" width="1" height="${rowH - 10}" class="lost"/>`);
    if (!c.probes.length) for (const g of c.gaps) if (visible(g.start, g.end)) out.push(`<rect x="${f(x(g.start))}" y="${y + 2}" width="${f(widthOf(g.start, g.end, 1))}" height="${rowH - 10}" class="lost"/>`);
    y += rowH;
  }
  const probeBottom = y;

  // Step markers across the probe rows: which step ran when the VIP did what.
  if (hasProbes) for (const m of [...new Set(markers)]) out.push(`<line x1="${m}" y1="${stepsTop}" x2="${m}" y2="${probeBottom}" class="marker"/>`);

  // Gaps last, over everything, so they are never hidden.
  const labelEnds: number[] = [];
  c.gaps.forEach((g, k) => {
    if (!visible(g.start, g.end)) return;
    const gx = x(g.start);
    const gw = widthOf(g.start, g.end, 3);
    const label = `gap ${g.ms} ms${g.lost !== undefined ? `, ${g.lost} lost` : ''}${g.open ? ' (still down when probing stopped)' : ''}`;
    out.push(`<rect id="${id}-gap-${k}" x="${f(gx)}" y="${probeTop - 4}" width="${f(gw)}" height="${probeBottom - probeTop + 4}" class="gap" data-ms="${g.ms}"><title>${xml(`${label}: ${clock(g.start)}–${clock(g.end)} UTC${g.errors ? ` (${Object.entries(g.errors).map(([e, n]) => `${e} ×${n}`).join(', ')})` : ''}`)}</title></rect>`);
    const approx = label.length * 6.3;
    // Right of the gap, unless that would run off the plot.
    const anchor = gx + gw + 3 + approx > left + plotW ? 'end' : 'start';
    const lx0 = anchor === 'end' ? gx - 3 - approx : gx + gw + 3;
    // First line whose last label ends before this one starts; a third overlapping label reuses the top line.
    let line = labelEnds.findIndex((e) => e < lx0);
    if (line < 0) line = Math.min(labelEnds.length, 1);
    labelEnds[line] = lx0 + approx;
    out.push(`<text x="${f(anchor === 'end' ? gx - 3 : gx + gw + 3)}" y="${probeTop - 6 - line * 13}" text-anchor="${anchor}" class="gaplabel">${xml(label)}</text>`);
  });

  // Axis.
  y += 4;
  const step = tickStep(span);
  out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" class="axis"/>`);
  for (let t = 0; t <= span + 1e-9; t += step) {
    const tx = x(from + t);
    out.push(`<line x1="${f(tx)}" y1="${y}" x2="${f(tx)}" y2="${y + 5}" class="axis"/>`, `<text x="${f(tx)}" y="${y + 17}" text-anchor="middle" class="muted">${relLabel(t, step)}</text>`);
  }
  y += 30;

  // Legend.
  const legend: [string, string][] = [
    ['answered', 'probe answered'],
    ['lost', 'no answer'],
    ['gap', 'downtime gap'],
    ['step ok', 'step ok'],
    ['step fail', 'step failed'],
    ['step skip', 'skipped'],
    ['step running', 'never finished'],
    ['step undo ok', 'rollback (undo)'],
  ];
  let lx = left;
  for (const [cls, text] of legend) {
    out.push(`<rect x="${lx}" y="${y - 9}" width="12" height="10" class="${cls}"/>`, `<text x="${lx + 16}" y="${y}">${text}</text>`);
    lx += 24 + text.length * 6.2;
  }
  y += 10;

  const style = `<style>
text{font:11px system-ui,-apple-system,'Segoe UI',sans-serif;fill:#222}
.title{font-size:14px;font-weight:600}.section{font-size:12px;font-weight:600;fill:#444}.muted{fill:#666}
.num{font-size:9px;fill:#555}.gaplabel{font-size:11px;font-weight:600;fill:${COLOURS.lost}}
.lane{fill:#f4f5f7}.answered{fill:${COLOURS.answered}}.lost{fill:${COLOURS.lost}}
.gap{fill:${COLOURS.lost};fill-opacity:.3;stroke:${COLOURS.lost};stroke-width:1}
.step.ok{fill:${COLOURS.ok}}.step.fail{fill:${COLOURS.fail}}.step.skip{fill:${COLOURS.skip}}.step.running{fill:${COLOURS.running}}.step.undo{fill:${COLOURS.undo}}.step.undo.fail{fill:${COLOURS.fail}}
.marker{stroke:#888;stroke-width:.6;stroke-dasharray:2 3}.axis{stroke:#444;stroke-width:1}
</style>`;
  const desc = `Cutover timeline: ${c.steps.length} step(s), ${c.gaps.length} downtime gap(s)${c.gaps.length ? `, longest ${Math.max(...c.gaps.map((g) => g.ms))} ms` : ''}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" id="${id}" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" role="img" aria-label="${xml(desc)}">${style}${out.join('')}</svg>`;
}

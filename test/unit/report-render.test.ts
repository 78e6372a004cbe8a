/** The report's pure renderers on a synthetic CutoverRecord (fixtures/report/cutover.json) and on loaded fixtures. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { loadReport } from '../../src/report/load.js';
import { renderMarkdown, textStrip } from '../../src/report/md.js';
import { fullRange, probeRange, renderTimeline } from '../../src/report/svg.js';
import { ANY_NODE, type CutoverRecord } from '../../src/report/types.js';

const FIX = join(process.cwd(), 'fixtures', 'report');
const record = (): CutoverRecord => JSON.parse(readFileSync(join(FIX, 'cutover.json'), 'utf8'));

describe('timeline SVG', () => {
  it('draws a lane per node for the steps, a row per answering node, the gap as a band, and an axis', () => {
    const svg = renderTimeline(record(), { idPrefix: 't' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/<rect id="t-gap-0" [^>]*class="gap" data-ms="50"/);
    expect(svg).toContain('gap 50 ms, 5 lost');
    expect((svg.match(/data-step="/g) ?? []).length).toBe(5);
    expect(svg).toContain('data-step="3"');
    expect(svg).toMatch(/>node1<\/text>/);
    expect(svg).toMatch(/>no answer<\/text>/);
    expect(svg).toMatch(/class="answered"/);
    expect(svg).toContain('+0 s');
    expect(svg).toContain('aria-label="Cutover timeline: 5 step(s), 1 downtime gap(s), longest 50 ms"');
  });

  it('keeps a gap visible however long the axis is', () => {
    const r = record();
    const svg = renderTimeline(r, { range: { from: r.probes[0].t - 3_600_000, to: r.probes.at(-1)!.t } });
    const w = Number(/id="tl-gap-0" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/.exec(svg)?.[1]);
    expect(w).toBeGreaterThanOrEqual(3);
  });

  it('with only a probe summary, shows one anonymous row answered outside the gaps', () => {
    const r: CutoverRecord = { nodes: ['node1', 'node2'], probes: [], window: { from: 1000, to: 5000 }, gaps: [{ start: 2000, end: 2100, ms: 100 }], steps: [] };
    const svg = renderTimeline(r);
    expect(svg).toContain('answered (any node)');
    expect(svg).not.toMatch(/>node1<\/text>/);
    expect((svg.match(/class="answered"><title>/g) ?? []).length).toBe(2);
  });

  it('escapes what it is given', () => {
    const r = record();
    r.steps[0].title = 'write <corosync.conf> & "quote"';
    expect(renderTimeline(r)).toContain('write &lt;corosync.conf&gt; &amp; &quot;quote&quot;');
  });

  it('zooms on the probing window', () => {
    const r = record();
    const z = probeRange(r)!;
    expect(z.from).toBeLessThan(r.probes[0].t);
    expect(z.to).toBeGreaterThan(r.probes.at(-1)!.t);
    expect(fullRange(r)!.from).toBe(r.probes[0].t);
  });
});

describe('markdown', () => {
  it('draws the timeline as a text strip: answers, lost probes, the gap under them', () => {
    const r = record();
    const lines = textStrip(r, fullRange(r)!);
    expect(lines.find((l) => l.startsWith('VIP on node1'))).toMatch(/=+ *=+/);
    expect(lines.find((l) => l.startsWith('no answer'))).toMatch(/x/);
    expect(lines.find((l) => l.startsWith('gaps'))).toMatch(/\^/);
    expect(lines.find((l) => l.startsWith('steps node2'))).toMatch(/#/);
  });

  it('renders every section of a migrated plan directory', () => {
    const md = renderMarkdown(loadReport(join(FIX, 'pair'), 'plan/'));
    for (const h of ['## Summary', '## Cutover', '## Checklist', '## Fidelity ledger', '## Behaviour: keepalived against Pacemaker']) expect(md).toContain(h);
    expect(md).toContain('- **Downtime**: 37 ms, from 23:14:25.000 to 23:14:25.037 UTC; 1 gap(s); 793 probes, 4 lost');
    expect(md).toContain('- **PASS** the cluster is quorate');
    expect(md).toContain('  node1$ crm_mon -1 --output-as=xml   # exit 0');
    expect(md).toContain('| 17 | node1 | cutover | SIGKILL keepalived (parent and VRRP child) on node1 |');
    expect(md).toContain('| 1 | 23:14:25.000 | 23:14:25.037 | 37 ms | 4 | ECONNREFUSED ×4 |');
  });
});

describe('HTML', () => {
  const html = renderHtml(loadReport(join(FIX, 'failed'), 'plan/'));

  it('is self-contained: no script, no external resource of any kind', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=/i);
    // The only URL is the SVG namespace, which is a name, not a fetch.
    expect(html.match(/https?:\/\/[^"\s<]+/g)).toEqual(['http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg']);
  });

  it('holds the timeline twice (whole run and zoom), both gaps, the steps and the rollback', () => {
    expect((html.match(/<svg /g) ?? []).length).toBe(2);
    expect(html).toContain('id="all-gap-0"');
    expect(html).toContain('id="zoom-gap-1"');
    expect(html).toContain('Rolled back — downtime 820 ms');
    expect(html).toContain('undo: push the CIB in one change');
    expect(html).toContain('<span class="st fail">fail</span>');
  });

  it('shows the checklist with its evidence', () => {
    const h = renderHtml(loadReport(join(FIX, 'pair'), 'plan/'));
    expect(h).toContain('<span class="st pass">PASS</span> <strong>the cluster is quorate</strong>');
    expect(h).toContain('&lt;current_dc present=&quot;true&quot; with_quorum=&quot;true&quot;/&gt;');
  });
});

describe('JSON', () => {
  it('is the report data, tagged with its kind and version', () => {
    const doc = JSON.parse(renderJson(loadReport(join(FIX, 'failed'), 'plan/')));
    expect(doc.kind).toBe('ka2pcmk-report');
    expect(doc.version).toBe(1);
    expect(doc.migration.outcome).toBe('rolled-back');
    expect(doc.cutover.gaps.map((g: { ms: number }) => g.ms)).toEqual([820, 310]);
    expect(doc.cutover.nodes).not.toContain(ANY_NODE);
  });
});

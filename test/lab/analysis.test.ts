/** The lab's pure analysis: gaps in probe answers and VIP holdings (no root, no lab). */
import { analyseProbes, holdings, overlaps, parseMonitorLog, parseProbeLog } from '../../src/lab/analysis.js';

test('the longest gap is measured from the first lost probe to the next answer', () => {
  const log = ['1000.0 1001.0 node1', '1010.0 1011.0 node1', '1020.0 1900.0 - TimeoutError', '1030.0 1900.0 - TimeoutError', '1040.0 1041.0 node2', '1050.0 1051.0 node2'].join('\n');
  const r = analyseProbes(parseProbeLog(log));
  expect(r).toMatchObject({ probes: 6, answered: 4, lost: 2, byNode: { node1: 2, node2: 2 } });
  expect(r.switches).toEqual([{ t: 1040, from: 'node1', to: 'node2' }]);
  expect(r.longestGap).toMatchObject({ from: 1010, to: 1040, ms: 30, downtimeMs: 20, lost: 2, fromNode: 'node1', toNode: 'node2' });
});

test('no lost probe means zero downtime', () => {
  const r = analyseProbes(parseProbeLog('0 1 a\n10 11 a\n20 21 b\n'));
  expect(r.longestGap?.downtimeMs).toBe(0);
});

test('ip monitor lines become events; overlapping holdings are found', () => {
  const a = parseMonitorLog('node1', [
    '[2026-01-01T00:00:01.000000] 2: eth0    inet 192.0.2.100/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever',
    '[2026-01-01T00:00:03.500000] Deleted 2: eth0    inet 192.0.2.100/24 scope global secondary eth0\\       valid_lft forever preferred_lft forever',
  ].join('\n'));
  const b = parseMonitorLog('node2', '[2026-01-01T00:00:03.000000] 2: eth0    inet 192.0.2.100/24 scope global secondary eth0\\');
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  expect(a.map((e) => [e.t - t0, e.added])).toEqual([[1000, true], [3500, false]]);
  const hs = holdings([...a, ...b], '192.0.2.100');
  expect(hs).toEqual([{ node: 'node1', from: t0 + 1000, to: t0 + 3500 }, { node: 'node2', from: t0 + 3000 }]);
  expect(overlaps(hs).map((o) => o.ms)).toEqual([500]);
  expect(overlaps(holdings(a, '192.0.2.100'))).toEqual([]);
});

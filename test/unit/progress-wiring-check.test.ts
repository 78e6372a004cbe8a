/** `ka2pcmk check`'s progress: the checklist as one step, with its duration and counts, in lines and in NDJSON. */
import { checklistWithProgress } from '../../src/cli/check.js';
import { captureIo } from '../../src/cli/io.js';
import type { ChecklistResult } from '../../src/check/types.js';
import { jsonSink, lineSink } from '../../src/ui/progress.js';

/** Readings 1.5 s apart from a fixed instant (the sink reads it too, so a step spans several readings). */
function clock(start = Date.UTC(2026, 10, 21, 23, 14, 24, 0)) {
  let t = start;
  return () => (t += 1500) - 1500;
}

const result: ChecklistResult = {
  ok: false,
  items: [
    { id: 'keepalived-off', title: 'keepalived stopped and disabled', status: 'pass', detail: 'inactive', evidence: [] },
    { id: 'standby-moves-vip:VI_1:192.0.2.100', title: 'VIP 192.0.2.100 moves when its node goes to standby', status: 'fail', detail: 'still on node1', evidence: [], measuredMs: 60_000 },
    { id: 'failover-moves-vip:VI_1:192.0.2.100', title: 'VIP 192.0.2.100 moves when its node fails', status: 'skip', detail: 'opt-in', evidence: [] },
  ],
};

test('off a terminal: a start line and an outcome line with the duration, the counts and the timed items', async () => {
  const io = captureIo();
  const now = clock();
  const r = await checklistWithProgress(lineSink(io, now), ['node1', 'node2'], async () => result, now);
  expect(r).toBe(result);
  expect(io.stdout).toBe(
    '2026-11-21T23:14:25.500Z start the checklist on node1, node2\n' +
      '2026-11-21T23:14:30.000Z FAIL  the checklist on node1, node2 (4.5 s, 1 passed, 1 failed, 1 skipped; VIP 192.0.2.100 moves when its node goes to standby: 1 min 00 s)\n',
  );
});

test('NDJSON: the same step as events; a checklist that cannot run is a failed step and the error goes on', async () => {
  const io = captureIo();
  const now = clock();
  await expect(checklistWithProgress(jsonSink(io, now), ['node1'], async () => Promise.reject(new Error('no route to node1')), now)).rejects.toThrow('no route');
  expect(io.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([
    { t: '2026-11-21T23:14:27.000Z', type: 'step', id: 'checklist', state: 'start', title: 'the checklist on node1' },
    { t: '2026-11-21T23:14:30.000Z', type: 'step', id: 'checklist', state: 'fail', title: 'the checklist on node1', durationMs: 4500, detail: 'no route to node1' },
  ]);
});

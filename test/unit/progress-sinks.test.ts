/** The progress renderers: plain lines off a terminal, NDJSON with --json, the live list's redraws. */
import { describe, expect, it } from '@jest/globals';
import { captureIo } from '../../src/cli/io.js';
import { createProgress, formatDuration, jsonSink, lineSink, liveSink, progressMode, runStep } from '../../src/ui/progress.js';

/** A clock that advances by the given steps, one per call. */
function clock(start = Date.UTC(2026, 0, 2, 3, 4, 5, 0)) {
  let t = start;
  const now = () => t;
  return { now, advance: (ms: number) => (t += ms) };
}

describe('progress', () => {
  it('picks json for --json, live on a terminal, lines otherwise (and on TERM=dumb)', () => {
    expect(progressMode({ json: true, interactive: true })).toBe('json');
    expect(progressMode({ interactive: true })).toBe('live');
    expect(progressMode({ interactive: true }, { TERM: 'dumb' })).toBe('lines');
    expect(progressMode({})).toBe('lines');
  });

  it('writes timestamped plain lines, with host and the duration measured from the start event', () => {
    const io = captureIo();
    const c = clock();
    const sink = lineSink(io, c.now);
    sink.step({ id: 'a', title: 'back up keepalived.conf', host: 'node1', state: 'start' });
    c.advance(1234);
    sink.step({ id: 'a', title: 'back up keepalived.conf', host: 'node1', state: 'ok' });
    sink.step({ id: 'b', title: 'stop keepalived', host: 'node2', state: 'fail', durationMs: 40, detail: 'exit 1' });
    sink.step({ id: 'c', title: 'seed attributes', state: 'skip', detail: 'already there' });
    sink.note('probing 192.0.2.100:80 every 10 ms');
    sink.end({ ok: false, text: 'rolled back cleanly' });
    expect(io.stdout).toBe(
      [
        '2026-01-02T03:04:05.000Z start node1      back up keepalived.conf',
        '2026-01-02T03:04:06.234Z ok    node1      back up keepalived.conf (1.2 s)',
        '2026-01-02T03:04:06.234Z FAIL  node2      stop keepalived (40 ms, exit 1)',
        '2026-01-02T03:04:06.234Z skip  seed attributes (already there)',
        '2026-01-02T03:04:06.234Z probing 192.0.2.100:80 every 10 ms',
        '2026-01-02T03:04:06.234Z rolled back cleanly',
        '',
      ].join('\n'),
    );
    expect(io.stdout).not.toMatch(/\x1b/);
  });

  it('streams one JSON object per line, with stable field names', () => {
    const io = captureIo();
    const c = clock();
    const sink = createProgress(io, { json: true, interactive: true, now: c.now });
    sink.step({ id: 'cutover/kill/node1', title: 'SIGKILL keepalived', host: 'node1', state: 'start' });
    c.advance(150);
    sink.step({ id: 'cutover/kill/node1', title: 'SIGKILL keepalived', host: 'node1', state: 'ok' });
    sink.note('VIP probe: downtime 0 ms');
    sink.end({ ok: true, text: 'migrated' });
    const events = io.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toEqual([
      { t: '2026-01-02T03:04:05.000Z', type: 'step', id: 'cutover/kill/node1', state: 'start', title: 'SIGKILL keepalived', host: 'node1' },
      { t: '2026-01-02T03:04:05.150Z', type: 'step', id: 'cutover/kill/node1', state: 'ok', title: 'SIGKILL keepalived', host: 'node1', durationMs: 150 },
      { t: '2026-01-02T03:04:05.150Z', type: 'note', text: 'VIP probe: downtime 0 ms' },
      { t: '2026-01-02T03:04:05.150Z', type: 'end', ok: true, text: 'migrated' },
    ]);
  });

  it('runStep sends start then ok, or fail with the error, and rethrows', async () => {
    const io = captureIo();
    const c = clock();
    const sink = jsonSink(io, c.now);
    await expect(runStep(sink, { id: 's', title: 'works', host: 'n1' }, async () => (c.advance(5), 42), c.now)).resolves.toBe(42);
    await expect(runStep(sink, { id: 'f', title: 'breaks' }, async () => Promise.reject(new Error('exit 3')), c.now)).rejects.toThrow('exit 3');
    const ev = io.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(ev.map((e) => `${e.id}:${e.state}:${e.durationMs ?? ''}:${e.detail ?? ''}`)).toEqual(['s:start::', 's:ok:5:', 'f:start::', 'f:fail:0:exit 3']);
  });

  it('live: finished steps become permanent lines, running ones are erased and redrawn with ANSI', () => {
    const io = captureIo();
    const c = clock();
    const sink = liveSink(io, c.now);
    sink.step({ id: 'a', title: 'start corosync', host: 'node1', state: 'start' });
    sink.step({ id: 'b', title: 'start corosync', host: 'node2', state: 'start' });
    c.advance(2000);
    sink.step({ id: 'a', title: 'start corosync', host: 'node1', state: 'ok' });
    sink.end({ ok: true, text: 'done' });
    const writes = io.stdout;
    // Second write erases the one running line drawn before; the third erases two.
    expect(writes).toContain('\x1b[1A\r\x1b[0J');
    expect(writes).toContain('\x1b[2A\r\x1b[0J');
    // What the screen shows at the end, replaying the erase sequences.
    const screen: string[] = [];
    for (const chunk of writes.split(/(?=\x1b\[\d+A)/)) {
      const m = /^\x1b\[(\d+)A\r\x1b\[0J/.exec(chunk);
      if (m) screen.splice(screen.length - Number(m[1]));
      screen.push(...chunk.replace(/^\x1b\[\d+A\r\x1b\[0J/, '').split('\n').filter((l) => l !== ''));
    }
    expect(screen).toEqual(['ok    node1      start corosync (2.0 s)', 'done']);
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
  });
});

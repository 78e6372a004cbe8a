/**
 * Progress of long commands (migrate, check, rollback): one EventSink that a
 * command feeds with step events, and three renderers behind it, chosen once
 * by the CLI:
 *
 * - `live`: a task list on a terminal; finished steps scroll up as permanent
 *   lines, running steps stay in a small region at the bottom that is redrawn
 *   in place with ANSI (so a list longer than the screen still works);
 * - `lines`: one timestamped line per event, for logs, pipes and CI;
 * - `json`: one JSON object per line (NDJSON), for machines (`--json`).
 *
 * Usage from a command (the engine need not know which renderer it feeds):
 *
 *     const sink = createProgress(io, { json: opts.json, interactive: process.stdout.isTTY === true });
 *     sink.step({ id: 'backup/node1', title: 'back up keepalived.conf', host: 'node1', state: 'start' });
 *     ...
 *     sink.step({ id: 'backup/node1', title: 'back up keepalived.conf', host: 'node1', state: 'ok' });
 *     sink.end({ ok: true, text: 'migrated' });
 *
 * or `await runStep(sink, { id, title, host }, () => work())`, which sends
 * start, then ok or fail with the duration, and rethrows.
 *
 * Everything is written through the Io (nothing prints directly), and the
 * clock is injectable so tests see fixed timestamps.
 */
import type { Io } from '../cli/io.js';
import { plain, type Style } from './style.js';

/** What happened to a step. */
export type StepState = 'start' | 'ok' | 'fail' | 'skip';

/** One step event. `id` ties a step's start to its outcome. */
export interface StepEvent {
  id: string;
  title: string;
  state: StepState;
  /** The host the step runs on (absent: local, or the whole cluster). */
  host?: string;
  /** Measured duration; when absent the sink computes it from the step's start event. */
  durationMs?: number;
  /** Why it failed or was skipped, or a short note on success. */
  detail?: string;
}

/** The end of the whole command. */
export interface EndEvent {
  ok: boolean;
  /** One line summary (e.g. "migrated", "rolled back cleanly"). */
  text?: string;
  /** The command's exit code (STYLE.md), for scripts reading the JSON stream. */
  code?: number;
}

/** What a long command reports its progress to. */
export interface EventSink {
  step(e: StepEvent): void;
  /** A free-form line (e.g. "probing 192.0.2.100:80 every 10 ms"). */
  note(text: string): void;
  end(e: EndEvent): void;
}

/** How the sink renders: chosen once from the command line and the terminal. */
export type ProgressMode = 'live' | 'lines' | 'json';

export interface ProgressOptions {
  /** `--json`: NDJSON events. */
  json?: boolean;
  /** stdout is a terminal that understands ANSI (the CLI passes process.stdout.isTTY). */
  interactive?: boolean;
  /** Colours (defaults to none). */
  style?: Style;
  /** Milliseconds since the epoch (tests pass a fake clock). */
  now?: () => number;
}

/** The renderer `createProgress` picks: json wins, then a terminal (not TERM=dumb), else lines. */
export function progressMode(opts: ProgressOptions, env: Io['env'] = {}): ProgressMode {
  if (opts.json) return 'json';
  if (opts.interactive && env.TERM !== 'dumb') return 'live';
  return 'lines';
}

/** A sink for the command's Io, rendered as `progressMode` decides. */
export function createProgress(io: Io, opts: ProgressOptions = {}): EventSink {
  const mode = progressMode(opts, io.env);
  const now = opts.now ?? Date.now;
  const style = opts.style ?? plain;
  if (mode === 'json') return jsonSink(io, now);
  if (mode === 'live') return liveSink(io, now, style);
  return lineSink(io, now, style);
}

/** Runs `work` as one step: start, then ok (or fail, rethrowing) with its duration. */
export async function runStep<T>(sink: EventSink, step: Omit<StepEvent, 'state' | 'durationMs'>, work: () => Promise<T>, now: () => number = Date.now): Promise<T> {
  const t0 = now();
  sink.step({ ...step, state: 'start' });
  try {
    const r = await work();
    sink.step({ ...step, state: 'ok', durationMs: now() - t0 });
    return r;
  } catch (e) {
    sink.step({ ...step, state: 'fail', durationMs: now() - t0, detail: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

/** A sink that drops everything (library callers that want no output). */
export const nullSink: EventSink = { step() {}, note() {}, end() {} };

/** Remembers start times so outcomes without a measured duration get one. */
function durations(now: () => number) {
  const started = new Map<string, number>();
  return (e: StepEvent): number | undefined => {
    if (e.state === 'start') {
      started.set(e.id, now());
      return undefined;
    }
    if (e.durationMs !== undefined) return e.durationMs;
    const t0 = started.get(e.id);
    return t0 === undefined ? undefined : now() - t0;
  };
}

/** "850 ms", "12.3 s", "2 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

const LABEL: Record<StepState, string> = { start: 'start', ok: 'ok', fail: 'FAIL', skip: 'skip' };

function paint(style: Style, state: StepState, t: string): string {
  return state === 'ok' ? style.ok(t) : state === 'fail' ? style.bad(t) : state === 'skip' ? style.dim(t) : t;
}

function stepLine(e: StepEvent, ms: number | undefined, style: Style): string {
  const host = e.host ? `${e.host.padEnd(10)} ` : '';
  const tail = [ms !== undefined ? formatDuration(ms) : '', e.detail ?? ''].filter(Boolean).join(', ');
  return `${paint(style, e.state, LABEL[e.state].padEnd(5))} ${host}${e.title}${tail ? ` (${tail})` : ''}`;
}

/** Plain lines, each prefixed with an ISO timestamp: for logs, pipes and CI. */
export function lineSink(io: Io, now: () => number = Date.now, style: Style = plain): EventSink {
  const dur = durations(now);
  const ts = () => style.dim(new Date(now()).toISOString());
  return {
    step: (e) => io.out(`${ts()} ${stepLine(e, dur(e), style)}`),
    note: (text) => io.out(`${ts()} ${text}`),
    end: (e) => {
      if (e.text) io.out(`${ts()} ${e.ok ? style.ok(e.text) : style.bad(e.text)}`);
    },
  };
}

/**
 * NDJSON: `{"t":"<ISO>","type":"step","id":..,"state":..,"title":..,"host":..,"durationMs":..}`,
 * `{"t":..,"type":"note","text":..}`, and last `{"t":..,"type":"end","ok":..,"text":..,"code":..}`.
 * Field names are a contract for scripts: add, never rename.
 */
export function jsonSink(io: Io, now: () => number = Date.now): EventSink {
  const dur = durations(now);
  const emit = (o: Record<string, unknown>) => io.out(JSON.stringify({ t: new Date(now()).toISOString(), ...o }));
  return {
    step: (e) => {
      const ms = dur(e);
      emit({ type: 'step', id: e.id, state: e.state, title: e.title, ...(e.host ? { host: e.host } : {}), ...(ms !== undefined ? { durationMs: ms } : {}), ...(e.detail ? { detail: e.detail } : {}) });
    },
    note: (text) => emit({ type: 'note', text }),
    end: (e) => emit({ type: 'end', ok: e.ok, ...(e.text ? { text: e.text } : {}), ...(e.code !== undefined ? { code: e.code } : {}) }),
  };
}

// ANSI: cursor up N lines, then clear from the cursor to the end of the screen.
const up = (n: number) => (n > 0 ? `\x1b[${n}A\r\x1b[0J` : '');

/**
 * The live task list. Finished steps (and notes) are printed once, above a
 * region holding the running steps, which is erased and redrawn on every
 * event. Only the region is ever redrawn, so the list may grow past the
 * screen's height. Each write is one Io.out call ending in a newline.
 */
export function liveSink(io: Io, now: () => number = Date.now, style: Style = plain): EventSink {
  const dur = durations(now);
  const running = new Map<string, { e: StepEvent; t0: number }>();
  let drawn = 0;
  const redraw = (permanent: string[]) => {
    const live = [...running.values()].map(({ e, t0 }) => `${style.bold('…'.padEnd(5))} ${e.host ? `${e.host.padEnd(10)} ` : ''}${e.title} ${style.dim(`(${formatDuration(now() - t0)})`)}`);
    const text = up(drawn) + [...permanent, ...live].map((l) => l + '\n').join('');
    drawn = live.length;
    // Io.out appends a newline to text without one: an erase with nothing after it (end() with no
    // summary) leaves one blank line, which is harmless.
    if (text) io.out(text);
  };
  return {
    step: (e) => {
      const ms = dur(e);
      if (e.state === 'start') {
        running.set(e.id, { e, t0: now() });
        redraw([]);
      } else {
        running.delete(e.id);
        redraw([stepLine(e, ms, style)]);
      }
    },
    note: (text) => redraw([style.dim(text)]),
    end: (e) => {
      running.clear();
      redraw(e.text ? [e.ok ? style.ok(e.text) : style.bad(e.text)] : []);
    },
  };
}

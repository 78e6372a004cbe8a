/**
 * The VIP's availability, measured from the machine running ka2pcmk during
 * the whole cutover: a TCP connect to the VIP every 10 ms (no ICMP needed),
 * and a pure analysis of the results into the downtime with the gap's start
 * and end.
 *
 * A probe counts as lost when it is refused or not connected within 900 ms:
 * under the 1 s SYN retransmit, so a retransmitted SYN never hides an outage
 * (the lab's prober uses the same rule). The downtime runs from the send time
 * of the first lost probe to the send time of the next answered one.
 */
import { appendFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';

/** DIR/probes.ndjson: every probe, one line each, for the report's timeline. */
export const PROBE_LOG = 'probes.ndjson';

/**
 * Appends one line per probe to DIR/probes.ndjson: `{"t": send time, "ok": bool}`.
 * A TCP connect cannot tell which node answered, so there is no `node`
 * (the report then draws one "answered (any node)" row).
 */
export function appendProbeLog(dir: string, results: readonly ProbeResult[]): void {
  if (!results.length) return;
  const lines = [...results].sort((a, b) => a.sent - b.sent).map((r) => JSON.stringify({ t: Math.round(r.sent * 10) / 10, ok: r.ok }) + '\n');
  appendFileSync(join(dir, PROBE_LOG), lines.join(''), { mode: 0o600 });
}

/** One probe: when it was sent (ms since the epoch, fractional), and whether it connected in time. */
export interface ProbeResult {
  sent: number;
  ok: boolean;
  /** Connect time in ms when ok; the error otherwise. */
  ms?: number;
  error?: string;
}

/** A run of lost probes. */
export interface Gap {
  /** Send time of the first lost probe. */
  start: number;
  /** Send time of the next answered probe (or of the last probe, if none answered after). */
  end: number;
  ms: number;
  lost: number;
  /** The run did not end before probing stopped. */
  open: boolean;
  /** Why the probes were lost (error code → count): a timeout and a refusal mean different things. */
  errors: Record<string, number>;
}

export interface ProbeReport {
  target: string;
  probes: number;
  answered: number;
  lost: number;
  gaps: Gap[];
  /** The longest gap, or null when no probe was lost. */
  longest: Gap | null;
  /** The longest gap's length in ms (0 when no probe was lost). */
  downtimeMs: number;
  from: number | null;
  to: number | null;
}

/** Pure: the gaps in a series of probes (sorted by send time first). */
export function analyseProbes(target: string, results: readonly ProbeResult[]): ProbeReport {
  const rs = [...results].sort((a, b) => a.sent - b.sent);
  const gaps: Gap[] = [];
  let cur: { start: number; lost: number; errors: Record<string, number> } | undefined;
  for (const r of rs) {
    if (!r.ok) {
      if (!cur) cur = { start: r.sent, lost: 0, errors: {} };
      cur.lost++;
      const why = r.error ?? 'lost';
      cur.errors[why] = (cur.errors[why] ?? 0) + 1;
    } else if (cur) {
      gaps.push({ start: cur.start, end: r.sent, ms: Math.round(r.sent - cur.start), lost: cur.lost, open: false, errors: cur.errors });
      cur = undefined;
    }
  }
  if (cur) {
    const last = rs[rs.length - 1].sent;
    gaps.push({ start: cur.start, end: last, ms: Math.round(last - cur.start), lost: cur.lost, open: true, errors: cur.errors });
  }
  const longest = gaps.reduce<Gap | null>((m, g) => (!m || g.ms > m.ms ? g : m), null);
  const answered = rs.filter((r) => r.ok).length;
  return { target, probes: rs.length, answered, lost: rs.length - answered, gaps, longest, downtimeMs: longest?.ms ?? 0, from: rs[0]?.sent ?? null, to: rs.at(-1)?.sent ?? null };
}

/** A time as HH:MM:SS.mmm UTC, for reports. */
export function clockTime(t: number): string {
  return new Date(t).toISOString().slice(11, 23);
}

/** One line: "downtime 0 ms (4321 probes, none lost)" or with the gap's start and end. */
export function describeReport(r: ProbeReport): string {
  if (!r.probes) return `no probe of ${r.target} was sent`;
  if (!r.longest) return `downtime 0 ms: ${r.probes} probes of ${r.target} every 10 ms, none lost`;
  const g = r.longest;
  return `downtime ${g.ms} ms: from ${clockTime(g.start)} to ${clockTime(g.end)} UTC${g.open ? ' (still down when probing stopped)' : ''}; ${r.lost} of ${r.probes} probes of ${r.target} lost in ${r.gaps.length} gap(s) (${Object.entries(g.errors).map(([k, n]) => `${k} ×${n}`).join(', ')})`;
}

/** Options of {@link startProbe}. */
export interface ProbeOptions {
  host: string;
  port: number;
  intervalMs?: number;
  /** A probe not connected within this long is lost (default 900 ms). */
  lostAfterMs?: number;
}

/** A running probe loop; `stop()` waits for the probes in flight and returns the report. */
export interface RunningProbe {
  stop(): Promise<ProbeReport>;
  results(): readonly ProbeResult[];
}

const now = (): number => performance.timeOrigin + performance.now();

function probeOnce(host: string, port: number, lostAfterMs: number): Promise<ProbeResult> {
  const sent = now();
  return new Promise((resolve) => {
    const s = new Socket();
    let settled = false;
    const done = (r: Omit<ProbeResult, 'sent'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ sent, ...r });
    };
    const timer = setTimeout(() => done({ ok: false, error: `no connection within ${lostAfterMs} ms` }), lostAfterMs);
    s.once('connect', () => done({ ok: true, ms: Math.round((now() - sent) * 10) / 10 }));
    s.once('error', (e) => done({ ok: false, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    s.connect({ host, port });
  });
}

/** Starts probing host:port every intervalMs (default 10) until stopped. */
export function startProbe(opts: ProbeOptions): RunningProbe {
  const every = opts.intervalMs ?? 10;
  const lostAfter = opts.lostAfterMs ?? 900;
  const results: ProbeResult[] = [];
  const inflight = new Set<Promise<void>>();
  let next = now();
  let timer: NodeJS.Timeout | undefined;
  // Scheduled against absolute times so a slow event-loop turn does not stretch the interval for good.
  const tick = () => {
    const p = probeOnce(opts.host, opts.port, lostAfter).then((r) => {
      results.push(r);
      inflight.delete(p);
    });
    inflight.add(p);
    next += every;
    const t = now();
    if (next < t) next = t;
    timer = setTimeout(tick, next - t);
  };
  tick();
  return {
    results: () => results,
    async stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.all([...inflight]);
      return analyseProbes(`${opts.host}:${opts.port}`, results);
    },
  };
}

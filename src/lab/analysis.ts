/**
 * Pure analysis of what the prober and the watchers recorded: gaps in the
 * VIP's answers (downtime) and whether the VIP was ever on two nodes at once.
 * Times are ms since the epoch throughout.
 */

/** One probe: when it was sent, when it finished, and which node answered (null: none). */
export interface ProbeRecord {
  sent: number;
  done: number;
  node: string | null;
  error?: string;
}

/** The longest stretch without an answer. */
export interface Gap {
  /** Send time of the last answered probe before the gap. */
  from: number;
  /** Send time of the first answered probe after the gap. */
  to: number;
  /** `to - from`: the raw gap between consecutive answers (about one interval when nothing was lost). */
  ms: number;
  /** Time from the first unanswered probe to the first answered one after it: 0 when none was lost. */
  downtimeMs: number;
  fromNode: string;
  toNode: string;
  lost: number;
}

/** Summary of a probe run. */
export interface ProbeReport {
  probes: number;
  answered: number;
  lost: number;
  /** Answers per node. */
  byNode: Record<string, number>;
  /** Every change of the answering node, in order. */
  switches: { t: number; from: string; to: string }[];
  /** The stretch with the longest downtime (undefined with fewer than two answers). */
  longestGap?: Gap;
  firstSent?: number;
  lastSent?: number;
}

/** Parse the prober's output file (see scripts/lab/prober.py). */
export function parseProbeLog(text: string): ProbeRecord[] {
  const out: ProbeRecord[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(' ');
    if (f.length < 3) continue;
    const sent = Number(f[0]);
    const done = Number(f[1]);
    if (!Number.isFinite(sent) || !Number.isFinite(done)) continue;
    out.push(f[2] === '-' ? { sent, done, node: null, error: f[3] ?? 'error' } : { sent, done, node: f[2] });
  }
  return out.sort((a, b) => a.sent - b.sent);
}

/** Summarise probes: answers per node, switches, and the gap with the longest downtime. */
export function analyseProbes(records: readonly ProbeRecord[]): ProbeReport {
  const byNode: Record<string, number> = {};
  const switches: ProbeReport['switches'] = [];
  let last: ProbeRecord | undefined;
  let firstLost: ProbeRecord | undefined;
  let lostRun = 0;
  let longest: Gap | undefined;
  let lost = 0;
  for (const r of records) {
    if (r.node === null) {
      lost++;
      lostRun++;
      firstLost ??= r;
      continue;
    }
    byNode[r.node] = (byNode[r.node] ?? 0) + 1;
    if (last) {
      if (last.node !== r.node) switches.push({ t: r.sent, from: last.node!, to: r.node });
      const gap: Gap = {
        from: last.sent,
        to: r.sent,
        ms: r.sent - last.sent,
        downtimeMs: firstLost ? r.sent - firstLost.sent : 0,
        fromNode: last.node!,
        toNode: r.node,
        lost: lostRun,
      };
      if (!longest || gap.downtimeMs > longest.downtimeMs || (gap.downtimeMs === longest.downtimeMs && gap.ms > longest.ms)) longest = gap;
    }
    last = r;
    firstLost = undefined;
    lostRun = 0;
  }
  return {
    probes: records.length,
    answered: records.length - lost,
    lost,
    byNode,
    switches,
    longestGap: longest,
    firstSent: records[0]?.sent,
    lastSent: records.at(-1)?.sent,
  };
}

/** One address change seen by a watcher (or its initial snapshot, `initial: true`). */
export interface AddrEvent {
  t: number;
  node: string;
  addr: string;
  prefixLen: number;
  added: boolean;
  initial?: boolean;
}

/** Parse `TZ=UTC ip -ts -o monitor address` output of one node. */
export function parseMonitorLog(node: string, text: string): AddrEvent[] {
  const out: AddrEvent[] = [];
  const re = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?\]\s+(Deleted\s+)?\d+:\s+(\S+)\s+inet\s+([\d.]+)\/(\d+)/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    const t = Date.parse(`${m[1]}Z`) + (m[2] ? Number(m[2]) * 1000 : 0);
    out.push({ t, node, addr: m[5], prefixLen: Number(m[6]), added: !m[3] });
  }
  return out;
}

/** A time interval during which a node held an address (`to` undefined: still holds it). */
export interface Holding {
  node: string;
  from: number;
  to?: number;
}

/** Turn events into holding intervals of one address, per node. */
export function holdings(events: readonly AddrEvent[], addr: string): Holding[] {
  const open = new Map<string, Holding>();
  const done: Holding[] = [];
  for (const e of [...events].filter((x) => x.addr === addr).sort((a, b) => a.t - b.t)) {
    const cur = open.get(e.node);
    if (e.added && !cur) open.set(e.node, { node: e.node, from: e.t });
    if (!e.added && cur) {
      cur.to = e.t;
      done.push(cur);
      open.delete(e.node);
    }
  }
  return [...done, ...open.values()].sort((a, b) => a.from - b.from);
}

/** Every pair of intervals in which two different nodes held the address at the same time. */
export function overlaps(hs: readonly Holding[]): { a: Holding; b: Holding; ms: number }[] {
  const out: { a: Holding; b: Holding; ms: number }[] = [];
  for (let i = 0; i < hs.length; i++) {
    for (let j = i + 1; j < hs.length; j++) {
      const a = hs[i];
      const b = hs[j];
      if (a.node === b.node) continue;
      const start = Math.max(a.from, b.from);
      const end = Math.min(a.to ?? Infinity, b.to ?? Infinity);
      if (end > start) out.push({ a, b, ms: end === Infinity ? Infinity : end - start });
    }
  }
  return out;
}

/** One human line for a downtime figure, e.g. for console.log in tests. */
export function describeGap(label: string, g: Gap | undefined): string {
  if (!g) return `${label}: no gap (fewer than two answers)`;
  return `${label}: downtime ${g.downtimeMs.toFixed(0)} ms (${g.lost} probes lost; answers ${g.fromNode} → ${g.toNode}, gap ${g.ms.toFixed(0)} ms from ${new Date(g.from).toISOString()} to ${new Date(g.to).toISOString()})`;
}

/**
 * keepalived's VRRP election for one instance across nodes, as a pure
 * function: who holds the VIPs, and why, in a given state of the world. It is
 * the "expected" side of the behaviour proof, so it follows keepalived's
 * source (vrrp.c, vrrp_track.c of keepalived 2.2/2.3) rather than the
 * mapping: a mistake in the mapping must show up as a difference here.
 *
 * What it models:
 * - effective priority = priority + tracked weights (vrrp_track.c): a weight
 *   > 0 is added while the check succeeds, a weight < 0 is added while it
 *   fails, `reverse` flips the sign; weight 0 means FAULT while the check
 *   fails (while it succeeds, with `reverse`); the result is clamped to
 *   1..254; an address owner (priority 255) keeps 255 whatever the weights;
 * - a tracked file is a value, not a state (trackers/track_file.c,
 *   update_track_file_status): it adds value × weight (× -1 with `reverse`),
 *   clamped to -254..253, and -254 is a FAULT; with weight 0 the instance is
 *   in FAULT while the file holds anything but 0 (while it holds 0, with
 *   `reverse`). A missing file reads 0. The value comes from the world
 *   (`World.values`); without one, the file reads its initial value when
 *   fine and 1 when failing;
 * - a fresh election (no current master) goes to the highest effective
 *   priority, ties to the higher primary address (vrrp_state_master_rx);
 * - a current master keeps the VIPs against an equal priority (a backup only
 *   preempts on a strictly lower advert: vrrp_state_backup), and against a
 *   higher one whose instance has `nopreempt` (which keepalived clears with
 *   `state MASTER` and with priority 255);
 * - a vrrp_sync_group: a FAULT in one member faults every member on that node;
 *   the group's own trackers are among each member's checks, with the
 *   weights keepalived gives them (views.ts).
 * Not modelled: timing (advert_int, skew, preempt_delay's delay: the final
 * holder is the same, only later).
 */

/** A tracked check as one node's instance sees it, weights already resolved. */
export interface TrackedCheck {
  kind: 'script' | 'interface' | 'file' | 'process';
  name: string;
  /** The effective weight (after the sync-group and address-owner rules). */
  weight: number;
  /** `weight N reverse`: the adjustment (or the FAULT) applies the other way round. */
  reverse: boolean;
  /** A file only: the value it holds when nothing happened (init_file's value, else 0: keepalived reads a missing file as 0). */
  initial?: number;
}

/** The key a check is known by in a scenario: `kind:name`. */
export const checkKey = (c: Pick<TrackedCheck, 'kind' | 'name'>): string => `${c.kind}:${c.name}`;

/** One node's configuration of one instance. */
export interface NodeInstance {
  node: string;
  /** keepalived's primary address for ties (unicast_src_ip, else the node's address); undefined when unknown. */
  address?: string;
  /** As configured, 1..255; keepalived's default is 100. */
  priority: number;
  state?: 'MASTER' | 'BACKUP';
  /** As written; `effectiveNopreempt` says whether keepalived honours it. */
  nopreempt: boolean;
  checks: TrackedCheck[];
}

/** One instance across the nodes that configure it. */
export interface InstanceView {
  instance: string;
  syncGroup?: string;
  nodes: NodeInstance[];
}

/** The state of the world a decision is made in. */
export interface World {
  /** Nodes that are down (keepalived not running). */
  down: ReadonlySet<string>;
  /** Per node, the checks (by `checkKey`) that currently fail. */
  failing: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per node, the value a tracked file (by `checkKey`) holds, where a step wrote one. */
  values?: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * Deliberate departures from keepalived, used only to explain a mismatch:
 * re-running the model with one of them and getting Pacemaker's answer shows
 * that this departure, and nothing else, is the cause.
 */
export interface Variant {
  /** Do not clamp effective priorities to 1..254, nor a tracked file's status to 253 (Pacemaker scores are not clamped). */
  noClamp?: boolean;
  /** nopreempt as a property of the instance, set when any node sets it (the mapping's stickiness is per group). */
  nopreemptIfAny?: boolean;
  /** Treat these checks (`checkKey`) as succeeding whatever the scenario says (a file: as holding its initial value). */
  ignoreChecks?: ReadonlySet<string>;
}

/** A node's standing in one decision. */
export type Standing = { node: string; state: 'down' } | { node: string; state: 'fault'; cause: string } | { node: string; state: 'up'; priority: number };

/** The outcome of one election. */
export interface Election {
  /** The node holding the VIPs, or undefined (no eligible node, or a tie nobody can decide offline). */
  holder?: string;
  /** Set when the outcome was a tie: the tied nodes (the holder among them when the address decided). */
  tied?: string[];
  /** How the tie was decided: 'address' (known addresses) or 'unknown' (some address missing: no holder). */
  tieBy?: 'address' | 'unknown';
  /** Whether a clamp to 1..254 changed some node's effective priority. */
  clamped: boolean;
  standings: Standing[];
  /** One line: who, and why. */
  reason: string;
}

const OWNER = 255;

/** Whether keepalived honours nopreempt for this node (it clears it with state MASTER and priority 255). */
export function effectiveNopreempt(n: NodeInstance): boolean {
  return n.nopreempt && n.state !== 'MASTER' && n.priority !== OWNER;
}

/** keepalived's FAULT status for a tracked file (and its lowest weighted status). */
const FILE_FAULT = -254;
/** keepalived's highest weighted status for a tracked file. */
const FILE_MAX = 253;

/** The value a tracked file holds on a node: the world's, else 1 while failing, else its initial value. */
export function fileValue(c: TrackedCheck, failing: ReadonlySet<string>, values?: ReadonlyMap<string, number>, variant: Variant = {}): number {
  const key = checkKey(c);
  if (variant.ignoreChecks?.has(key)) return c.initial ?? 0;
  return values?.get(key) ?? (failing.has(key) ? 1 : (c.initial ?? 0));
}

/**
 * What a tracked file does to an instance (update_track_file_status and
 * process_update_vrrp_track_file_status): FAULT, or the status added to the
 * priority, with whether the upper clamp (253) changed it.
 */
export function fileStatus(c: TrackedCheck, value: number, variant: Variant = {}): { fault: string } | { status: number; clamped: boolean } {
  if (c.weight === 0) {
    // A weight of 0: a non-zero value is a failure (a zero one, with reverse).
    const down = c.reverse ? value === 0 : value !== 0;
    return down ? { fault: `file ${c.name} reads ${value}, weight 0${c.reverse ? ' reverse' : ''}: FAULT` } : { status: 0, clamped: false };
  }
  const raw = value * c.weight * (c.reverse ? -1 : 1);
  if (raw <= FILE_FAULT) return { fault: `file ${c.name} reads ${value}: ${value} × ${c.reverse ? -c.weight : c.weight} = ${raw}, -254 or less: FAULT` };
  if (raw > FILE_MAX && !variant.noClamp) return { status: FILE_MAX, clamped: true };
  return { status: raw, clamped: false };
}

/** Effective priority, or FAULT with its cause. `values`: the tracked files' values on this node, where a step set them. */
export function effectivePriority(
  n: NodeInstance,
  failing: ReadonlySet<string>,
  variant: Variant = {},
  values?: ReadonlyMap<string, number>,
): { priority: number; clamped: boolean } | { fault: string } {
  let total = n.priority;
  let fileClamped = false;
  for (const c of n.checks) {
    const key = checkKey(c);
    if (c.kind === 'file') {
      // An address owner ignores weighted checks (keepalived drops them at load).
      if (c.weight !== 0 && n.priority === OWNER) continue;
      const f = fileStatus(c, fileValue(c, failing, values, variant), variant);
      if ('fault' in f) return f;
      total += f.status;
      fileClamped ||= f.clamped;
      continue;
    }
    const ok = variant.ignoreChecks?.has(key) ? true : !failing.has(key);
    if (c.weight === 0) {
      // vrrp_track.c: down when `ok != (multiplier == 1)`.
      if (ok === c.reverse) return { fault: `${c.kind} ${c.name} ${ok ? 'succeeds (reverse)' : 'fails'}, weight 0: FAULT` };
      continue;
    }
    // An address owner ignores weighted checks (keepalived drops them at load).
    if (n.priority === OWNER) continue;
    const applies = c.weight > 0 ? ok : !ok;
    if (applies) total += c.reverse ? -c.weight : c.weight;
  }
  if (n.priority === OWNER) return { priority: total, clamped: false };
  if (variant.noClamp) return { priority: total, clamped: false };
  const priority = Math.min(254, Math.max(1, total));
  return { priority, clamped: fileClamped || priority !== total };
}

/** Compares two addresses (IPv4 or IPv6) numerically; undefined when either is missing or unparsable. */
export function compareAddresses(a: string | undefined, b: string | undefined): number | undefined {
  const x = a === undefined ? undefined : addressBytes(a);
  const y = b === undefined ? undefined : addressBytes(b);
  if (!x || !y || x.length !== y.length) return undefined;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function addressBytes(a: string): number[] | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) return v4.slice(1).map(Number);
  if (!a.includes(':')) return undefined;
  const [head, tail] = a.split('::');
  const words = (s: string | undefined) => (s ? s.split(':') : []);
  const h = words(head);
  const t = a.includes('::') ? words(tail) : [];
  const fill = a.includes('::') ? 8 - h.length - t.length : 0;
  const all = [...h, ...Array<string>(Math.max(0, fill)).fill('0'), ...t];
  if (all.length !== 8 || all.some((w) => !/^[0-9a-fA-F]{1,4}$/.test(w))) return undefined;
  return all.flatMap((w) => [parseInt(w, 16) >> 8, parseInt(w, 16) & 255]);
}

/** The standings of every node for one instance. */
export function standings(view: InstanceView, world: World, variant: Variant = {}, extraFault: ReadonlyMap<string, string> = new Map()): { list: Standing[]; clamped: boolean } {
  let clamped = false;
  const list = view.nodes.map((n): Standing => {
    if (world.down.has(n.node)) return { node: n.node, state: 'down' };
    const e = effectivePriority(n, world.failing.get(n.node) ?? new Set(), variant, world.values?.get(n.node));
    if ('fault' in e) return { node: n.node, state: 'fault', cause: e.fault };
    const sync = extraFault.get(n.node);
    if (sync) return { node: n.node, state: 'fault', cause: sync };
    clamped ||= e.clamped;
    return { node: n.node, state: 'up', priority: e.priority };
  });
  return { list, clamped };
}

type Up = Extract<Standing, { state: 'up' }>;

/** Highest priority wins; a tie goes to the higher primary address. */
function best(candidates: Up[], view: InstanceView): Pick<Election, 'holder' | 'tied' | 'tieBy'> & { why: string } {
  const top = Math.max(...candidates.map((c) => c.priority));
  const tied = candidates.filter((c) => c.priority === top).map((c) => c.node);
  if (tied.length === 1) return { holder: tied[0], why: `highest effective priority ${top}` };
  const addr = (n: string) => view.nodes.find((x) => x.node === n)?.address;
  let holder: string | undefined = tied[0];
  for (const n of tied.slice(1)) {
    const c = compareAddresses(addr(n), holder === undefined ? undefined : addr(holder));
    if (c === undefined) holder = undefined;
    else if (c > 0) holder = n;
    if (holder === undefined) break;
  }
  if (holder === undefined) return { tied, tieBy: 'unknown', why: `tie at ${top} between ${tied.join(', ')}: decided by address, which is not known offline for all of them` };
  return { holder, tied, tieBy: 'address', why: `tie at ${top} between ${tied.join(', ')}: decided by address (${addr(holder)} is the highest)` };
}

const show = (s: Standing[]): string =>
  s.map((x) => (x.state === 'up' ? `${x.node}=${x.priority}` : x.state === 'down' ? `${x.node} down` : `${x.node} FAULT`)).join(', ');

/**
 * One instance's election. `holder` is the current master (undefined for a
 * fresh start, when every node comes up at once). `extraFault` faults nodes
 * for a reason outside the instance (its sync group).
 */
export function elect(view: InstanceView, world: World, holder?: string, variant: Variant = {}, extraFault: ReadonlyMap<string, string> = new Map()): Election {
  const { list, clamped } = standings(view, world, variant, extraFault);
  const up = list.filter((s): s is Up => s.state === 'up');
  const base = { clamped, standings: list };
  if (up.length === 0) {
    const faults = list.filter((s) => s.state === 'fault').map((s) => `${s.node}: ${(s as { cause: string }).cause}`);
    return { ...base, reason: `no node can be master (${faults.length ? faults.join('; ') : 'all down'})` };
  }
  const current = up.find((s) => s.node === holder);
  if (current) {
    const nopreempt = (n: string): boolean => {
      const ni = view.nodes.find((x) => x.node === n)!;
      return variant.nopreemptIfAny ? view.nodes.some((x) => effectiveNopreempt(x)) && ni.priority !== OWNER : effectiveNopreempt(ni);
    };
    const higher = up.filter((s) => s.priority > current.priority);
    // A backup preempts only on a strictly lower advert, and not with nopreempt.
    const challengers = higher.filter((s) => !nopreempt(s.node));
    if (challengers.length === 0) {
      const why = higher.length ? `keeps the VIP at ${current.priority}: ${higher.map((s) => s.node).join(', ')} ha${higher.length > 1 ? 've' : 's'} higher priority but nopreempt` : `keeps the VIP at ${current.priority}: no higher effective priority`;
      return { ...base, holder: current.node, reason: `${current.node} ${why} (${show(list)})` };
    }
    const b = best(challengers, view);
    return { ...base, holder: b.holder, tied: b.tied, tieBy: b.tieBy, reason: `${b.holder ?? 'undecided'} preempts ${current.node} (${current.priority}): ${b.why} (${show(list)})` };
  }
  const b = best(up, view);
  const was = list.find((s) => s.node === holder);
  const lost = holder && !current ? `${holder} ${was?.state === 'fault' ? `in FAULT (${was.cause})` : (was?.state ?? 'gone')}; ` : '';
  return { ...base, holder: b.holder, tied: b.tied, tieBy: b.tieBy, reason: `${lost}${b.holder ?? 'undecided'}: ${b.why} (${show(list)})` };
}

/** Elections of several instances, with their sync groups: one result per instance. */
export function electAll(
  views: readonly InstanceView[],
  world: World,
  holders: Readonly<Record<string, string | undefined>> = {},
  variant: Variant = {},
): Record<string, Election & { syncConflict?: string[] }> {
  const out: Record<string, Election & { syncConflict?: string[] }> = {};
  const groups = new Map<string, InstanceView[]>();
  for (const v of views) {
    if (v.syncGroup) groups.set(v.syncGroup, [...(groups.get(v.syncGroup) ?? []), v]);
    else out[v.instance] = elect(v, world, holders[v.instance], variant);
  }
  for (const [name, members] of groups) {
    // A FAULT in one member faults the whole group on that node.
    const fault = new Map<string, string>();
    for (const m of members) {
      for (const s of standings(m, world, variant).list) if (s.state === 'fault' && !fault.has(s.node)) fault.set(s.node, `sync group ${name}: ${m.instance} is in FAULT (${s.cause})`);
    }
    const results = members.map((m) => elect(m, world, holders[m.instance], variant, fault));
    const winners = [...new Set(results.map((r) => r.holder ?? '-'))];
    members.forEach((m, k) => {
      out[m.instance] = winners.length > 1
        ? { ...results[k], syncConflict: winners, reason: `${results[k].reason}; sync group ${name} members disagree (${winners.join(' vs ')}): keepalived re-elects constantly` }
        : results[k];
    });
  }
  return out;
}

/**
 * The failures that matter, as sequences of steps from the settled cluster,
 * and keepalived's answer to each (replayed step by step through the
 * election model). Pure: run.ts turns the same steps into crm_simulate runs.
 *
 * Scenarios: the baseline (every node up, every check fine); each node down;
 * each tracked check failing on each node that tracks it; the old master
 * failing and coming back (node down then up); and each check of the old
 * master failing and recovering. The two "coming back" kinds are where
 * nopreempt shows: keepalived leaves the VIP on the backup, Pacemaker must
 * too (stickiness).
 *
 * A tracked file is a value, not a state: its failure writes the value that
 * puts the instances tracking it in FAULT (`fileFailValue`), its recovery
 * writes back the value it started with, and both sides read that same
 * value (keepalived's model multiplies it by the weights, the simulation
 * publishes it as the check agent would).
 */
import type { InstanceMapping } from '../map/types.js';
import { checkKey, electAll, type Election, type InstanceView, type TrackedCheck, type Variant, type World } from './keepalived.js';

/** How Pacemaker sees a tracked check (from the mapping): the node attribute it sets, or the resource whose monitor fails. */
export interface CheckTarget {
  /** keepalived's `kind:name`. */
  key: string;
  /** keepalived's kind of check: a file's attributes carry its value, the others' 1 (fine) or 0 (failing). */
  kind: TrackedCheck['kind'];
  /** Node attributes that reflect the check (one per mapping entry; usually one). */
  attributes: string[];
  /** Resources whose monitor reflects the check (a service the mapping manages instead of the script). */
  resources: string[];
}

/** One state change. */
export type Step =
  | { kind: 'node-down'; node: string }
  | { kind: 'node-up'; node: string }
  | { kind: 'check-fail'; node: string; check: CheckTarget; /** A file: the value it now holds. */ value?: number }
  | { kind: 'check-ok'; node: string; check: CheckTarget; /** A file: the value it now holds. */ value?: number };

export interface Scenario {
  /** Stable id, e.g. `node-down:node1`, `check-fail:script:chk_web@node2`. */
  id: string;
  /** For the table, e.g. `node1 down`. */
  title: string;
  /** Applied in order to the baseline (every node up, every check fine); empty for the baseline itself. */
  steps: Step[];
  /**
   * The instances the scenario is about (those tracking the check, with their
   * sync-group partners); undefined: all. Every instance is still judged, and
   * another instance that moves shows up too.
   */
  instances?: string[];
}

/** The value a check's node attribute has when the check succeeds / fails (the convention of the mapping's rules: 1 fine, 0 failing); not for files. */
export function attributeValue(failing: boolean): string {
  return failing ? '0' : '1';
}

/** Every node's view of one check, across the instances that track it. */
function trackers(views: readonly InstanceView[], key: string): Array<{ node: string; check: TrackedCheck }> {
  return views.flatMap((v) => v.nodes.flatMap((n) => n.checks.filter((c) => checkKey(c) === key).map((check) => ({ node: n.node, check }))));
}

/** The value a tracked file holds on a node before anything happens (its init_file value, else 0). */
export function fileInitial(views: readonly InstanceView[], node: string, key: string): number {
  return trackers(views, key).find((t) => t.node === node)?.check.initial ?? 0;
}

/**
 * The value a tracked file "fails" with: the one that puts its trackers in
 * keepalived's FAULT. With a positive adjustment (weight × ±1 for reverse)
 * that is the value whose product reaches -254 for the smallest such
 * adjustment, so every positive tracker faults, and so does every weight-0
 * one (non-zero); with only negative adjustments the positive counterpart;
 * with only weight 0, 1 (0 if every tracker has `reverse`: that one faults
 * on 0). A tracker whose adjustment has the other sign gains instead (up
 * to keepalived's 253).
 */
export function fileFailValue(views: readonly InstanceView[], key: string): number {
  const all = trackers(views, key).map((t) => t.check);
  const adj = all.filter((c) => c.weight !== 0).map((c) => (c.reverse ? -c.weight : c.weight));
  const pos = adj.filter((a) => a > 0);
  const neg = adj.filter((a) => a < 0).map((a) => -a);
  if (pos.length) return -Math.ceil(254 / Math.min(...pos));
  if (neg.length) return Math.ceil(254 / Math.min(...neg));
  return all.some((c) => !c.reverse) ? 1 : 0;
}

/** The mapping's targets for each keepalived check, joined by name (a `service` entry stands for the script it replaced). */
export function checkTargets(views: readonly InstanceView[], mappings: readonly InstanceMapping[]): Map<string, CheckTarget> {
  const out = new Map<string, CheckTarget>();
  const ensure = (key: string): CheckTarget => {
    let t = out.get(key);
    if (!t) out.set(key, (t = { key, kind: key.slice(0, key.indexOf(':')) as TrackedCheck['kind'], attributes: [], resources: [] }));
    return t;
  };
  for (const v of views) for (const n of v.nodes) for (const c of n.checks) ensure(checkKey(c));
  for (const m of mappings) {
    for (const c of m.checks) {
      const key = checkKey({ kind: c.kind === 'service' ? 'script' : c.kind, name: c.name });
      const t = ensure(key);
      if (c.attribute && !t.attributes.includes(c.attribute)) t.attributes.push(c.attribute);
      if (c.resource && c.kind === 'service' && !t.resources.includes(c.resource)) t.resources.push(c.resource);
    }
  }
  return out;
}

/** The world after some steps. */
export function worldAfter(steps: readonly Step[]): World {
  const down = new Set<string>();
  const failing = new Map<string, Set<string>>();
  const values = new Map<string, Map<string, number>>();
  for (const s of steps) {
    if (s.kind === 'node-down') down.add(s.node);
    else if (s.kind === 'node-up') down.delete(s.node);
    else {
      const set = failing.get(s.node) ?? new Set<string>();
      if (s.kind === 'check-fail') set.add(s.check.key);
      else set.delete(s.check.key);
      failing.set(s.node, set);
      if (s.value !== undefined) values.set(s.node, (values.get(s.node) ?? new Map<string, number>()).set(s.check.key, s.value));
    }
  }
  return { down, failing, values };
}

/** keepalived's baseline masters: the fresh election with every node up (an undecidable tie gives the first tied node). */
export function baselineHolders(views: readonly InstanceView[]): Record<string, string | undefined> {
  const e = electAll(views, worldAfter([]));
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v.holder ?? v.tied?.[0]]));
}

/** Every scenario that matters for these instances, in a stable order. */
export function scenarios(views: readonly InstanceView[], mappings: readonly InstanceMapping[], nodes: readonly string[]): Scenario[] {
  const targets = checkTargets(views, mappings);
  const concerned = (key: string): string[] => {
    const direct = views.filter((v) => v.nodes.some((n) => n.checks.some((c) => checkKey(c) === key)));
    const groups = new Set(direct.map((v) => v.syncGroup).filter((g) => g !== undefined));
    return views.filter((v) => direct.includes(v) || (v.syncGroup !== undefined && groups.has(v.syncGroup))).map((v) => v.instance);
  };
  const out: Scenario[] = [{ id: 'baseline', title: 'all nodes up', steps: [] }];
  for (const n of nodes) out.push({ id: `node-down:${n}`, title: `${n} down`, steps: [{ kind: 'node-down', node: n }] });
  // Each check on each node that tracks it (sorted, so the table reads in a stable order).
  const tracked = new Map<string, Set<string>>();
  for (const v of views) for (const ni of v.nodes) for (const c of ni.checks) tracked.set(checkKey(c), (tracked.get(checkKey(c)) ?? new Set()).add(ni.node));
  // A file's failure and recovery write values (see fileFailValue); the title says which.
  const failStep = (key: string, n: string): Step => {
    const check = targets.get(key)!;
    return check.kind === 'file' ? { kind: 'check-fail', node: n, check, value: fileFailValue(views, key) } : { kind: 'check-fail', node: n, check };
  };
  const okStep = (key: string, n: string): Step => {
    const check = targets.get(key)!;
    return check.kind === 'file' ? { kind: 'check-ok', node: n, check, value: fileInitial(views, n, key) } : { kind: 'check-ok', node: n, check };
  };
  const reads = (s: Step, again = ''): string => ('value' in s && s.value !== undefined ? `reads ${s.value}${again}` : '');
  for (const key of [...tracked.keys()].sort()) {
    for (const n of nodes.filter((x) => tracked.get(key)!.has(x))) {
      const f = failStep(key, n);
      out.push({ id: `check-fail:${key}@${n}`, title: `${key} fails on ${n}${reads(f) && ` (${reads(f)})`}`, steps: [f], instances: concerned(key) });
    }
  }
  // The old master failing and returning, and its checks failing and recovering.
  const holders = baselineHolders(views);
  const masters = [...new Set(Object.values(holders).filter((h): h is string => !!h))].sort();
  for (const h of masters) {
    out.push({ id: `return:${h}`, title: `${h} (old master) down, then back`, steps: [{ kind: 'node-down', node: h }, { kind: 'node-up', node: h }] });
  }
  for (const h of masters) {
    // The checks of the instances h is master of, as tracked on h.
    const mine = views.filter((v) => holders[v.instance] === h);
    const keys = new Set(mine.flatMap((v) => v.nodes.filter((n) => n.node === h).flatMap((n) => n.checks.map(checkKey))));
    for (const key of [...keys].sort()) {
      const check = targets.get(key)!;
      // A managed service's failure is a failed monitor: Pacemaker's recovery, not a state we can set back.
      if (check.resources.length) continue;
      const f = failStep(key, h);
      const ok = okStep(key, h);
      const title = reads(f) ? `${key} fails on ${h} (old master, ${reads(f)}), then recovers (${reads(ok, ' again')})` : `${key} fails on ${h} (old master), then recovers`;
      out.push({ id: `recover:${key}@${h}`, title, steps: [f, ok], instances: concerned(key) });
    }
  }
  return out;
}

/** Picks the winner of a tie: the model cannot decide one without addresses, and an explanation tries Pacemaker's pick. */
export type TiePick = (step: number, instance: string, tied: readonly string[]) => string | undefined;

/**
 * Replays a scenario through keepalived's election: the baseline is a fresh
 * election, each step then starts from the masters of the previous one.
 * Returns one record per step, the baseline first.
 */
export function replayKeepalived(
  views: readonly InstanceView[],
  scenario: Scenario,
  variant: Variant = {},
  ties?: { pick: TiePick; /** also override ties the address decided */ always?: boolean },
): Record<string, Election & { syncConflict?: string[] }>[] {
  const results: Record<string, Election & { syncConflict?: string[] }>[] = [];
  let holders: Record<string, string | undefined> = {};
  for (let k = 0; k <= scenario.steps.length; k++) {
    const e = electAll(views, worldAfter(scenario.steps.slice(0, k)), holders, variant);
    for (const [inst, r] of Object.entries(e)) {
      if (!r.tied || !ties || (r.holder !== undefined && !ties.always)) continue;
      const pick = ties.pick(k, inst, r.tied);
      if (pick && r.tied.includes(pick)) e[inst] = { ...r, holder: pick, reason: `${r.reason}; taken as ${pick}` };
    }
    results.push(e);
    holders = Object.fromEntries(Object.entries(e).map(([i, r]) => [i, r.holder]));
  }
  return results;
}

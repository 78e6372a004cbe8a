/**
 * keepalived's effective priority, rebuilt in Pacemaker scores. The base
 * priority is already a per-node location score (instances.ts); each tracked
 * check adds a location rule on the instance's group:
 * - weight W > 0: +W on nodes where the check succeeds (attribute eq 1);
 * - weight W < 0: W on nodes where it fails (attribute ne 1);
 * - weight 0: FAULT, so -INFINITY where it fails.
 * `reverse` keeps the condition and flips the adjustment's sign (-W where a
 * W > 0 check succeeds; FAULT where a weight-0 check succeeds), as
 * keepalived's vrrp_track.c does. A reference inherits the definition's
 * `reverse` even when it gives its own weight (see refReverse).
 * "Fails" is `ne 1`, which Pacemaker also counts as true where the attribute
 * is not defined (measured with crm_simulate 2.1.5): a node whose checker is
 * not running counts as failing, as keepalived's init state does for
 * `init_fail`.
 */
import type { Span } from '../diag/span.js';
import type { TrackRef, VrrpInstance } from '../model/types.js';
import type { Clone, Expression, Primitive, Rule, Score } from '../pcmk/model.js';
import type { MapContext } from './context.js';
import { recordAt } from './directives.js';
import { directivesOf, instancesByName } from './instances.js';
import type { InstanceMapping } from './types.js';

/** One instance's view of a tracked object on one node. */
export interface TrackSite {
  node: string;
  inst: VrrpInstance;
  ref: TrackRef;
  /** The weight keepalived applies there (its sign says when), sync-group rule included. */
  weight: number;
  /** keepalived's `reverse`: the adjustment's sign is flipped. */
  reverse: boolean;
  /** Why keepalived uses weight 0 where the configuration gives another (for the ledger). */
  zeroed?: string;
  /** The sync group whose own reference this site stands for (applied to each member: group-refs.ts). */
  group?: string;
  /** Set when keepalived keeps another tracker of the same object for this instance instead: why. */
  superseded?: string;
}

/**
 * True when a sync group lets its instances keep their own tracking weights:
 * `sync_group_tracking_weight`, or its deprecated synonym `global_tracking`
 * (vrrp_parser.c sets sgroup_tracking_weight for both).
 */
export function syncKeepsWeights(ctx: MapContext, group: string): boolean {
  return directivesOf(ctx, `vrrp_sync_group:${group}`).some((d) => d.keyword === 'sync_group_tracking_weight' || d.keyword === 'global_tracking');
}

/**
 * keepalived's `reverse` for a reference to a tracked object. keepalived
 * 2.2.7 (vrrp_track.c alloc_track_script, alloc_track_process,
 * alloc_track_bfd; track_file.c vrrp_alloc_track_file) starts from the
 * definition's `weight N reverse` and changes it only when the reference's
 * own `weight N` is followed by `reverse` or `noreverse`: `chk weight 10`
 * keeps a reversed definition reversed. An interface has no definition, so
 * only the reference counts.
 */
export function refReverse(ref: TrackRef, ownReverse: boolean): boolean {
  return ref.reverse ?? ownReverse;
}

/** What kind of object is tracked: keepalived adjusts weights differently for each. */
export type TrackKind = 'script' | 'interface' | 'file' | 'process';

/**
 * The weight keepalived uses for an instance's own reference to a tracked
 * object (a sync group's references: group-refs.ts): the reference's own, else
 * the object's, else `dflt`, with the `reverse` of refReverse. Then
 * keepalived's load-time rules (vrrp.c) for an instance in a sync group without
 * `sync_group_tracking_weight`, or an address owner (priority 255): a
 * weighted script is ignored; a weighted interface becomes weight 0 in a sync
 * group and is ignored by an owner; a file with weight 1 becomes 0 and any
 * other weight is ignored; a process keeps its weight. `ignored` says why.
 */
export function effectiveWeight(
  ctx: MapContext,
  inst: VrrpInstance,
  ref: TrackRef,
  object: { weight?: number; weightReverse?: boolean },
  dflt = 0,
  kind: TrackKind = 'script',
): { weight: number; reverse: boolean; zeroed?: string; ignored?: string } {
  const weight = ref.weight ?? object.weight ?? dflt;
  const reverse = refReverse(ref, !!object.weightReverse);
  const inSync = !!inst.syncGroup && !syncKeepsWeights(ctx, inst.syncGroup);
  const owner = inst.priority === 255;
  if ((!inSync && !owner) || weight === 0 || kind === 'process') return { weight, reverse };
  const zeroed = inSync ? `${inst.name} is in sync group ${inst.syncGroup}` : `${inst.name} is the address owner (priority 255)`;
  const why = inSync ? `${zeroed} without sync_group_tracking_weight` : zeroed;
  if (kind === 'interface' && inSync) return { weight: 0, reverse, zeroed };
  if (kind === 'file' && weight === 1) return { weight: 0, reverse, zeroed };
  return { weight, reverse, ignored: `keepalived ignores a weighted ${kind} here: ${why}` };
}

/** The signed adjustment keepalived makes while the weight's condition holds. */
export function adjustment(site: Pick<TrackSite, 'weight' | 'reverse'>): number {
  return site.reverse ? -site.weight : site.weight;
}

/** Every (node, instance, reference) that tracks `name` through `pick`, across nodes. */
export function trackSites(
  ctx: MapContext,
  pick: (i: VrrpInstance) => readonly TrackRef[],
  name: string,
  object: (node: string) => { weight?: number; weightReverse?: boolean } | undefined,
  dflt = 0,
  kind: TrackKind = 'script',
): Map<string, TrackSite[]> {
  const out = new Map<string, TrackSite[]>();
  for (const [instName, per] of instancesByName(ctx)) {
    for (const { node, inst } of per) {
      for (const ref of pick(inst)) {
        if (ref.name !== name) continue;
        const { weight, reverse, zeroed, ignored } = effectiveWeight(ctx, inst, ref, object(node) ?? {}, dflt, kind);
        if (ignored) {
          recordAt(ctx, ref.span, 'dropped', '-', `${ignored}, so it has no effect there either`);
          continue;
        }
        out.set(instName, [...(out.get(instName) ?? []), { node, inst, ref, weight, reverse, zeroed }]);
      }
    }
  }
  return out;
}

/** The score a weight gives, the test that selects the nodes it applies to, and what it means. */
export function weightRule(attribute: string, weight: number, reverse = false): { score: Score; expression: Expression; meaning: string } {
  const ok: Expression = { op: 'eq', attribute, value: '1' };
  const failing: Expression = { op: 'ne', attribute, value: '1' };
  const adj = reverse ? -weight : weight;
  const text = (n: number) => (n > 0 ? `+${n}` : String(n));
  if (weight > 0) return { score: adj, expression: ok, meaning: `${text(adj)} where ${attribute} is 1 (the check succeeds)${reverse ? ', reversed' : ''}` };
  if (weight < 0) return { score: adj, expression: failing, meaning: `${text(adj)} where ${attribute} is not 1 (the check fails or is not running)${reverse ? ', reversed' : ''}` };
  if (reverse) return { score: '-INFINITY', expression: ok, meaning: `-INFINITY where ${attribute} is 1 (weight 0 reverse: FAULT while the check succeeds)` };
  return { score: '-INFINITY', expression: failing, meaning: `-INFINITY where ${attribute} is not 1 (weight 0: FAULT)` };
}

/**
 * Adds the location rules for one tracked check of one instance: one rule
 * when every node uses the same weight, else one per node (with `#uname`).
 * Records the check in the instance's mapping (applyStickiness uses it).
 * Returns the constraint ids.
 */
export function addCheckRules(
  ctx: MapContext,
  mapping: InstanceMapping,
  sites: readonly TrackSite[],
  check: { kind: InstanceMapping['checks'][number]['kind']; name: string; attribute: string; resource?: string },
  rule: (weight: number, reverse: boolean) => { score?: Score; scoreAttribute?: string; expressions: Expression[] } = (w, rev) => {
    const r = weightRule(check.attribute, w, rev);
    return { score: r.score, expressions: [r.expression] };
  },
): string[] {
  const ids: string[] = [];
  const weights = new Set(sites.map((s) => `${s.weight}/${s.reverse}`));
  const groups: { weight: number; reverse: boolean; nodes?: string[]; span: Span }[] =
    weights.size === 1 && Object.keys(mapping.scores).every((n) => sites.some((s) => s.node === n))
      ? [{ weight: sites[0].weight, reverse: sites[0].reverse, span: sites[0].ref.span }]
      : sites.map((s) => ({ weight: s.weight, reverse: s.reverse, nodes: [s.node], span: s.ref.span }));
  for (const g of groups) {
    const base = rule(g.weight, g.reverse);
    const node = g.nodes?.[0];
    const expressions: Expression[] = node ? [...base.expressions, { op: 'eq', attribute: '#uname', value: node }] : base.expressions;
    const id = ctx.ids.unique('loc', mapping.group, check.attribute, node ?? '');
    const r: Rule = base.scoreAttribute !== undefined ? { scoreAttribute: base.scoreAttribute, expressions } : { score: base.score, expressions };
    ctx.model.cib.constraints.push({
      kind: 'location',
      id,
      rsc: mapping.group,
      rule: r,
      source: ctx.source(g.span, `${check.kind} ${check.name}`),
      description: `${check.kind} ${check.name}, weight ${g.weight}${g.reverse ? ' reverse' : ''}${node ? ` on ${node}` : ''}`,
    });
    ids.push(id);
    const adj = adjustment(g);
    if (!mapping.checks.some((c) => c.name === check.name && c.kind === check.kind && c.weight === adj)) {
      mapping.checks.push({ kind: check.kind, name: check.name, attribute: check.attribute, weight: adj, resource: check.resource });
    }
  }
  return ids;
}

/** A clone of `child` with interleave=true, added once (by id) to the model. */
export function addClone(ctx: MapContext, child: Primitive, description: string): Clone {
  const existing = ctx.model.cib.resources.find((r) => r.kind === 'clone' && r.child.id === child.id) as Clone | undefined;
  if (existing) return existing;
  const clone: Clone = {
    kind: 'clone',
    id: ctx.ids.unique(child.id, 'clone'),
    child,
    metaAttributes: [{ name: 'interleave', value: 'true' }],
    source: child.source,
    description,
  };
  ctx.model.cib.resources.push(clone);
  return clone;
}

/** The InstanceMapping of an instance. */
export function mappingOf(ctx: MapContext, instance: string): InstanceMapping | undefined {
  return ctx.instance(instance);
}

/** Pacemaker's duration text for seconds (`2s`, `0s`). */
export function seconds(s: number): string {
  return `${Math.max(0, Math.round(s))}s`;
}

/** Text for the ledger: the weights per node, e.g. `-30` or `node1 -30, node2 -20`. */
export function weightsText(sites: readonly TrackSite[]): string {
  const one = (s: TrackSite) => `${s.weight}${s.reverse ? ' reverse' : ''}`;
  const w = new Set(sites.map(one));
  return w.size === 1 ? one(sites[0]) : sites.map((s) => `${s.node} ${one(s)}`).join(', ');
}

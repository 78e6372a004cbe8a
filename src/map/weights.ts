/**
 * keepalived's effective priority, rebuilt in Pacemaker scores. The base
 * priority is already a per-node location score (instances.ts); each tracked
 * check adds a location rule on the instance's group:
 * - weight W > 0: +W on nodes where the check succeeds (attribute eq 1);
 * - weight W < 0: W on nodes where it fails (attribute ne 1);
 * - weight 0: FAULT, so -INFINITY where it fails.
 * "Fails" is `ne 1`, which Pacemaker also counts as true where the attribute
 * is not defined (measured with crm_simulate 2.1.5): a node whose checker is
 * not running counts as failing, as keepalived's init state does for
 * `init_fail`. `reverse` negates the weight, as keepalived does.
 */
import type { Span } from '../diag/span.js';
import type { TrackRef, VrrpInstance } from '../model/types.js';
import type { Clone, Expression, Primitive, Rule, Score } from '../pcmk/model.js';
import type { MapContext } from './context.js';
import { directivesOf, instancesByName } from './instances.js';
import type { InstanceMapping } from './types.js';

/** One instance's view of a tracked object on one node. */
export interface TrackSite {
  node: string;
  inst: VrrpInstance;
  ref: TrackRef;
  /** The weight keepalived applies there, reverse and sync-group rules included. */
  weight: number;
  /** Set when the sync group forced the weight to 0. */
  syncZeroed?: string;
}

/** True when a sync group lets its instances keep their tracking weights. */
function syncKeepsWeights(ctx: MapContext, group: string): boolean {
  return directivesOf(ctx, `vrrp_sync_group:${group}`).some((d) => d.keyword === 'sync_group_tracking_weight');
}

/**
 * The weight keepalived uses for a tracked object: the reference's own, else
 * the object's, else `dflt`; negated by `reverse`; 0 inside a sync group
 * unless the group says `sync_group_tracking_weight` (keepalived ignores
 * member weights there, so a failing check faults the whole group).
 */
export function effectiveWeight(
  ctx: MapContext,
  inst: VrrpInstance,
  ref: TrackRef,
  object: { weight?: number; weightReverse?: boolean },
  dflt = 0,
): { weight: number; syncZeroed?: string } {
  const w = ref.weight ?? object.weight ?? dflt;
  const signed = ref.reverse || (ref.weight === undefined && object.weightReverse) ? -w : w;
  if (inst.syncGroup && signed !== 0 && !syncKeepsWeights(ctx, inst.syncGroup)) return { weight: 0, syncZeroed: inst.syncGroup };
  return { weight: signed === 0 ? 0 : signed };
}

/** Every (node, instance, reference) that tracks `name` through `pick`, across nodes. */
export function trackSites(
  ctx: MapContext,
  pick: (i: VrrpInstance) => readonly TrackRef[],
  name: string,
  object: (node: string) => { weight?: number; weightReverse?: boolean } | undefined,
  dflt = 0,
): Map<string, TrackSite[]> {
  const out = new Map<string, TrackSite[]>();
  for (const [instName, per] of instancesByName(ctx)) {
    for (const { node, inst } of per) {
      for (const ref of pick(inst)) {
        if (ref.name !== name) continue;
        const { weight, syncZeroed } = effectiveWeight(ctx, inst, ref, object(node) ?? {}, dflt);
        out.set(instName, [...(out.get(instName) ?? []), { node, inst, ref, weight, syncZeroed }]);
      }
    }
  }
  return out;
}

/** The score a weight gives, and the test that selects the nodes it applies to. */
export function weightRule(attribute: string, weight: number): { score: Score; expression: Expression; meaning: string } {
  if (weight > 0) return { score: weight, expression: { op: 'eq', attribute, value: '1' }, meaning: `+${weight} where ${attribute} is 1 (the check succeeds)` };
  if (weight < 0) return { score: weight, expression: { op: 'ne', attribute, value: '1' }, meaning: `${weight} where ${attribute} is not 1 (the check fails or is not running)` };
  return { score: '-INFINITY', expression: { op: 'ne', attribute, value: '1' }, meaning: `-INFINITY where ${attribute} is not 1 (weight 0: FAULT)` };
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
  rule: (weight: number) => { score?: Score; scoreAttribute?: string; expressions: Expression[] } = (w) => {
    const r = weightRule(check.attribute, w);
    return { score: r.score, expressions: [r.expression] };
  },
): string[] {
  const ids: string[] = [];
  const weights = new Set(sites.map((s) => s.weight));
  const groups: { weight: number; nodes?: string[]; span: Span }[] =
    weights.size === 1 && Object.keys(mapping.scores).every((n) => sites.some((s) => s.node === n))
      ? [{ weight: sites[0].weight, span: sites[0].ref.span }]
      : sites.map((s) => ({ weight: s.weight, nodes: [s.node], span: s.ref.span }));
  for (const g of groups) {
    const base = rule(g.weight);
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
      description: `${check.kind} ${check.name}, weight ${g.weight}${node ? ` on ${node}` : ''}`,
    });
    ids.push(id);
    if (!mapping.checks.some((c) => c.name === check.name && c.kind === check.kind && c.weight === g.weight)) {
      mapping.checks.push({ kind: check.kind, name: check.name, attribute: check.attribute, weight: g.weight, resource: check.resource });
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
  return ctx.instances.find((m) => m.instance === instance);
}

/** Pacemaker's duration text for seconds (`2s`, `0s`). */
export function seconds(s: number): string {
  return `${Math.max(0, Math.round(s))}s`;
}

/** Text for the ledger: the weights per node, e.g. `-30` or `node1 -30, node2 -20`. */
export function weightsText(sites: readonly TrackSite[]): string {
  const w = new Set(sites.map((s) => s.weight));
  return w.size === 1 ? String(sites[0].weight) : sites.map((s) => `${s.node} ${s.weight}`).join(', ');
}

/**
 * A vrrp_sync_group's own trackers (`track_script`, `track_interface`,
 * `track_file`, `track_process` in the group block), as keepalived 2.2.7
 * applies them (vrrp.c sync_group_tracking_init): each reference is added to
 * every member instance with the reference's weight, which changes each
 * member's priority exactly as the instance's own weighted trackers do (weight
 * 0: the member faults, and the sync group with it). The weight is cleared
 * for every member when one member on that node is the address owner
 * (priority 255). `sync_group_tracking_weight` does not concern these: it
 * only lets the members keep their *own* weighted trackers (weights.ts).
 *
 * A member that already tracks the object keeps one tracker
 * (add_vrrp_to_track_script and friends): the instance's own when its weight
 * is 0, else the group's weight (and the group's `reverse`, except for a
 * process, whose `reverse` keepalived leaves as the instance's). An interface
 * the member already tracks unweighted (its own, a VIP's, a route's:
 * model/tracking.ts implicitInterfaces) stays at weight 0.
 *
 * The sites are then scored by the same location rules as an instance's own
 * (weights.ts addCheckRules); recordRefs writes one ledger entry per
 * reference, naming the rules of every member.
 */
import type { Span } from '../diag/span.js';
import type { SyncGroup, TrackRef } from '../model/types.js';
import { groupOwner, implicitInterfaces, refWeight, trackDefinition } from '../model/tracking.js';
import type { MapContext } from './context.js';
import { recordAt } from './directives.js';
import type { Fidelity } from './types.js';
import { refReverse, type TrackKind, type TrackSite } from './weights.js';

/**
 * Adds the sync groups' references to `name` (through `pick`) to `sites`, one
 * per member and node, with keepalived's weight (the reference's, else the
 * node's definition's, else the kind's default: model/tracking.ts refWeight).
 * A member's own site that keepalived replaces stays in the map, marked
 * `superseded` (see liveSites).
 */
export function withGroupRefs(
  ctx: MapContext,
  sites: Map<string, TrackSite[]>,
  pick: (g: SyncGroup) => readonly TrackRef[],
  name: string,
  kind: TrackKind,
): Map<string, TrackSite[]> {
  for (const n of ctx.nodes) {
    for (const g of n.config.syncGroups) {
      const owner = groupOwner(g, n.config.instances);
      for (const ref of pick(g).filter((r) => r.name === name)) {
        const written = refWeight(n.config, kind, ref);
        const reverse = refReverse(ref, !!trackDefinition(n.config, kind, name)?.weightReverse);
        const cleared = !!owner && written !== 0;
        for (const m of g.members) {
          const inst = n.config.instances.find((i) => i.name === m.name);
          // A member claimed by another group is an error of its own (model/build.ts).
          if (!inst || (inst.syncGroup !== undefined && inst.syncGroup !== g.name)) continue;
          const site: TrackSite = { node: n.name, inst, ref, weight: cleared ? 0 : written, reverse, group: g.name };
          if (cleared) site.zeroed = `sync group ${g.name} has an address owner on ${n.name} (${owner.name}, priority 255), so keepalived clears the weight`;
          else if (kind === 'interface' && written !== 0 && implicitInterfaces(inst).has(name)) {
            site.weight = 0;
            site.zeroed = `${inst.name} already tracks ${name} unweighted (its own interface, or a VIP's or route's), which keepalived keeps`;
          }
          const list = sites.get(inst.name) ?? [];
          const mine = list.find((s) => s.node === n.name && !s.group && !s.superseded);
          if (mine && mine.weight === 0) {
            site.superseded = `${inst.name} tracks ${name} itself with weight 0; keepalived keeps that tracker (FAULT) for it, not the sync group's weight`;
          } else if (mine) {
            mine.superseded = `sync group ${g.name} tracks ${name} too; keepalived keeps one tracker for ${inst.name}, with the group's weight`;
            if (kind === 'process') site.reverse = mine.reverse;
          }
          sites.set(inst.name, [...list, site]);
        }
      }
    }
  }
  return sites;
}

/** The sites keepalived really applies (those not superseded), per instance; instances left with none are left out. */
export function liveSites(all: Map<string, TrackSite[]>): Map<string, TrackSite[]> {
  const out = new Map<string, TrackSite[]>();
  for (const [inst, list] of all) {
    const live = list.filter((s) => !s.superseded);
    if (live.length) out.set(inst, live);
  }
  return out;
}

/** How one site was mapped: the constraints that carry it and what they do. */
export interface RefUse {
  site: TrackSite;
  targets: readonly string[];
  how: string;
}

const spanKey = (s: Span) => `${s.file.path}\u0000${s.start}`;
const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/**
 * Records each reference once in the ledger. An instance's reference is
 * recorded as its first use says (one instance, one text). A sync group's
 * reference names the rules of every member, says that each member gets the
 * weight, and notes the members where keepalived keeps another tracker.
 * A reference that is only superseded is recorded as dropped, with why.
 */
export function recordRefs(ctx: MapContext, fidelity: Fidelity, uses: readonly RefUse[], all: Map<string, TrackSite[]>): void {
  const bySpan = new Map<string, { ref: TrackRef; group?: string; uses: RefUse[]; gone: TrackSite[] }>();
  const entry = (s: TrackSite) => {
    const k = spanKey(s.ref.span);
    let e = bySpan.get(k);
    if (!e) bySpan.set(k, (e = { ref: s.ref, group: s.group, uses: [], gone: [] }));
    return e;
  };
  for (const u of uses) entry(u.site).uses.push(u);
  for (const s of [...all.values()].flat()) if (s.superseded) entry(s).gone.push(s);
  for (const e of bySpan.values()) {
    const gone = unique(e.gone.map((s) => s.superseded!));
    if (!e.uses.length) {
      recordAt(ctx, e.ref.span, 'dropped', '-', gone.join('; '));
      continue;
    }
    const targets = unique(e.uses.flatMap((u) => u.targets)).join(', ');
    if (!e.group) {
      recordAt(ctx, e.ref.span, fidelity, targets, [e.uses[0].how, ...gone].join('; '));
      continue;
    }
    const members = unique(e.uses.map((u) => u.site.inst.name));
    const hows = unique(e.uses.map((u) => u.how));
    const how = hows.length === 1 ? hows[0] : unique(e.uses.map((u) => `${u.site.inst.name}${ctx.nodes.length > 1 ? ` on ${u.site.node}` : ''}: ${u.how}`)).join('; ');
    const each = `keepalived applies the sync group's reference to each member (${members.join(', ')}) with its weight, and so does the mapping`;
    recordAt(ctx, e.ref.span, fidelity, targets, [how, each, ...gone].join('; '));
  }
}

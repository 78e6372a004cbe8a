/**
 * What keepalived 2.2.7 tracks without being asked, and what it says about a
 * sync group's own trackers: facts about one node's configuration that the
 * mapping and the behaviour proof both need, each applying its own weight
 * rules on top (map/group-refs.ts, prove/views.ts).
 */
import type { CheckContext } from './check.js';
import type { KeepalivedConfig, SyncGroup, TrackFile, TrackProcess, TrackRef, VrrpInstance, VrrpScript } from './types.js';

/**
 * The interfaces an instance tracks unweighted (weight 0: FAULT while down)
 * whatever its configuration says (vrrp.c vrrp_complete_instance): its own
 * interface unless `dont_track_primary`; the interface of each VIP and
 * excluded VIP not marked `no_track` (with `dont_track_primary`, not its own
 * interface); the interface of each virtual route and rule not marked
 * `no_track`. keepalived keeps weight 0 when a weighted tracker of the same
 * interface is added later (add_vrrp_to_interface: a sync group's
 * `track_interface` does not change it).
 */
export function implicitInterfaces(inst: VrrpInstance): Set<string> {
  const out = new Set<string>();
  const own = inst.interface;
  if (own && !inst.dontTrackPrimary) out.add(own);
  for (const v of [...inst.vips, ...inst.excludedVips]) {
    const dev = v.dev ?? own;
    if (!dev || v.noTrack || (inst.dontTrackPrimary && dev === own)) continue;
    out.add(dev);
  }
  for (const r of [...inst.virtualRoutes, ...inst.virtualRules]) {
    if (r.words.includes('no_track')) continue;
    if (r.dev) out.add(r.dev);
    const iif = r.words.indexOf('iif');
    if (iif >= 0 && r.words[iif + 1]) out.add(r.words[iif + 1]);
  }
  return out;
}

/** The kinds of tracker a sync group holds. */
export type GroupTrackKind = 'script' | 'interface' | 'file' | 'process' | 'bfd';

/** The member of `group` on this node that is an address owner (priority 255), if any. */
export function groupOwner(group: SyncGroup, instances: readonly VrrpInstance[]): VrrpInstance | undefined {
  for (const m of group.members) {
    const inst = instances.find((i) => i.name === m.name);
    if (inst?.priority === 255) return inst;
  }
  return undefined;
}

/**
 * keepalived's message when a sync group has an address owner and a weighted
 * tracker (vrrp.c sync_group_tracking_init): it clears the weight for every
 * member, so the tracker faults the whole group instead.
 */
export function groupOwnerMessage(group: string, kind: GroupTrackKind, name: string): string {
  const clear = kind === 'script' || kind === 'interface' ? 'clearing weight' : 'setting weight 0';
  return `(${group}) Cannot have weighted track ${kind} '${name}' with member having priority 255 - ${clear}`;
}

/** keepalived's message when an instance and its sync group track the same object (vrrp.c add_vrrp_to_*; track_file.c add_obj_to_track_file). */
export function trackedTwiceMessage(instance: string, kind: GroupTrackKind, name: string): string {
  if (kind === 'interface') return `(${instance}) track_interface ${name} is configured on VRRP instance and sync group. Remove vrrp instance or sync group config`;
  return `(${instance}) track_${kind} ${name} is configured on VRRP instance and sync group. Remove vrrp instance config`;
}

/** The definition a reference of this kind names, if any (an interface or a bfd has none here). */
export function trackDefinition(cfg: KeepalivedConfig, kind: GroupTrackKind, name: string): VrrpScript | TrackFile | TrackProcess | undefined {
  switch (kind) {
    case 'script':
      return cfg.scripts.find((s) => s.name === name);
    case 'file':
      return cfg.trackFiles.find((f) => f.name === name);
    case 'process':
      return cfg.trackProcesses.find((p) => p.name === name);
    default:
      return undefined;
  }
}

/**
 * The weight keepalived gives a reference before any load-time rule: its own
 * `weight N`, else its definition's, else keepalived's default (1 for a track
 * file, 0 otherwise; an interface has no definition).
 */
export function refWeight(cfg: KeepalivedConfig, kind: GroupTrackKind, ref: TrackRef): number {
  return ref.weight ?? trackDefinition(cfg, kind, ref.name)?.weight ?? (kind === 'file' ? 1 : 0);
}

/** A sync group's references as (kind, refs) pairs, with the instance field holding the same kind. */
const GROUP_REFS = [
  ['script', 'trackScripts'],
  ['interface', 'trackInterfaces'],
  ['file', 'trackFiles'],
  ['process', 'trackProcesses'],
  ['bfd', 'trackBfds'],
] as const;

/**
 * What keepalived says about a sync group's own trackers (vrrp.c
 * sync_group_tracking_init): with an address owner among the members it
 * clears every weighted one; a member that also tracks the object itself
 * keeps one tracker. The weights themselves are applied by the mapping and
 * the proof.
 */
export function groupTrackChecks(cfg: KeepalivedConfig, g: SyncGroup, ctx: CheckContext): void {
  const owner = groupOwner(g, cfg.instances);
  for (const [kind, field] of GROUP_REFS) {
    for (const r of g[field]) {
      if (owner && refWeight(cfg, kind, r) !== 0) {
        ctx.diags.warning('sync-group-owner-weight', `keepalived says "${groupOwnerMessage(g.name, kind, r.name)}": ${owner.name} is the address owner, so the ${kind} faults every member instead of changing its priority`, r.span);
      }
      for (const m of g.members) {
        const inst = cfg.instances.find((i) => i.name === m.name);
        if (!inst?.[field].some((x) => x.name === r.name)) continue;
        ctx.diags.warning('tracked-twice', `vrrp_instance '${inst.name}' and its vrrp_sync_group '${g.name}' both track ${kind} ${r.name}; keepalived says "${trackedTwiceMessage(inst.name, kind, r.name)}" and keeps one tracker, with the group's weight unless the instance's is 0`, r.span);
      }
    }
  }
}

/**
 * The election model's input, read from the nodes' keepalived models: per
 * instance, each node's priority, state, nopreempt, address and tracked
 * checks with the weights keepalived really applies. Pure.
 *
 * The weights follow keepalived's load-time rules, because they change
 * behaviour silently. An instance's own trackers (vrrp.c
 * vrrp_complete_instance): in a vrrp_sync_group without
 * `sync_group_tracking_weight` (or `global_tracking`), and for an address
 * owner (priority 255), a weighted script is ignored, a weighted interface
 * becomes weight 0 (FAULT) in a sync group and is ignored by an owner, a
 * tracked file with the default weight 1 becomes weight 0 and one with any
 * other weight is ignored. A sync group's own trackers (vrrp.c
 * sync_group_tracking_init) come after: each member gets the reference's
 * weight whatever `sync_group_tracking_weight` says, weight 0 when a member on
 * the node is the address owner; an interface the member already tracks
 * unweighted (model/tracking.ts implicitInterfaces) stays at weight 0; a
 * member that tracks the object itself keeps one tracker, its own when its
 * weight is 0, else the group's weight (with the group's `reverse`, except
 * for a process: add_vrrp_to_track_process keeps the instance's).
 *
 * A reference inherits its definition's `reverse`, even with a weight of its
 * own, unless it says `noreverse` (map/weights.ts refReverse).
 */
import { refReverse } from '../map/weights.js';
import type { KeepalivedConfig, TrackRef, VrrpInstance } from '../model/types.js';
import { implicitInterfaces, refWeight, trackDefinition } from '../model/tracking.js';
import { checkKey, type InstanceView, type NodeInstance, type TrackedCheck } from './keepalived.js';

/** A node as the proof reads it (the same shape as the mapping's MapNode). */
export interface ProveNode {
  name: string;
  config: KeepalivedConfig;
  /** The node's address, used for ties when the instance sets no unicast_src_ip / mcast_src_ip. */
  address?: string;
}

function resolve(cfg: KeepalivedConfig, kind: TrackedCheck['kind'], ref: TrackRef): TrackedCheck {
  // An explicit weight on the reference wins; otherwise the object's own (keepalived's defaults: script 0, file 1, process 0).
  const own = trackDefinition(cfg, kind, ref.name);
  const c: TrackedCheck = { kind, name: ref.name, weight: refWeight(cfg, kind, ref), reverse: refReverse(ref, !!own?.weightReverse) };
  // A file starts with init_file's value (keepalived writes it when the file is missing, and always
  // with `overwrite`); without init_file a missing file reads 0.
  if (kind === 'file') c.initial = (own && 'initFile' in own ? own.initFile?.value : undefined) ?? 0;
  return c;
}

/** keepalived's load-time adjustment of weights in a sync group or for an address owner; undefined drops the check. */
function adjust(c: TrackedCheck, inSync: boolean, owner: boolean): TrackedCheck | undefined {
  if ((!inSync && !owner) || c.weight === 0) return c;
  switch (c.kind) {
    case 'script':
      return undefined;
    case 'interface':
      return inSync ? { ...c, weight: 0 } : undefined;
    case 'file':
      return c.weight === 1 ? { ...c, weight: 0 } : undefined;
    case 'process':
      return c;
  }
}

function checksOf(cfg: KeepalivedConfig, inst: VrrpInstance): TrackedCheck[] {
  const group = inst.syncGroup ? cfg.syncGroups.find((g) => g.name === inst.syncGroup) : undefined;
  const groupWeights = !!group && cfg.directives.some((d) => d.owner === `vrrp_sync_group:${group.name}` && (d.keyword === 'sync_group_tracking_weight' || d.keyword === 'global_tracking'));
  const raw: TrackedCheck[] = [
    ...inst.trackScripts.map((r) => resolve(cfg, 'script', r)),
    ...inst.trackInterfaces.map((r) => resolve(cfg, 'interface', r)),
    ...inst.trackFiles.map((r) => resolve(cfg, 'file', r)),
    ...inst.trackProcesses.map((r) => resolve(cfg, 'process', r)),
  ];
  const owner = (inst.priority ?? 100) === 255;
  const out = raw.map((c) => adjust(c, !!group && !groupWeights, owner)).filter((c): c is TrackedCheck => c !== undefined);
  if (!group) return out;
  const groupHasOwner = group.members.some((m) => cfg.instances.find((i) => i.name === m.name)?.priority === 255);
  const implicit = implicitInterfaces(inst);
  const fromGroup: TrackedCheck[] = [
    ...group.trackScripts.map((r) => resolve(cfg, 'script', r)),
    ...group.trackInterfaces.map((r) => resolve(cfg, 'interface', r)),
    ...group.trackFiles.map((r) => resolve(cfg, 'file', r)),
    ...group.trackProcesses.map((r) => resolve(cfg, 'process', r)),
  ];
  for (const g of fromGroup) {
    const c = (groupHasOwner || (g.kind === 'interface' && implicit.has(g.name))) && g.weight !== 0 ? { ...g, weight: 0 } : g;
    const k = out.findIndex((x) => checkKey(x) === checkKey(c));
    if (k < 0) out.push(c);
    else if (out[k].weight !== 0) out[k] = c.kind === 'process' ? { ...c, reverse: out[k].reverse } : c;
  }
  return out;
}

/** Every instance across the nodes, in first-seen order, with each node's view of it. */
export function instanceViews(nodes: readonly ProveNode[]): InstanceView[] {
  const out = new Map<string, InstanceView>();
  for (const n of nodes) {
    for (const inst of n.config.instances) {
      const v = out.get(inst.name) ?? { instance: inst.name, nodes: [] };
      if (inst.syncGroup) v.syncGroup ??= inst.syncGroup;
      const ni: NodeInstance = {
        node: n.name,
        address: inst.unicastSrcIp ?? inst.mcastSrcIp ?? n.address,
        priority: inst.priority ?? 100,
        state: inst.state,
        nopreempt: inst.nopreempt,
        checks: checksOf(n.config, inst),
      };
      v.nodes.push(ni);
      out.set(inst.name, v);
    }
  }
  return [...out.values()];
}

/**
 * preempt_delay per instance, where keepalived honours it (it clears it with
 * state MASTER and with nopreempt): the largest value over the nodes. It
 * changes when a preemption happens, not who ends up master.
 */
export function preemptDelays(nodes: readonly ProveNode[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of nodes) {
    for (const i of n.config.instances) {
      if (i.preemptDelay && i.state !== 'MASTER' && !i.nopreempt) out.set(i.name, Math.max(out.get(i.name) ?? 0, i.preemptDelay));
    }
  }
  return out;
}

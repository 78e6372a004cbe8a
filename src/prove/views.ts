/**
 * The election model's input, read from the nodes' keepalived models: per
 * instance, each node's priority, state, nopreempt, address and tracked
 * checks with the weights keepalived really applies. Pure.
 *
 * The weights follow keepalived's load-time rules (vrrp.c,
 * vrrp_complete_instance), because they change behaviour silently: in a
 * vrrp_sync_group without `sync_group_tracking_weight`, and for an address
 * owner (priority 255), a weighted script is ignored, a weighted interface
 * becomes weight 0 (FAULT) in a sync group and is ignored by an owner, a
 * tracked file with the default weight 1 becomes weight 0 and one with any
 * other weight is ignored.
 *
 * A reference inherits its definition's `reverse`, even with a weight of its
 * own, unless it says `noreverse` (map/weights.ts refReverse).
 */
import { refReverse } from '../map/weights.js';
import type { KeepalivedConfig, TrackRef, VrrpInstance } from '../model/types.js';
import type { InstanceView, NodeInstance, TrackedCheck } from './keepalived.js';

/** A node as the proof reads it (the same shape as the mapping's MapNode). */
export interface ProveNode {
  name: string;
  config: KeepalivedConfig;
  /** The node's address, used for ties when the instance sets no unicast_src_ip / mcast_src_ip. */
  address?: string;
}

function resolve(cfg: KeepalivedConfig, kind: TrackedCheck['kind'], ref: TrackRef): TrackedCheck {
  // An explicit weight on the reference wins; otherwise the object's own (keepalived's defaults: script 0, file 1, process 0).
  const own =
    kind === 'script'
      ? cfg.scripts.find((s) => s.name === ref.name)
      : kind === 'file'
        ? cfg.trackFiles.find((f) => f.name === ref.name)
        : kind === 'process'
          ? cfg.trackProcesses.find((p) => p.name === ref.name)
          : undefined;
  const ownWeight = own?.weight ?? (kind === 'file' ? 1 : 0);
  const c: TrackedCheck = { kind, name: ref.name, weight: ref.weight ?? ownWeight, reverse: refReverse(ref, !!own?.weightReverse) };
  // A file starts with init_file's value (keepalived writes it when the file is missing, and always
  // with `overwrite`); without init_file a missing file reads 0.
  if (kind === 'file') c.initial = cfg.trackFiles.find((f) => f.name === ref.name)?.initFile?.value ?? 0;
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
  const groupWeights = !!group && cfg.directives.some((d) => d.owner === `vrrp_sync_group:${group.name}` && d.keyword === 'sync_group_tracking_weight');
  const raw: TrackedCheck[] = [
    ...inst.trackScripts.map((r) => resolve(cfg, 'script', r)),
    ...inst.trackInterfaces.map((r) => resolve(cfg, 'interface', r)),
    ...inst.trackFiles.map((r) => resolve(cfg, 'file', r)),
    ...inst.trackProcesses.map((r) => resolve(cfg, 'process', r)),
    // A sync group's own trackers apply to each of its members.
    ...(group?.trackScripts ?? []).map((r) => resolve(cfg, 'script', r)),
    ...(group?.trackInterfaces ?? []).map((r) => resolve(cfg, 'interface', r)),
    ...(group?.trackFiles ?? []).map((r) => resolve(cfg, 'file', r)),
    ...(group?.trackProcesses ?? []).map((r) => resolve(cfg, 'process', r)),
  ];
  const owner = (inst.priority ?? 100) === 255;
  return raw.map((c) => adjust(c, !!group && !groupWeights, owner)).filter((c): c is TrackedCheck => c !== undefined);
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

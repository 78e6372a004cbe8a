/**
 * keepalived → Pacemaker: runs every mapping rule over the nodes' models and
 * returns the ClusterModel, the fidelity ledger and diagnostics. Every
 * directive of every node ends up in the ledger exactly once: a directive no
 * rule claimed is recorded as dropped, with a warning, never silently lost.
 */
import { fileRanks, sortDiagnostics } from '../diag/diagnostic.js';
import type { ClusterModel } from '../pcmk/model.js';
import { mapCluster } from './cluster.js';
import { MapContext } from './context.js';
import { applyStickiness, directivesOf, mapInstances } from './instances.js';
import type { MapNode, MapOptions, MapResult } from './types.js';
import { mapChecks } from './checks.js';
import { mapLvs } from './lvs.js';
import { mapNotify } from './notify.js';
import { mapStorage } from './storage.js';
import { mapTracks } from './tracks.js';
import { mapVmac } from './vmac.js';

export type { Fidelity, LedgerEntry, MapNode, MapOptions, MapResult, InstanceMapping, StorageSpec } from './types.js';

/** A valid corosync cluster name derived from what the configuration says. */
function clusterName(options: MapOptions): string {
  const n = options.clusterName ?? 'ka2pcmk';
  return n.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
}

/** The mapping rules, in the order they build the model (members of a group are added in this order). */
const RULES: ((ctx: MapContext) => void)[] = [mapCluster, mapInstances, mapStorage, mapVmac, mapChecks, mapTracks, mapLvs, mapNotify, applyStickiness, mapGlobals];

export function mapToPacemaker(nodes: readonly MapNode[], options: MapOptions = {}, show?: (p: string) => string): MapResult {
  const model: ClusterModel = {
    name: clusterName(options),
    nodes: [],
    corosync: { transport: 'knet' },
    cib: { properties: [], rscDefaults: [], opDefaults: [], resources: [], constraints: [], alerts: [] },
  };
  const ctx = new MapContext(nodes, options, model, show);
  for (const rule of RULES) rule(ctx);
  classifyRest(ctx);
  const rank = fileRanks(ctx.ledger.map((e) => e.span.file));
  ctx.ledger.sort((a, b) => rank(a.span.file) - rank(b.span.file) || a.span.start - b.span.start);
  return { model, ledger: ctx.ledger, diagnostics: sortDiagnostics(ctx.diags.items), shims: [...ctx.shims].sort(), instances: ctx.instances };
}

/** Registers a rule to run before the catch-all (used by rule modules that extend the pipeline). */
export function addRule(rule: (ctx: MapContext) => void, before: (ctx: MapContext) => void = applyStickiness): void {
  const at = RULES.indexOf(before);
  RULES.splice(at < 0 ? RULES.length : at, 0, rule);
}

const GLOBAL_GARP: Record<string, string> = {
  vrrp_garp_master_repeat: 'IPaddr2 arp_count of every VIP',
  vrrp_garp_interval: 'IPaddr2 arp_interval of every VIP',
  vrrp_garp_master_refresh: 'IPaddr2 arp_count_refresh of every VIP',
  vrrp_garp_master_refresh_repeat: 'IPaddr2 arp_count_refresh of every VIP',
};

/** global_defs: most of it tunes the keepalived process and has no cluster meaning. */
function mapGlobals(ctx: MapContext): void {
  for (const d of directivesOf(ctx, 'global_defs')) {
    const k = d.keyword;
    if (k in GLOBAL_GARP) ctx.record(d, k.includes('refresh') ? 'approximate' : 'exact', GLOBAL_GARP[k], 'the global GARP default is applied to each instance that does not set its own');
    else if (k === 'global_defs') ctx.record(d, 'exact', '-', 'the block itself; its directives are listed one by one');
    else if (k === 'router_id') ctx.record(d, 'dropped', '-', 'names the keepalived process in mails and logs; cluster nodes are named by corosync');
    else if (k === 'enable_script_security' || k === 'script_user')
      ctx.record(d, 'dropped', '-', 'keepalived runs its scripts as this user; Pacemaker runs agents as root and alerts as hacluster');
    else if (['vrrp_garp_master_delay', 'vrrp_garp_lower_prio_delay', 'vrrp_garp_lower_prio_repeat'].includes(k))
      ctx.record(d, 'dropped', '-', 'IPaddr2 sends its ARPs when it starts; there is no second, delayed burst');
  }
}

/** Whatever no rule claimed is recorded as dropped, and said. */
function classifyRest(ctx: MapContext): void {
  for (const n of ctx.nodes) {
    for (const d of n.config.directives) {
      if (ctx.isRecorded(d.span)) continue;
      ctx.record(d, 'dropped', '-', 'ka2pcmk has no Pacemaker equivalent for this directive');
      ctx.diags.warning('unmapped-directive', `'${d.keyword}' (${d.owner}) has no Pacemaker equivalent in ka2pcmk; it is not migrated`, d.span);
    }
  }
}

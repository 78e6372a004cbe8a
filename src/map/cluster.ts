/**
 * The cluster itself: nodes and their corosync addresses, quorum (two_node
 * for two nodes, never no-quorum-policy=ignore), fencing (never silently off),
 * and totem timing chosen so that a node crash fails over no slower than
 * keepalived's 3 x advert_int plus skew.
 */
import type { VrrpInstance } from '../model/types.js';
import { makeId } from '../pcmk/ids.js';
import type { ClusterModel, Primitive } from '../pcmk/model.js';
import type { MapContext } from './context.js';

/** corosync's default token_coefficient: added to the token per node beyond two. */
export const TOKEN_COEFFICIENT_MS = 650;
/** Below this token, the lab saw a rejoining node lose quorum (shared/LAB.md): not stable. */
export const MIN_STABLE_TOKEN_MS = 1000;
/** corosync's default token. */
export const DEFAULT_TOKEN_MS = 3000;
/** Pacemaker starts an address about 0.1 s after the membership settles (shared/LAB.md). */
export const START_MARGIN_MS = 100;

/** keepalived's failover time when the master dies: 3 x advert_int plus the best backup's skew. */
export function keepalivedFailoverMs(advertInt: number, backupPriority: number): number {
  return Math.round(1000 * (3 * advertInt + ((256 - backupPriority) / 256) * advertInt));
}

/** Pacemaker's expected failover after a node crash with these totem settings (shared/LAB.md's model). */
export function pacemakerFailoverMs(token: number, consensus: number, nodes: number): number {
  return token + Math.max(0, nodes - 2) * TOKEN_COEFFICIENT_MS + consensus + START_MARGIN_MS;
}

/** The largest token (ms, multiple of 50) whose failover fits `targetMs`, with consensus = 1.2 x token. */
export function tokenFor(targetMs: number, nodes: number): number {
  const raw = (targetMs - START_MARGIN_MS - Math.max(0, nodes - 2) * TOKEN_COEFFICIENT_MS) / 2.2;
  return Math.floor(raw / 50) * 50;
}

/** A host name as corosync, Pacemaker, pcs and crmsh all take it (RFC 1123 labels, dots allowed). */
export const VALID_NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function mapCluster(ctx: MapContext): void {
  const m = ctx.model;
  const n = ctx.nodes.length;
  m.nodes = ctx.nodes.map((node, i) => ({ name: node.name, nodeId: i + 1, addresses: [node.address ?? nodeAddress(node.config.instances) ?? node.name] }));
  for (const [i, node] of ctx.nodes.entries()) {
    // A node name comes from the command line (--node, --config-id, a file name) and goes
    // into corosync.conf, pcs and crmsh commands and the CIB: only what all of them read alike.
    if (!VALID_NODE_NAME.test(node.name)) {
      ctx.diags.error('invalid-node-name', `node name ${JSON.stringify(node.name)} is not a valid cluster node name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64`, node.config.instances[0]?.span, {
        hint: 'name the node with --node NAME=FILE',
      });
    }
    if (!node.address && !nodeAddress(node.config.instances)) {
      ctx.diags.warning('node-address-unknown', `node ${node.name}: no unicast_src_ip tells its address; corosync will resolve the name '${node.name}'`, node.config.instances[0]?.span, {
        hint: `give it with --node-address ${node.name}=ADDRESS`,
      });
    }
    void i;
  }
  m.corosync = { transport: 'knet', crypto: { cipher: 'aes256', hash: 'sha256' } };
  if (n === 2) m.corosync.quorum = { twoNode: true };
  chooseTotem(ctx);
  fencing(ctx);
}

/** The address a node's own instances use (unicast_src_ip), if they say. */
function nodeAddress(instances: readonly VrrpInstance[]): string | undefined {
  return instances.find((i) => i.unicastSrcIp)?.unicastSrcIp;
}

function chooseTotem(ctx: MapContext): void {
  const n = ctx.nodes.length;
  let target = Infinity;
  let which: { inst: VrrpInstance; backup: number } | undefined;
  const names = ctx.instancesByName().keys();
  for (const name of names) {
    const per = (ctx.instancesByName().get(name) ?? []).map((p) => p.inst);
    const prios = per.map((i) => i.priority ?? 100).sort((a, b) => b - a);
    const backup = prios[1] ?? prios[0];
    const t = keepalivedFailoverMs(per[0].advertInt ?? 1, backup);
    if (t < target) {
      target = t;
      which = { inst: per[0], backup };
    }
  }
  if (!which) return;
  let token = Math.min(DEFAULT_TOKEN_MS, tokenFor(target, n));
  const floor = token < MIN_STABLE_TOKEN_MS;
  if (floor) token = MIN_STABLE_TOKEN_MS;
  const consensus = Math.round(token * 1.2);
  const expected = pacemakerFailoverMs(token, consensus, n);
  const src = ctx.source(which.inst.span, `vrrp_instance ${which.inst.name}`);
  ctx.model.corosync.totem = { token, consensus, source: src };
  const explain = `keepalived fails over in ${target} ms (3 x advert_int ${which.inst.advertInt ?? 1}s + skew of the best backup, priority ${which.backup}); totem token ${token} ms and consensus ${consensus} ms give about ${expected} ms after a node crash with ${n} nodes`;
  if (floor || expected > target) {
    ctx.diags.warning('failover-slower', `${explain}: slower, because a token below ${MIN_STABLE_TOKEN_MS} ms is not stable`, which.inst.span);
  } else {
    ctx.diags.info('totem-timing', explain, which.inst.span);
  }
  for (const name of ctx.instancesByName().keys()) {
    for (const d of ctx.directivesOf(`vrrp_instance:${name}`)) {
      if (d.keyword === 'advert_int') ctx.record(d, 'redesigned', 'corosync totem token/consensus', `${explain}.`);
    }
  }
}

function fencing(ctx: MapContext): void {
  const m: ClusterModel = ctx.model;
  const first = ctx.nodes[0]?.config.instances[0]?.span;
  if (ctx.options.fence) {
    const f = ctx.options.fence;
    const p: Primitive = {
      kind: 'primitive',
      id: ctx.ids.unique(makeId('fence', f.agent)),
      agent: { class: 'stonith', type: f.agent },
      instanceAttributes: Object.entries(f.params).map(([name, value]) => ({ name, value })),
      operations: [{ name: 'monitor', interval: '60s' }],
      description: 'fence device given by the operator',
    };
    m.cib.resources.push(p);
    return;
  }
  const agents = 'fence_xvm or external/libvirt for virtual machines, fence_ipmilan or fence_ilo* for hardware';
  if (ctx.options.stonithDisabled) {
    (m.cib.properties ??= []).push({ name: 'stonith-enabled', value: 'false', description: 'the operator accepted running without fencing' });
    ctx.diags.warning('stonith-disabled', `fencing is disabled at your request: a node that hangs instead of dying can leave the VIP on two nodes; configure a fence device (${agents}) before relying on this cluster`, first);
  } else {
    ctx.diags.warning('no-fencing', `no fence device: Pacemaker will not start resources until one is configured (${agents}); or pass --no-stonith to accept the risk explicitly`, first, {
      hint: 'keepalived never fenced either, but two-node clusters are only safe with fencing',
    });
  }
}

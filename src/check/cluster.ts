/**
 * Cluster-wide items from one `crm_mon -1 --output-as=xml`: every node
 * online, quorum, fencing, no failed actions. The status is read through
 * the first node that answers, and returned for the VIP items.
 */
import { parseCrmMon, type CrmStatus } from '../remote/crm.js';
import { item, type CheckContext } from './context.js';
import { Recorder } from './evidence.js';
import type { CheckItem, Evidence } from './types.js';

export const CRM_MON = ['crm_mon', '-1', '--output-as=xml'];

/** crm_mon through the first node (of `via`) that answers; the evidence of every attempt. */
export async function readStatus(ctx: CheckContext, via: readonly string[], keep?: (string | RegExp)[]): Promise<{ status?: CrmStatus; node?: string; evidence: Evidence[] }> {
  const rec = new Recorder(ctx.runner);
  for (const node of via) {
    try {
      const r = await rec.run(node, CRM_MON, keep ?? [/<(current_dc|node |resource |failure |cluster_options)/]);
      const s = r.code === 0 ? parseCrmMon(r.stdout) : undefined;
      if (s && !('error' in s)) return { status: s, node, evidence: rec.evidence };
    } catch {
      /* this node does not answer: try the next */
    }
  }
  return { evidence: rec.evidence };
}

export async function clusterItems(ctx: CheckContext): Promise<{ items: CheckItem[]; status?: CrmStatus }> {
  const { status, node, evidence } = await readStatus(ctx, ctx.nodes);
  if (!status) {
    const why = 'no node answered crm_mon: Pacemaker is not running (or not reachable)';
    return {
      items: [
        item('cluster-online', 'every node online in the cluster', 'fail', why, evidence),
        item('quorum', 'the cluster has quorum', 'fail', why, []),
        item('stonith', 'fencing is enabled and configured', 'fail', why, []),
        item('no-failed-actions', 'no failed actions', 'fail', why, []),
      ],
    };
  }
  const items: CheckItem[] = [];
  const offline = ctx.nodes.filter((n) => !status.nodes.some((x) => x.name === n && x.online));
  const standby = status.nodes.filter((x) => x.standby).map((x) => x.name);
  items.push(
    offline.length
      ? item('cluster-online', 'every node online in the cluster', 'fail', `not online (seen from ${node}): ${offline.join(', ')}`, evidence)
      : item('cluster-online', 'every node online in the cluster', standby.length ? 'fail' : 'pass', standby.length ? `in standby: ${standby.join(', ')}` : `${ctx.nodes.join(', ')} online (seen from ${node}; DC ${status.dc ?? 'none'})`, evidence),
  );
  items.push(item('quorum', 'the cluster has quorum', status.quorate ? 'pass' : 'fail', status.quorate ? `quorate, DC ${status.dc}` : 'no quorum: resources will not run (no-quorum-policy ' + (status.noQuorumPolicy ?? 'stop') + ')', evidence));
  const fence = status.resources.filter((r) => r.agent.startsWith('stonith:'));
  if (status.stonithEnabled === false) {
    items.push(item('stonith', 'fencing is enabled and configured', ctx.opts.acceptNoStonith ? 'pass' : 'fail', ctx.opts.acceptNoStonith ? 'stonith-enabled=false, which the operator accepted (--no-stonith)' : 'stonith-enabled=false: a split brain can put the VIP on two nodes', evidence));
  } else {
    const started = fence.filter((r) => r.active);
    items.push(item('stonith', 'fencing is enabled and configured', started.length ? 'pass' : 'fail', started.length ? `stonith-enabled, devices running: ${started.map((r) => r.id).join(', ')}` : 'stonith-enabled but no fence device is running: resources cannot recover from a node failure', evidence));
  }
  const failed = status.resources.filter((r) => r.failed);
  items.push(
    status.failures.length || failed.length
      ? item('no-failed-actions', 'no failed actions', 'fail', [...status.failures.map((f) => `${f.opKey} on ${f.node}: ${f.exitStatus}${f.exitReason ? ` (${f.exitReason})` : ''}`), ...failed.map((r) => `${r.id} failed`)].join('; '), evidence)
      : item('no-failed-actions', 'no failed actions', 'pass', 'crm_mon lists no failures', evidence),
  );
  return { items, status };
}


/**
 * The promotion scores a real cluster has and an offline simulation does not.
 * Pacemaker promotes an instance of a promotable clone only on a node where
 * the agent has set a promotion score (the transient node attribute
 * `master-<resource>`, written by `crm_master -l reboot` from the agent's
 * monitor); crm_simulate runs no agent, so without the attribute it promotes
 * nothing and whatever is colocated with the Promoted role never starts.
 * Pure: run.ts writes the attributes into the status section of the CIB the
 * simulation starts from.
 *
 * Only agents whose scores we know are covered; a promotable clone of any
 * other agent gets none, and the proof shows its dependants stopped.
 *
 * ocf:linbit:drbd (drbd-utils scripts/drbd.ocf, adjust_master_score, default
 * "0 10 1000 10000"): with both replicas UpToDate and connected, each node
 * gets the fourth value, so the scores are equal and the dependants'
 * preferences (the VIP's location scores, through the colocation with the
 * Promoted role) choose the node, as keepalived's election chose the node
 * that ran `drbdadm primary`. The scenarios keep that state:
 * - a surviving replica whose peer is gone keeps a positive score (the fourth
 *   value as Primary, the third as Secondary): it is promoted either way;
 * - a node that comes back resyncs (score 0 while Inconsistent) and then has
 *   the fourth value again: the simulation shows that settled end, as it does
 *   for keepalived (the DC erases a lost node's transient attributes, the
 *   agent sets them again; crm_simulate keeps them across --node-fail).
 */
import { emitCib } from '../emit/cib.js';
import { renderXml, type XmlElement } from '../emit/xml.js';
import type { ClusterModel, Primitive } from '../pcmk/model.js';

/** One transient node attribute. */
export interface TransientAttribute {
  node: string;
  name: string;
  value: string;
}

/** The promotion score an agent sets on a node with healthy, connected data; undefined when we do not know it. */
function healthyPromotionScore(p: Primitive): string | undefined {
  const agent = `${p.agent.class}:${p.agent.provider ?? ''}:${p.agent.type}`;
  if (agent !== 'ocf:linbit:drbd') return undefined;
  const adjust = p.instanceAttributes?.find((a) => a.name === 'adjust_master_score')?.value ?? '0 10 1000 10000';
  return adjust.trim().split(/\s+/)[3];
}

/**
 * The promotion scores on every node, for each promotable clone of a known
 * agent. The attribute is named after the primitive (an anonymous clone's
 * instances share it), as crm_master names it.
 */
export function promotionScores(model: ClusterModel): TransientAttribute[] {
  const out: TransientAttribute[] = [];
  for (const r of model.cib.resources) {
    if (r.kind !== 'clone' || !r.promotable || r.child.kind !== 'primitive') continue;
    const value = healthyPromotionScore(r.child);
    if (value === undefined) continue;
    for (const n of model.nodes) out.push({ node: n.name, name: `master-${r.child.id}`, value });
  }
  return out;
}

/**
 * A `<status>` section holding these transient attributes, one node_state per
 * node (crm_simulate's --node-up keeps an existing node_state and its
 * attributes); undefined when there are none.
 */
function statusWith(model: ClusterModel, attributes: readonly TransientAttribute[]): XmlElement | undefined {
  if (attributes.length === 0) return undefined;
  const states: XmlElement[] = [];
  for (const n of model.nodes) {
    const mine = attributes.filter((a) => a.node === n.name);
    if (mine.length === 0) continue;
    const id = String(n.nodeId);
    states.push({
      name: 'node_state',
      attrs: [['id', id], ['uname', n.name]],
      children: [
        {
          name: 'transient_attributes',
          attrs: [['id', id]],
          children: [{ name: 'instance_attributes', attrs: [['id', `status-${id}`]], children: mine.map((a) => ({ name: 'nvpair', attrs: [['id', `status-${id}-${a.name}`], ['name', a.name], ['value', a.value]] })) }],
        },
      ],
    });
  }
  return { name: 'status', children: states };
}

/** The emitted CIB with these transient attributes in its status section (emitCib writes an empty `<status/>`). */
export function cibWithTransientAttributes(model: ClusterModel, attributes: readonly TransientAttribute[]): string {
  const text = emitCib(model);
  const status = statusWith(model, attributes);
  if (!status) return text;
  const empty = '  <status/>\n';
  if (!text.includes(empty)) throw new Error('emitCib wrote no empty <status/> to fill');
  return text.replace(empty, renderXml([status], 1));
}

/**
 * What ka2pcmk reads from a running Pacemaker: `crm_mon -1 --output-as=xml`
 * (nodes, resources and where they run, quorum, failed actions, cluster
 * options) and `cibadmin -Q` (the CIB's version triple and its IPaddr2
 * primitives). Pure parsers over src/tools/xml.ts.
 */
import { findElement, parseXml, type XmlTree } from '../tools/xml.js';
import type { CibEpoch } from '../plan/artifacts.js';

export interface CrmNode {
  name: string;
  online: boolean;
  standby: boolean;
  unclean: boolean;
}

export interface CrmResource {
  id: string;
  agent: string;
  role: string;
  active: boolean;
  failed: boolean;
  /** Nodes it is active on. */
  nodes: string[];
  /** Enclosing group or clone, if any. */
  parent?: string;
}

export interface CrmFailure {
  opKey: string;
  node: string;
  exitStatus: string;
  exitReason: string;
}

export interface CrmStatus {
  dc?: string;
  quorate: boolean;
  stonithEnabled: boolean | undefined;
  noQuorumPolicy?: string;
  nodes: CrmNode[];
  resources: CrmResource[];
  failures: CrmFailure[];
}

const yes = (v: string | undefined) => v === 'true';

function collectResources(el: XmlTree, parent: string | undefined, out: CrmResource[]): void {
  for (const c of el.children) {
    if (c.name === 'resource') {
      out.push({
        id: c.attrs.id,
        agent: c.attrs.resource_agent ?? '',
        role: c.attrs.role ?? '',
        active: yes(c.attrs.active),
        failed: yes(c.attrs.failed),
        nodes: c.children.filter((n) => n.name === 'node').map((n) => n.attrs.name),
        ...(parent ? { parent } : {}),
      });
    } else if (c.name === 'group' || c.name === 'clone' || c.name === 'bundle') collectResources(c, c.attrs.id, out);
  }
}

/** Parses crm_mon's XML; an error message when it is not crm_mon output. */
export function parseCrmMon(xml: string): CrmStatus | { error: string } {
  const root = parseXml(xml);
  if ('error' in root) return root;
  if (root.name !== 'pacemaker-result' && root.name !== 'crm_mon') return { error: `not crm_mon output (root <${root.name}>)` };
  const dc = findElement(root, 'current_dc');
  const opts = findElement(root, 'cluster_options');
  const nodesEl = findElement(root, 'nodes');
  const resEl = findElement(root, 'resources');
  const failEl = findElement(root, 'failures');
  const resources: CrmResource[] = [];
  if (resEl) collectResources(resEl, undefined, resources);
  return {
    ...(dc && yes(dc.attrs.present) ? { dc: dc.attrs.name } : {}),
    quorate: !!dc && yes(dc.attrs.with_quorum),
    stonithEnabled: opts?.attrs['stonith-enabled'] === undefined ? undefined : yes(opts.attrs['stonith-enabled']),
    ...(opts?.attrs['no-quorum-policy'] ? { noQuorumPolicy: opts.attrs['no-quorum-policy'] } : {}),
    nodes: (nodesEl?.children ?? [])
      .filter((n) => n.name === 'node')
      .map((n) => ({ name: n.attrs.name, online: yes(n.attrs.online), standby: yes(n.attrs.standby), unclean: yes(n.attrs.unclean) })),
    resources,
    failures: (failEl?.children ?? [])
      .filter((f) => f.name === 'failure')
      .map((f) => ({ opKey: f.attrs.op_key ?? f.attrs.id ?? '', node: f.attrs.node ?? '', exitStatus: f.attrs.exitstatus ?? '', exitReason: f.attrs.exitreason ?? '' })),
  };
}

/** The `<cib admin_epoch epoch num_updates>` triple from `cibadmin -Q`. */
export function parseCibEpoch(xml: string, node: string): CibEpoch | undefined {
  const head = /<cib\b[^>]*>/.exec(xml)?.[0];
  if (!head) return undefined;
  const num = (a: string) => Number(new RegExp(`\\b${a}="(\\d+)"`).exec(head)?.[1] ?? NaN);
  const e = { adminEpoch: num('admin_epoch'), epoch: num('epoch'), numUpdates: num('num_updates'), node };
  return [e.adminEpoch, e.epoch, e.numUpdates].every(Number.isFinite) ? e : undefined;
}

/** IPaddr2 primitives configured in a CIB: resource id, address and prefix (when given). */
export function cibVips(xml: string): { resource: string; address: string; prefix?: number }[] {
  const root = parseXml(xml);
  if ('error' in root) return [];
  const out: { resource: string; address: string; prefix?: number }[] = [];
  const walk = (el: XmlTree) => {
    if (el.name === 'primitive' && el.attrs.type === 'IPaddr2') {
      const params: Record<string, string> = {};
      for (const ia of el.children.filter((c) => c.name === 'instance_attributes')) for (const nv of ia.children) if (nv.name === 'nvpair') params[nv.attrs.name] = nv.attrs.value;
      if (params.ip) out.push({ resource: el.attrs.id, address: params.ip, ...(params.cidr_netmask && /^\d+$/.test(params.cidr_netmask) ? { prefix: Number(params.cidr_netmask) } : {}) });
    }
    if (el.name !== 'status') el.children.forEach(walk);
  };
  walk(root);
  return out;
}

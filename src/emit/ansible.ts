/**
 * Variables for the linux-system-roles `ha_cluster` role, as YAML. Names and
 * shapes follow the role's README (ha_cluster_resource_primitives,
 * ha_cluster_constraints_location, ha_cluster_totem...): attributes are lists
 * of `{name, value}`, attribute sets are `[{attrs: [...]}]`. Rules are pcs
 * rule strings, as the role passes them to pcs. Each list item that came
 * from keepalived carries a `# from file:line:col directive` comment.
 */
import { Document, isMap, isNode, isSeq, type Node as YamlNode } from 'yaml';
import { agentName } from '../pcmk/build.js';
import type { ClusterModel, Constraint, NvPair, Primitive, Traced } from '../pcmk/model.js';
import { allPrimitives } from '../pcmk/walk.js';
import { scoreText } from './cib.js';
import { oneLine, sourceNote } from './provenance.js';
import { pcsRuleWords } from './rules.js';

type Attr = { name: string; value: string };
const attrs = (pairs: NvPair[] | undefined): Attr[] => (pairs ?? []).map((nv) => ({ name: nv.name, value: nv.value }));
const attrSets = (pairs: NvPair[] | undefined): Array<{ attrs: Attr[] }> | undefined =>
  pairs?.length ? [{ attrs: attrs(pairs) }] : undefined;

/** A list variable whose items may carry provenance comments. */
interface Item {
  value: Record<string, unknown>;
  from?: Traced;
}

function primitive(p: Primitive): Item {
  return {
    from: p,
    value: {
      id: p.id,
      agent: agentName(p.agent),
      instance_attrs: attrSets(p.instanceAttributes),
      meta_attrs: attrSets(p.metaAttributes),
      // The model lists every operation; the agent's defaults would add others.
      copy_operations_from_agent: false,
      operations: (p.operations ?? []).map((o) => {
        const a: Attr[] = [{ name: 'interval', value: o.interval }];
        if (o.timeout !== undefined) a.push({ name: 'timeout', value: o.timeout });
        if (o.role !== undefined) a.push({ name: 'role', value: o.role });
        if (o.onFail !== undefined) a.push({ name: 'on-fail', value: o.onFail });
        return { action: o.name, attrs: [...a, ...attrs(o.options)] };
      }),
    },
  };
}

function constraintItem(c: Constraint): { key: string; item: Item } {
  switch (c.kind) {
    case 'location': {
      const resource = { id: c.rsc, role: c.role };
      const discovery = c.resourceDiscovery ? [{ name: 'resource-discovery', value: c.resourceDiscovery }] : [];
      if ('rule' in c) {
        const score =
          c.rule.scoreAttribute !== undefined
            ? { name: 'score-attribute', value: c.rule.scoreAttribute }
            : { name: 'score', value: scoreText(c.rule.score ?? 'INFINITY') };
        return {
          key: 'ha_cluster_constraints_location',
          item: { from: c, value: { resource, rule: pcsRuleWords(c.rule).join(' '), id: c.id, options: [score, ...discovery] } },
        };
      }
      return {
        key: 'ha_cluster_constraints_location',
        item: { from: c, value: { resource, node: c.node, id: c.id, options: [{ name: 'score', value: scoreText(c.score) }, ...discovery] } },
      };
    }
    case 'colocation':
      return {
        key: 'ha_cluster_constraints_colocation',
        item: {
          from: c,
          value: {
            resource_follower: { id: c.rsc, role: c.rscRole },
            resource_leader: { id: c.withRsc, role: c.withRscRole },
            id: c.id,
            options: [{ name: 'score', value: scoreText(c.score) }],
          },
        },
      };
    case 'order': {
      const options: Attr[] = [];
      if (c.orderKind) options.push({ name: 'kind', value: c.orderKind });
      if (c.symmetrical !== undefined) options.push({ name: 'symmetrical', value: String(c.symmetrical) });
      return {
        key: 'ha_cluster_constraints_order',
        item: {
          from: c,
          value: {
            resource_first: { id: c.first, action: c.firstAction },
            resource_then: { id: c.then, action: c.thenAction },
            id: c.id,
            options: options.length ? options : undefined,
          },
        },
      };
    }
  }
}

/** Provenance of an item as comment text (the yaml library adds the `#`). */
function note(t: Traced | undefined): string | undefined {
  if (!t) return undefined;
  const lines = [t.source ? ` ${sourceNote(t.source)}` : '', t.description ? ` ${oneLine(t.description)}` : ''].filter((l) => l);
  return lines.length ? lines.join('\n') : undefined;
}

/** The role's variables as a YAML document, deterministic, ending in a newline. */
export function emitAnsibleVars(model: ClusterModel): string {
  const cib = model.cib;
  const c = model.corosync;
  const vars: Array<[string, unknown]> = [['ha_cluster_cluster_name', model.name]];
  const lists = new Map<string, Item[]>();
  const push = (key: string, item: Item): void => {
    if (!lists.has(key)) lists.set(key, []);
    lists.get(key)!.push(item);
  };

  const transport: Record<string, unknown> = { type: c.transport };
  if (c.links?.length) transport.links = c.links.map((l) => [{ name: 'linknumber', value: String(l.linknumber) }, ...attrs(l.options)]);
  if (c.transport === 'knet' && c.crypto) {
    transport.crypto = [
      { name: 'cipher', value: c.crypto.cipher },
      { name: 'hash', value: c.crypto.hash },
    ];
  }
  vars.push(['ha_cluster_transport', transport]);
  const t = c.totem ?? {};
  const totem: Attr[] = [];
  const opt = (name: string, v: number | undefined): void => {
    if (v !== undefined) totem.push({ name, value: String(v) });
  };
  opt('token', t.token);
  opt('consensus', t.consensus);
  opt('token_coefficient', t.tokenCoefficient);
  opt('join', t.joinTimeout);
  if (totem.length) vars.push(['ha_cluster_totem', { options: totem }]);
  // two_node is not among the role's quorum options: pcs sets it by itself for two nodes.
  const q = c.quorum ?? {};
  const quorum: Attr[] = [];
  const flag = (name: string, b: boolean | undefined): void => {
    if (b !== undefined) quorum.push({ name, value: b ? '1' : '0' });
  };
  flag('auto_tie_breaker', q.autoTieBreaker);
  flag('last_man_standing', q.lastManStanding);
  flag('wait_for_all', q.waitForAll);
  if (quorum.length) vars.push(['ha_cluster_quorum', { options: quorum }]);

  for (const n of model.nodes) {
    push('ha_cluster_node_options', { from: n, value: { node_name: n.name, corosync_addresses: n.addresses, attributes: attrSets(n.attributes) } });
  }
  if (cib.properties?.length) vars.push(['ha_cluster_cluster_properties', [{ attrs: attrs(cib.properties) }]]);
  if (cib.rscDefaults?.length) vars.push(['ha_cluster_resource_defaults', { meta_attrs: [{ attrs: attrs(cib.rscDefaults) }] }]);
  if (cib.opDefaults?.length) vars.push(['ha_cluster_resource_operation_defaults', { meta_attrs: [{ attrs: attrs(cib.opDefaults) }] }]);
  for (const p of allPrimitives(cib.resources)) push('ha_cluster_resource_primitives', primitive(p));
  for (const r of cib.resources) {
    const group = r.kind === 'group' ? r : r.kind === 'clone' && r.child.kind === 'group' ? r.child : undefined;
    if (group) {
      push('ha_cluster_resource_groups', {
        from: group,
        value: { id: group.id, resource_ids: group.members.map((m) => m.id), meta_attrs: attrSets(group.metaAttributes) },
      });
    }
    if (r.kind === 'clone') {
      push('ha_cluster_resource_clones', {
        from: r,
        value: { resource_id: r.child.id, promotable: r.promotable ? true : undefined, id: r.id, meta_attrs: attrSets(r.metaAttributes) },
      });
    }
  }
  for (const con of cib.constraints) {
    const { key, item } = constraintItem(con);
    push(key, item);
  }
  for (const a of cib.alerts ?? []) {
    push('ha_cluster_alerts', {
      from: { source: a.source },
      value: {
        id: a.id,
        path: a.path,
        description: a.description,
        instance_attrs: attrSets(a.instanceAttributes),
        meta_attrs: attrSets(a.metaAttributes),
        recipients: (a.recipients ?? []).map((r) => ({
          value: r.value,
          id: r.id,
          description: r.description,
          instance_attrs: attrSets(r.instanceAttributes),
          meta_attrs: attrSets(r.metaAttributes),
        })),
      },
    });
  }

  const doc = new Document<YamlNode, true>({});
  doc.commentBefore = ` ha_cluster role variables for cluster ${oneLine(model.name)}, generated by ka2pcmk.`;
  const root = doc.contents;
  if (!isMap(root)) throw new Error('unreachable: an empty object makes a map');
  const set = (key: string, value: unknown): void => {
    root.add(doc.createPair(key, value));
  };
  for (const [k, v] of vars) set(k, v);
  // Fixed order of the list variables, as the role's README lists them.
  const order = [
    'ha_cluster_node_options',
    'ha_cluster_resource_primitives',
    'ha_cluster_resource_groups',
    'ha_cluster_resource_clones',
    'ha_cluster_constraints_location',
    'ha_cluster_constraints_colocation',
    'ha_cluster_constraints_order',
    'ha_cluster_alerts',
  ];
  for (const key of order) {
    const items = lists.get(key);
    if (!items) continue;
    const seq = doc.createNode(items.map((i) => i.value));
    if (isSeq(seq)) {
      seq.items.forEach((node, i) => {
        const comment = note(items[i].from);
        if (comment && isNode(node)) node.commentBefore = comment;
      });
    }
    root.add(doc.createPair(key, seq));
  }
  return doc.toString({ lineWidth: 0 });
}

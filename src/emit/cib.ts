/**
 * CIB XML from a ClusterModel: the `<configuration>` section, or a whole CIB
 * as `cibadmin --empty` would start it. Pure and deterministic: elements in
 * model order, derived ids (nvpair sets, nvpairs, ops, expressions) named the
 * way pcs names them and made unique in emission order, no timestamps.
 * Provenance: an XML comment `<!-- from file:line:col directive -->` precedes
 * every element that has a source; `description` attributes carry the
 * model's descriptions where the schema allows one.
 */
import { IdRegistry } from '../pcmk/ids.js';
import { isPresence } from '../pcmk/model.js';
import type {
  Alert,
  ClusterModel,
  ClusterNode,
  Constraint,
  Expression,
  NvPair,
  Operation,
  Primitive,
  Resource,
  Rule,
  Score,
  Traced,
} from '../pcmk/model.js';
import { allResources } from '../pcmk/walk.js';
import { sameSource, sourceNote } from './provenance.js';
import { renderXml, type XmlElement, type XmlNode } from './xml.js';

/** Options for a whole CIB. */
export interface CibOptions {
  /** Schema to validate with; `cibadmin --empty` of Pacemaker 2.1.5 writes pacemaker-3.9. */
  validateWith?: string;
  /** Fixed so output is reproducible; raise it above a live CIB's before `cibadmin --replace`. */
  epoch?: number;
  adminEpoch?: number;
}

/** Pacemaker's spelling of a score. */
export function scoreText(score: Score): string {
  return typeof score === 'number' ? String(Math.trunc(score)) : score;
}

/** Emission state: ids already in use, so derived ids never collide with the model's. */
class Ctx {
  readonly ids: IdRegistry;

  constructor(model: ClusterModel) {
    this.ids = new IdRegistry(['cib-bootstrap-options', 'rsc_defaults-meta_attributes', 'op_defaults-meta_attributes']);
    for (const r of allResources(model.cib.resources)) this.ids.reserve(r.id);
    for (const c of model.cib.constraints) {
      this.ids.reserve(c.id);
      if ('rule' in c && c.rule.id) this.ids.reserve(c.rule.id);
    }
    for (const a of model.cib.alerts ?? []) {
      this.ids.reserve(a.id);
      for (const r of a.recipients ?? []) this.ids.reserve(r.id);
    }
  }
}

/** The element, preceded by a comment naming its source when it has one. */
function traced(t: Traced, el: XmlElement): XmlNode[] {
  return t.source ? [{ comment: sourceNote(t.source) }, el] : [el];
}

/** An nvpair set (`instance_attributes`, `meta_attributes`...) or nothing when empty. */
function nvset(ctx: Ctx, tag: string, setId: string, pairs: NvPair[] | undefined, exactSetId = false, owner?: Traced): XmlNode[] {
  if (!pairs || pairs.length === 0) return [];
  const id = exactSetId ? setId : ctx.ids.unique(setId);
  // An attribute from the same directive as its element is already noted there.
  const children = pairs.flatMap((nv) =>
    traced(sameSource(nv.source, owner?.source) ? { ...nv, source: undefined } : nv, { name: 'nvpair', attrs: [['id', ctx.ids.unique(id, nv.name)], ['name', nv.name], ['value', nv.value]] }),
  );
  return [{ name: tag, attrs: [['id', id]], children }];
}

function op(ctx: Ctx, rscId: string, o: Operation): XmlNode[] {
  const attrs: Array<[string, string | undefined]> = [
    ['id', ctx.ids.unique(rscId, o.name, 'interval', o.interval)],
    ['name', o.name],
    ['interval', o.interval],
    ['timeout', o.timeout],
    ['role', o.role],
    ['on-fail', o.onFail],
    ['description', o.description],
  ];
  for (const nv of o.options ?? []) attrs.push([nv.name, nv.value]);
  return traced(o, { name: 'op', attrs });
}

function primitive(ctx: Ctx, p: Primitive): XmlNode[] {
  const ops = p.operations ?? [];
  return traced(p, {
    name: 'primitive',
    attrs: [
      ['id', p.id],
      ['class', p.agent.class],
      ['provider', p.agent.class === 'ocf' ? (p.agent.provider ?? 'heartbeat') : undefined],
      ['type', p.agent.type],
      ['description', p.description],
    ],
    children: [
      ...nvset(ctx, 'instance_attributes', `${p.id}-instance_attributes`, p.instanceAttributes, false, p),
      ...nvset(ctx, 'meta_attributes', `${p.id}-meta_attributes`, p.metaAttributes, false, p),
      ...(ops.length ? [{ name: 'operations', children: ops.flatMap((o) => op(ctx, p.id, o)) }] : []),
    ],
  });
}

function resource(ctx: Ctx, r: Resource): XmlNode[] {
  switch (r.kind) {
    case 'primitive':
      return primitive(ctx, r);
    case 'group':
      return traced(r, {
        name: 'group',
        attrs: [['id', r.id], ['description', r.description]],
        children: [
          ...r.members.flatMap((m) => primitive(ctx, m)),
          ...nvset(ctx, 'meta_attributes', `${r.id}-meta_attributes`, r.metaAttributes),
        ],
      });
    case 'clone': {
      const meta = r.promotable ? [{ name: 'promotable', value: 'true' }, ...(r.metaAttributes ?? [])] : r.metaAttributes;
      return traced(r, {
        name: 'clone',
        attrs: [['id', r.id], ['description', r.description]],
        children: [...resource(ctx, r.child), ...nvset(ctx, 'meta_attributes', `${r.id}-meta_attributes`, meta)],
      });
    }
  }
}

function expression(ctx: Ctx, ruleId: string, e: Expression): XmlElement {
  const id = ctx.ids.unique(ruleId, 'expr');
  if (isPresence(e)) {
    return { name: 'expression', attrs: [['id', id], ['operation', e.op], ['attribute', e.attribute]] };
  }
  return {
    name: 'expression',
    attrs: [['id', id], ['operation', e.op], ['attribute', e.attribute], ['type', e.type], ['value', e.value]],
  };
}

function rule(ctx: Ctx, constraintId: string, r: Rule): XmlElement {
  const id = r.id ?? ctx.ids.unique(constraintId, 'rule');
  return {
    name: 'rule',
    attrs: [
      ['id', id],
      ['score', r.score === undefined ? undefined : scoreText(r.score)],
      ['score-attribute', r.scoreAttribute],
      ['boolean-op', r.expressions.length > 1 ? (r.booleanOp ?? 'and') : undefined],
    ],
    children: r.expressions.map((e) => expression(ctx, id, e)),
  };
}

function constraint(ctx: Ctx, c: Constraint): XmlNode[] {
  switch (c.kind) {
    case 'location': {
      const base: Array<[string, string | undefined]> = [['id', c.id], ['rsc', c.rsc], ['role', c.role]];
      if ('rule' in c) {
        return traced(c, {
          name: 'rsc_location',
          attrs: [...base, ['resource-discovery', c.resourceDiscovery]],
          children: [rule(ctx, c.id, c.rule)],
        });
      }
      return traced(c, {
        name: 'rsc_location',
        attrs: [...base, ['node', c.node], ['score', scoreText(c.score)], ['resource-discovery', c.resourceDiscovery]],
      });
    }
    case 'colocation':
      return traced(c, {
        name: 'rsc_colocation',
        attrs: [
          ['id', c.id],
          ['rsc', c.rsc],
          ['rsc-role', c.rscRole],
          ['with-rsc', c.withRsc],
          ['with-rsc-role', c.withRscRole],
          ['score', scoreText(c.score)],
        ],
      });
    case 'order':
      return traced(c, {
        name: 'rsc_order',
        attrs: [
          ['id', c.id],
          ['first', c.first],
          ['first-action', c.firstAction],
          ['then', c.then],
          ['then-action', c.thenAction],
          ['kind', c.orderKind],
          ['symmetrical', c.symmetrical === undefined ? undefined : String(c.symmetrical)],
        ],
      });
  }
}

function node(ctx: Ctx, n: ClusterNode): XmlNode[] {
  return traced(n, {
    name: 'node',
    attrs: [['id', String(n.nodeId)], ['uname', n.name], ['description', n.description]],
    // crm_attribute names a node's permanent attribute set `nodes-<nodeid>`.
    children: nvset(ctx, 'instance_attributes', `nodes-${n.nodeId}`, n.attributes),
  });
}

function alert(ctx: Ctx, a: Alert): XmlNode[] {
  return traced(a, {
    name: 'alert',
    attrs: [['id', a.id], ['path', a.path], ['description', a.description]],
    children: [
      ...nvset(ctx, 'meta_attributes', `${a.id}-meta_attributes`, a.metaAttributes),
      ...nvset(ctx, 'instance_attributes', `${a.id}-instance_attributes`, a.instanceAttributes),
      ...(a.recipients ?? []).flatMap((r) =>
        traced(r, {
          name: 'recipient',
          attrs: [['id', r.id], ['value', r.value], ['description', r.description]],
          children: [
            ...nvset(ctx, 'meta_attributes', `${r.id}-meta_attributes`, r.metaAttributes),
            ...nvset(ctx, 'instance_attributes', `${r.id}-instance_attributes`, r.instanceAttributes),
          ],
        }),
      ),
    ],
  });
}

/** The `<configuration>` element as a tree (for callers that embed it). */
export function configurationElement(model: ClusterModel): XmlElement {
  const ctx = new Ctx(model);
  const cib = model.cib;
  const children: XmlNode[] = [
    { name: 'crm_config', children: nvset(ctx, 'cluster_property_set', 'cib-bootstrap-options', cib.properties, true) },
    { name: 'nodes', children: model.nodes.flatMap((n) => node(ctx, n)) },
    { name: 'resources', children: cib.resources.flatMap((r) => resource(ctx, r)) },
    { name: 'constraints', children: cib.constraints.flatMap((c) => constraint(ctx, c)) },
  ];
  if (cib.rscDefaults?.length) {
    children.push({ name: 'rsc_defaults', children: nvset(ctx, 'meta_attributes', 'rsc_defaults-meta_attributes', cib.rscDefaults, true) });
  }
  if (cib.opDefaults?.length) {
    children.push({ name: 'op_defaults', children: nvset(ctx, 'meta_attributes', 'op_defaults-meta_attributes', cib.opDefaults, true) });
  }
  if (cib.alerts?.length) children.push({ name: 'alerts', children: cib.alerts.flatMap((a) => alert(ctx, a)) });
  return { name: 'configuration', children };
}

/** The `<configuration>` section as text, two-space indented, ending in a newline. */
export function emitConfiguration(model: ClusterModel): string {
  return renderXml([configurationElement(model)]);
}

/** A whole CIB with an empty `<status/>`, ready for `crm_verify --xml-file` and `crm_simulate`. */
export function emitCib(model: ClusterModel, options: CibOptions = {}): string {
  const root: XmlElement = {
    name: 'cib',
    attrs: [
      ['validate-with', options.validateWith ?? 'pacemaker-3.9'],
      ['epoch', String(options.epoch ?? 1)],
      ['num_updates', '0'],
      ['admin_epoch', String(options.adminEpoch ?? 0)],
    ],
    children: [configurationElement(model), { name: 'status' }],
  };
  return renderXml([root]);
}

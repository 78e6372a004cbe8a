/**
 * Structural checks of a ClusterModel, before anything is emitted. Like pcs's
 * validators they return report items instead of throwing, so a caller can
 * show all of them at once. What Pacemaker itself checks (agent parameters,
 * schema) is proven later with the real tools; this catches what would make
 * the emitters write something meaningless (dangling references, duplicate ids).
 */
import { isValidId } from './ids.js';
import type { ClusterModel, NvPair, SourceRef } from './model.js';
import { allResources } from './walk.js';

/** One finding. `code` is stable; `message` is derived from it and the payload. */
export interface ModelProblem {
  severity: 'error' | 'warning';
  code:
    | 'invalid-id'
    | 'duplicate-id'
    | 'unknown-resource'
    | 'duplicate-attribute'
    | 'no-monitor'
    | 'rule-score'
    | 'empty-rule'
    | 'duplicate-node'
    | 'link-count'
    | 'pcs-unsafe-value'
    | 'value-mangled';
  message: string;
  source?: SourceRef;
}

/** Every problem found in `model`, in model order. An empty list means emit-ready. */
export function validateModel(model: ClusterModel): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const add = (severity: ModelProblem['severity'], code: ModelProblem['code'], message: string, source?: SourceRef): void => {
    problems.push(source ? { severity, code, message, source } : { severity, code, message });
  };

  const ids = new Set<string>();
  const claim = (id: string, source?: SourceRef): void => {
    if (!isValidId(id)) add('error', 'invalid-id', `"${id}" is not a valid CIB id`, source);
    if (ids.has(id)) add('error', 'duplicate-id', `id "${id}" is used twice`, source);
    ids.add(id);
  };
  const attrs = (owner: string, list: NvPair[] | undefined): void => {
    const seen = new Set<string>();
    for (const nv of list ?? []) {
      if (seen.has(nv.name)) add('error', 'duplicate-attribute', `${owner}: attribute "${nv.name}" is set twice`, nv.source);
      // Seen with cibadmin 2.1.5: Pacemaker's XML writer stores a newline as
      // the two characters \n and a tab as four spaces, so the value changes.
      if (/[\n\r\t]/.test(nv.value)) {
        add('warning', 'value-mangled', `${owner}: attribute "${nv.name}" contains a newline or tab, which Pacemaker stores as \\n or spaces`, nv.source);
      }
      seen.add(nv.name);
    }
  };

  const resources = allResources(model.cib.resources);
  for (const r of resources) {
    claim(r.id, r.source);
    attrs(r.id, r.metaAttributes);
    if (r.kind === 'primitive') {
      attrs(r.id, r.instanceAttributes);
      if (!(r.operations ?? []).some((op) => op.name === 'monitor')) {
        add('warning', 'no-monitor', `${r.id} has no monitor operation: Pacemaker will not notice it failing, and pcs adds one of its own`, r.source);
      }
    }
  }
  const known = new Set(resources.map((r) => r.id));
  const ref = (owner: string, id: string, source?: SourceRef): void => {
    if (!known.has(id)) add('error', 'unknown-resource', `${owner} refers to unknown resource "${id}"`, source);
  };
  for (const c of model.cib.constraints) {
    claim(c.id, c.source);
    if (c.kind === 'location') {
      ref(c.id, c.rsc, c.source);
      if ('rule' in c) {
        if (c.rule.id) claim(c.rule.id, c.source);
        if ((c.rule.score === undefined) === (c.rule.scoreAttribute === undefined)) {
          add('error', 'rule-score', `${c.id}: a rule needs exactly one of score and scoreAttribute`, c.source);
        }
        if (c.rule.expressions.length === 0) add('error', 'empty-rule', `${c.id}: the rule has no expressions`, c.source);
      }
    } else if (c.kind === 'colocation') {
      ref(c.id, c.rsc, c.source);
      ref(c.id, c.withRsc, c.source);
    } else {
      ref(c.id, c.first, c.source);
      ref(c.id, c.then, c.source);
    }
  }
  for (const a of model.cib.alerts ?? []) {
    claim(a.id, a.source);
    for (const r of a.recipients ?? []) {
      claim(r.id, r.source);
      // pcs 0.11.5 builds an XPath from the value to check uniqueness, and crashes on quotes.
      if (/["']/.test(r.value)) add('warning', 'pcs-unsafe-value', `alert recipient ${r.id}: pcs 0.11 cannot add a value containing a quote`, r.source);
    }
  }
  attrs('cluster properties', model.cib.properties);
  attrs('rsc_defaults', model.cib.rscDefaults);
  attrs('op_defaults', model.cib.opDefaults);

  const names = new Set<string>();
  const nodeIds = new Set<number>();
  const links = model.nodes[0]?.addresses.length ?? 0;
  for (const n of model.nodes) {
    if (names.has(n.name) || nodeIds.has(n.nodeId)) add('error', 'duplicate-node', `node ${n.name} (nodeid ${n.nodeId}) is listed twice`, n.source);
    names.add(n.name);
    nodeIds.add(n.nodeId);
    if (n.addresses.length !== links) add('error', 'link-count', `node ${n.name} has ${n.addresses.length} addresses, the first node ${links}: corosync needs the same number on every node`, n.source);
    attrs(`node ${n.name}`, n.attributes);
  }
  return problems;
}

/**
 * Compare two CIB configurations the way Pacemaker reads them, not the way
 * they are spelled. Two configurations built by different routes (our XML,
 * pcs commands, crmsh) differ in ways Pacemaker ignores: element order outside
 * groups, ids that the tools generate for nvpairs, operations and rule
 * expressions, descriptions and comments, attributes written out at their
 * default value (`rsc-role="Started"`, `kind="Mandatory"`). Both sides are
 * flattened into `path → value` facts with those differences normalised away;
 * the facts that differ are the differences. Pure: no I/O.
 */
import { parseXml, findElement, type XmlTree } from './xml.js';

/** One difference, phrased from `a`'s point of view. */
export interface ConfigDifference {
  /** e.g. `resources/group[g1]/primitive[vip]/instance_attributes/ip`. */
  path: string;
  kind: 'only-in-a' | 'only-in-b' | 'changed';
  a?: string;
  b?: string;
}

/** Render a difference as one line for a test failure or a report. */
export function formatDifference(d: ConfigDifference): string {
  if (d.kind === 'only-in-a') return `${d.path}: only in a (${JSON.stringify(d.a)})`;
  if (d.kind === 'only-in-b') return `${d.path}: only in b (${JSON.stringify(d.b)})`;
  return `${d.path}: a has ${JSON.stringify(d.a)}, b has ${JSON.stringify(d.b)}`;
}

// Elements whose ids the tools generate as they please: compared by content.
// (crmsh names alert recipients itself; a recipient is what it is by its value.)
const ANONYMOUS = new Set(['nvpair', 'op', 'expression', 'recipient', 'instance_attributes', 'meta_attributes', 'utilization', 'cluster_property_set']);
const NVSETS = new Set(['instance_attributes', 'meta_attributes', 'utilization', 'cluster_property_set']);

/** Attributes at their default value, which Pacemaker treats as absent. */
function dropDefaults(el: XmlTree): Record<string, string> {
  const a = { ...el.attrs };
  delete a.description;
  const drop = (k: string, v: string): void => {
    if (a[k] === v) delete a[k];
  };
  switch (el.name) {
    case 'rsc_colocation':
      drop('rsc-role', 'Started');
      drop('with-rsc-role', 'Started');
      break;
    case 'rsc_location':
      drop('role', 'Started');
      break;
    case 'rsc_order':
      drop('first-action', 'start');
      drop('then-action', el.attrs['first-action'] ?? 'start');
      drop('kind', 'Mandatory');
      if (el.attrs.kind !== 'Serialize') drop('symmetrical', 'true');
      break;
    case 'rule':
      drop('boolean-op', 'and');
      break;
  }
  return a;
}

function segment(el: XmlTree): string {
  const a = el.attrs;
  switch (el.name) {
    case 'op':
      return `op[${a.name}/${a.interval}${a.role ? `/${a.role}` : ''}]`;
    case 'recipient':
      return `recipient[${a.value}]`;
    case 'expression':
      return `expression[${[a.attribute, a.operation, a.type, a.value].filter((x) => x !== undefined).join(' ')}]`;
    default:
      return !ANONYMOUS.has(el.name) && a.id !== undefined ? `${el.name}[${a.id}]` : el.name;
  }
}

function flatten(el: XmlTree, path: string, facts: Map<string, string>): void {
  facts.set(path, '');
  if (NVSETS.has(el.name)) {
    // Several sets of one kind act as one (their order decides only conflicts, which we do not write).
    for (const nv of el.children) if (nv.name === 'nvpair') facts.set(`${path}/${nv.attrs.name}`, nv.attrs.value ?? '');
    return;
  }
  for (const [k, v] of Object.entries(dropDefaults(el))) {
    if (k === 'id' && (ANONYMOUS.has(el.name) || path.endsWith(`[${v}]`))) continue;
    facts.set(`${path}@${k}`, v);
  }
  // Within a group, member order is start order; everywhere else order is not meaningful.
  if (el.name === 'group') {
    facts.set(`${path}#members`, el.children.filter((c) => c.name === 'primitive').map((c) => c.attrs.id).join(','));
  }
  for (const child of el.children) {
    // pcs writes an empty <operations/> and empty sets at times; absence means the same.
    if (child.children.length === 0 && (child.name === 'operations' || NVSETS.has(child.name))) continue;
    flatten(child, `${path}/${segment(child)}`, facts);
  }
}

function facts(xml: string, label: string): Map<string, string> | ConfigDifference {
  const tree = parseXml(xml);
  if ('error' in tree) return { path: label, kind: 'changed', a: label, b: `unparsable: ${tree.error}` };
  const conf = findElement(tree, 'configuration');
  if (!conf) return { path: label, kind: 'changed', a: label, b: 'no <configuration> element' };
  const out = new Map<string, string>();
  for (const section of conf.children) flatten(section, segment(section), out);
  return out;
}

/**
 * The differences between two CIBs' configuration sections (each given as a
 * whole CIB or just `<configuration>`), sorted by path. Empty means Pacemaker
 * would read them as the same configuration. A document that cannot be
 * parsed is reported as one difference, not thrown.
 */
export function compareConfigurations(a: string, b: string): ConfigDifference[] {
  const fa = facts(a, 'a');
  const fb = facts(b, 'b');
  if (!(fa instanceof Map)) return [fa];
  if (!(fb instanceof Map)) return [fb];
  const diffs: ConfigDifference[] = [];
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  for (const path of keys) {
    const va = fa.get(path);
    const vb = fb.get(path);
    if (va === vb) continue;
    if (vb === undefined) diffs.push({ path, kind: 'only-in-a', a: va });
    else if (va === undefined) diffs.push({ path, kind: 'only-in-b', b: vb });
    else diffs.push({ path, kind: 'changed', a: va, b: vb });
  }
  // An element missing on one side shows once, not once per attribute below it.
  return diffs.filter(
    (d) => d.kind === 'changed' || !diffs.some((p) => p !== d && p.kind === d.kind && d.path.startsWith(p.path) && /^[/@#]/.test(d.path.slice(p.path.length))),
  );
}

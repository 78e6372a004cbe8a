/**
 * Pure edits of CIB XML text for the push and its inverse: the plan's
 * resources, constraints and cluster options merged into the live CIB read
 * at that moment (so whatever else the cluster holds is kept), temporary
 * location preferences for the current VIP holders, and the removal of
 * exactly what was added. The executor turns the result into one
 * `crm_diff` patch, applied with one `cibadmin --patch`: one atomic change.
 *
 * A small scanner rather than a DOM round trip: the live CIB's text outside
 * the edited sections stays byte for byte as Pacemaker wrote it, so the
 * patch holds only our change.
 */

/** A direct child element of a CIB section. */
export interface Element {
  tag: string;
  id: string;
  /** Its text, from `<` to the end of its closing tag. */
  xml: string;
  start: number;
  end: number;
}

/** End (exclusive) of the tag starting at `i` (a `<`), honouring quoted attribute values. */
function tagEnd(text: string, i: number): number {
  let q: string | null = null;
  for (let k = i + 1; k < text.length; k++) {
    const c = text[k];
    if (q) {
      if (c === q) q = null;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '>') return k + 1;
  }
  throw new Error('unterminated tag in CIB XML');
}

/** End (exclusive) of the element whose start tag begins at `i`. */
function elementEnd(text: string, i: number): number {
  let depth = 0;
  let k = i;
  while (k < text.length) {
    const lt = text.indexOf('<', k);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      k = text.indexOf('-->', lt) + 3;
      continue;
    }
    const e = tagEnd(text, lt);
    const tag = text.slice(lt, e);
    if (tag.startsWith('</')) depth--;
    else if (!tag.startsWith('<?') && !tag.endsWith('/>')) depth++;
    k = e;
    if (depth === 0) return e;
  }
  throw new Error('unbalanced CIB XML');
}

/** The open tag's name and id attribute. */
function nameAndId(tag: string): { tag: string; id: string } {
  const name = /^<([A-Za-z_][\w.-]*)/.exec(tag)?.[1] ?? '';
  const id = /\sid\s*=\s*(["'])(.*?)\1/.exec(tag)?.[2] ?? '';
  return { tag: name, id };
}

/** Where a section's children live: [start of content, end of content], or the self-closing tag. */
function section(text: string, name: string): { open: number; contentStart: number; contentEnd: number; selfClosing: boolean } | undefined {
  const m = new RegExp(`<${name}(\\s[^>]*)?/?>`).exec(text);
  if (!m) return undefined;
  const open = m.index;
  const te = tagEnd(text, open);
  if (text.slice(open, te).endsWith('/>')) return { open, contentStart: te, contentEnd: te, selfClosing: true };
  const close = elementEnd(text, open);
  return { open, contentStart: te, contentEnd: close - `</${name}>`.length, selfClosing: false };
}

/** Direct child elements of a section (comments skipped). */
export function children(text: string, name: string): Element[] {
  const s = section(text, name);
  if (!s || s.selfClosing) return [];
  const out: Element[] = [];
  let k = s.contentStart;
  while (k < s.contentEnd) {
    const lt = text.indexOf('<', k);
    if (lt < 0 || lt >= s.contentEnd) break;
    if (text.startsWith('<!--', lt)) {
      k = text.indexOf('-->', lt) + 3;
      continue;
    }
    const end = elementEnd(text, lt);
    const { tag, id } = nameAndId(text.slice(lt, tagEnd(text, lt)));
    out.push({ tag, id, xml: text.slice(lt, end), start: lt, end });
    k = end;
  }
  return out;
}

/** admin_epoch:epoch of a CIB, e.g. "0:12". */
export function cibEpoch(cib: string): string | null {
  const open = /<cib\s[^>]*>/.exec(cib)?.[0];
  if (!open) return null;
  const a = /\sadmin_epoch="(\d+)"/.exec(open)?.[1] ?? '0';
  const e = /\sepoch="(\d+)"/.exec(open)?.[1];
  return e === undefined ? null : `${a}:${e}`;
}

/** Insert `xml` (several elements) as the last children of section `name`, opening it if self-closing. */
function appendTo(text: string, name: string, xml: string): string {
  if (!xml) return text;
  const s = section(text, name);
  if (!s) throw new Error(`the CIB has no <${name}> section`);
  if (s.selfClosing) {
    const openTag = text.slice(s.open, s.contentStart).replace(/\s*\/>$/, '>');
    return text.slice(0, s.open) + openTag + xml + `</${name}>` + text.slice(s.contentStart);
  }
  return text.slice(0, s.contentEnd) + xml + text.slice(s.contentEnd);
}

/** What the push adds: the plan's resources, constraints and bootstrap options, by id. */
export interface PlanCib {
  resources: Element[];
  constraints: Element[];
  /** nvpairs of cib-bootstrap-options. */
  options: { id: string; name: string; value: string; xml: string }[];
}

export function planCib(cibXml: string): PlanCib {
  const props = children(cibXml, 'crm_config').find((e) => e.id === 'cib-bootstrap-options');
  const options = props
    ? children(props.xml, 'cluster_property_set').map((e) => ({
        id: e.id,
        name: /\sname="([^"]*)"/.exec(e.xml)?.[1] ?? '',
        value: /\svalue="([^"]*)"/.exec(e.xml)?.[1] ?? '',
        xml: e.xml,
      }))
    : [];
  return { resources: children(cibXml, 'resources'), constraints: children(cibXml, 'constraints'), options };
}

/** A location preference that keeps a group on the node holding its VIP now. */
export function preferXml(p: { constraintId: string; rsc: string; node: string }): string {
  return `<rsc_location id="${p.constraintId}" rsc="${p.rsc}" node="${p.node}" score="INFINITY"/>`;
}

/** The adoption's ban: the group may run on the node holding its VIP now and nowhere else. */
export function onlyXml(p: { only: string; rsc: string; node: string }): string {
  return `<rsc_location id="${p.only}" rsc="${p.rsc}"><rule id="${p.only}-rule" score="-INFINITY"><expression id="${p.only}-expr" attribute="#uname" operation="ne" value="${p.node}"/></rule></rsc_location>`;
}

/** Ids of the plan that the live CIB already has (a resource or constraint of the same id). */
export function clashes(live: string, plan: PlanCib): string[] {
  const have = new Set([...children(live, 'resources'), ...children(live, 'constraints')].map((e) => e.id));
  return [...plan.resources, ...plan.constraints].map((e) => e.id).filter((id) => have.has(id));
}

/**
 * The live CIB with the plan's configuration added: resources and constraints
 * appended, the preferences for the current holders among the constraints,
 * cluster options set (an existing nvpair of the same name is replaced).
 */
export function mergeCib(live: string, plan: PlanCib, prefer: { constraintId: string; rsc: string; node: string; only?: string }[]): string {
  let out = live;
  const props = children(out, 'crm_config').find((e) => e.id === 'cib-bootstrap-options');
  if (props) {
    let block = props.xml;
    for (const o of plan.options) {
      const existing = children(block, 'cluster_property_set').find((e) => /\sname="([^"]*)"/.exec(e.xml)?.[1] === o.name);
      block = existing ? block.slice(0, existing.start) + o.xml + block.slice(existing.end) : appendTo(block, 'cluster_property_set', o.xml);
    }
    out = out.slice(0, props.start) + block + out.slice(props.end);
  } else if (plan.options.length) {
    out = appendTo(out, 'crm_config', `<cluster_property_set id="cib-bootstrap-options">${plan.options.map((o) => o.xml).join('')}</cluster_property_set>`);
  }
  out = appendTo(out, 'resources', plan.resources.map((e) => e.xml).join(''));
  out = appendTo(out, 'constraints', [...plan.constraints.map((e) => e.xml), ...prefer.flatMap((p) => (p.only ? [preferXml(p), onlyXml({ ...p, only: p.only })] : [preferXml(p)]))].join(''));
  return out;
}

/** The live CIB without the resources and constraints whose ids are given (and any constraint naming a removed resource). */
export function removeFromCib(live: string, ids: ReadonlySet<string>): string {
  let out = live;
  for (const name of ['constraints', 'resources']) {
    const drop = children(out, name)
      .filter((e) => ids.has(e.id) || (name === 'constraints' && [...e.xml.matchAll(/\s(?:rsc|with-rsc|first|then)="([^"]*)"/g)].some((m) => ids.has(m[1]))))
      .sort((a, b) => b.start - a.start);
    for (const e of drop) out = out.slice(0, e.start) + out.slice(e.end);
  }
  return out;
}

/** Ids of the plan's top-level resources and constraints (what the push adds). */
export function addedIds(plan: PlanCib): string[] {
  return [...plan.resources, ...plan.constraints].map((e) => e.id);
}

/** Whether the CIB has an element with this id anywhere (quick check used by the idempotence checks). */
export function hasId(cib: string, id: string): boolean {
  return cib.includes(`id="${id}"`);
}

/**
 * A crmsh configure script (`crm configure load update FILE`) for the same
 * configuration. Known differences from the CIB emitter, both crmsh 4.4's:
 * alert recipients get ids crmsh chooses, and `integer` comparisons in rules
 * are written as `number` (crmsh does not know `integer`). crmsh keeps `#` comment lines that precede an element as XML
 * comments in the CIB, so provenance survives the load. Ids match `emitCib`
 * where crmsh lets us name them.
 */
import { agentName } from '../pcmk/build.js';
import type { ClusterModel, Constraint, NvPair, Operation, Primitive, Resource, Traced } from '../pcmk/model.js';
import { scoreText } from './cib.js';
import { oneLine, sameSource, sourceNote } from './provenance.js';
import { crmshRuleText } from './rules.js';
import { escapeComment } from './xml.js';

const PLAIN = /^[A-Za-z0-9_@%+:,./#-]+$/;

/**
 * Quote a value for crmsh, whose lexer follows POSIX shell rules: bare when
 * plainly safe, otherwise double quotes with `\` before `"` and `\` (the only escapes
 * inside double quotes for Python's shlex, which crmsh uses).
 * Newlines cannot be carried (a crmsh line ends at one), so they become spaces.
 */
export function crmshQuote(value: string): string {
  if (value !== '' && PLAIN.test(value)) return value;
  // eslint-disable-next-line no-control-regex
  const oneLineValue = value.replace(/[\r\n\u0000]+/g, ' ');
  return `"${oneLineValue.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const kv = (pairs: NvPair[] | undefined): string =>
  (pairs ?? []).map((nv) => `${nv.name}=${crmshQuote(nv.value)}`).join(' ');

/**
 * crmsh stores comments as XML comments and refuses `--` or a trailing `-`
 * in them (it trims the blank that escapeComment leaves after a final `-`).
 */
const crmshComment = (text: string): string => `# ${escapeComment(text).replace(/[\s-]+$/, '')}`;

function comments(t: Traced, attrs: Array<NvPair[] | undefined> = []): string[] {
  const out: string[] = [];
  if (t.source) out.push(crmshComment(sourceNote(t.source)));
  for (const nv of attrs.flatMap((a) => a ?? [])) {
    if (nv.source && !sameSource(nv.source, t.source)) out.push(crmshComment(`${oneLine(nv.name)}: ${sourceNote(nv.source)}`));
  }
  return out;
}

/** Join the non-empty parts of a statement with continuation lines. */
function statement(head: string, parts: string[]): string {
  return [head, ...parts.filter((p) => p !== '').map((p) => `\t${p}`)].join(' \\\n');
}

function op(o: Operation): string {
  const attrs: NvPair[] = [{ name: 'interval', value: o.interval }];
  if (o.timeout !== undefined) attrs.push({ name: 'timeout', value: o.timeout });
  if (o.role !== undefined) attrs.push({ name: 'role', value: o.role });
  if (o.onFail !== undefined) attrs.push({ name: 'on-fail', value: o.onFail });
  return `op ${o.name} ${kv([...attrs, ...(o.options ?? [])])}`;
}

function primitive(p: Primitive): string[] {
  const desc = p.description !== undefined ? ` description=${crmshQuote(p.description)}` : '';
  return [
    ...comments(p, [p.instanceAttributes, p.metaAttributes]),
    statement(`primitive ${p.id} ${agentName(p.agent)}${desc}`, [
      p.instanceAttributes?.length ? `params ${kv(p.instanceAttributes)}` : '',
      p.metaAttributes?.length ? `meta ${kv(p.metaAttributes)}` : '',
      ...(p.operations ?? []).map(op),
    ]),
  ];
}

function resource(r: Resource): string[] {
  const desc = r.description !== undefined ? ` description=${crmshQuote(r.description)}` : '';
  switch (r.kind) {
    case 'primitive':
      return primitive(r);
    case 'group':
      return [
        ...r.members.flatMap(primitive),
        ...comments(r, [r.metaAttributes]),
        statement(`group ${r.id} ${r.members.map((m) => m.id).join(' ')}${desc}`, [r.metaAttributes?.length ? `meta ${kv(r.metaAttributes)}` : '']),
      ];
    case 'clone': {
      const meta = r.promotable ? [{ name: 'promotable', value: 'true' }, ...(r.metaAttributes ?? [])] : (r.metaAttributes ?? []);
      return [
        ...resource(r.child),
        ...comments(r, [r.metaAttributes]),
        statement(`clone ${r.id} ${r.child.id}${desc}`, [meta.length ? `meta ${kv(meta)}` : '']),
      ];
    }
  }
}

const withRole = (id: string, role: string | undefined): string => (role ? `${id}:${role}` : id);
const withAction = (id: string, action: string | undefined): string => (action ? `${id}:${action}` : id);

function constraint(c: Constraint): string[] {
  const head = comments(c);
  switch (c.kind) {
    case 'location': {
      const role = c.role ? ` role=${c.role}` : '';
      const discovery = c.resourceDiscovery ? ` resource-discovery=${c.resourceDiscovery}` : '';
      if ('rule' in c) {
        const r = c.rule;
        const id = r.id ? ` $id=${r.id}` : '';
        const score = r.scoreAttribute !== undefined ? `${r.scoreAttribute}:` : `${scoreText(r.score ?? 'INFINITY')}:`;
        return [...head, `location ${c.id} ${c.rsc}${discovery} rule${id}${role ? ` $role=${c.role}` : ''} ${score} ${crmshRuleText(r, crmshQuote)}`];
      }
      return [...head, `location ${c.id} ${c.rsc}${role}${discovery} ${scoreText(c.score)}: ${c.node}`];
    }
    case 'colocation':
      return [...head, `colocation ${c.id} ${scoreText(c.score)}: ${withRole(c.rsc, c.rscRole)} ${withRole(c.withRsc, c.withRscRole)}`];
    case 'order': {
      const sym = c.symmetrical !== undefined ? ` symmetrical=${c.symmetrical}` : '';
      return [...head, `order ${c.id} ${c.orderKind ?? 'Mandatory'}: ${withAction(c.first, c.firstAction)} ${withAction(c.then, c.thenAction)}${sym}`];
    }
  }
}

/** The crmsh configure script, deterministic, ending in a newline. */
export function emitCrmshScript(model: ClusterModel): string {
  const cib = model.cib;
  const blocks: string[][] = [[`# Pacemaker configuration for cluster ${oneLine(model.name)}, generated by ka2pcmk.`]];
  if (cib.properties?.length) blocks.push([...comments({}, [cib.properties]), `property cib-bootstrap-options: ${kv(cib.properties)}`]);
  for (const n of model.nodes) {
    if (n.attributes?.length) blocks.push([...comments(n, [n.attributes]), `node ${n.nodeId}: ${n.name} attributes ${kv(n.attributes)}`]);
  }
  if (cib.rscDefaults?.length) blocks.push([...comments({}, [cib.rscDefaults]), `rsc_defaults rsc_defaults-meta_attributes: ${kv(cib.rscDefaults)}`]);
  if (cib.opDefaults?.length) blocks.push([...comments({}, [cib.opDefaults]), `op_defaults op_defaults-meta_attributes: ${kv(cib.opDefaults)}`]);
  for (const r of cib.resources) blocks.push(resource(r));
  for (const c of cib.constraints) blocks.push(constraint(c));
  for (const a of cib.alerts ?? []) {
    const desc = a.description !== undefined ? ` description=${crmshQuote(a.description)}` : '';
    const to = (a.recipients ?? []).map((r) => {
      const inner = [crmshQuote(r.value), r.instanceAttributes?.length ? `attributes ${kv(r.instanceAttributes)}` : '', r.metaAttributes?.length ? `meta ${kv(r.metaAttributes)}` : '']
        .filter((s) => s !== '')
        .join(' ');
      return `to { ${inner} }`;
    });
    blocks.push([
      ...comments(a, [a.instanceAttributes, a.metaAttributes]),
      statement(`alert ${a.id} ${crmshQuote(a.path)}${desc}`, [
        a.instanceAttributes?.length ? `attributes ${kv(a.instanceAttributes)}` : '',
        a.metaAttributes?.length ? `meta ${kv(a.metaAttributes)}` : '',
        ...to,
      ]),
    ]);
  }
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}

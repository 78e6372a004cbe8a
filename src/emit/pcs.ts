/**
 * A pcs script that builds the configuration offline and pushes it in one
 * step, the way operators do it by hand:
 *
 *     pcs cluster cib orig.xml; cp orig.xml new.xml
 *     pcs -f new.xml ...          (nothing on the cluster changes yet)
 *     pcs cluster cib-push new.xml diff-against=orig.xml
 *
 * The commands are data first (`pcsCommands`: argv words after `pcs -f FILE`)
 * and text second (`emitPcsScript`), where every word passes through
 * `shellQuote`. Ids are given explicitly wherever pcs allows, so the result
 * matches `emitCib` element by element; `--no-default-ops` keeps pcs from
 * adding operations the model does not have.
 */
import { agentName } from '../pcmk/build.js';
import type { ClusterModel, NvPair, Operation, Primitive, Resource, Traced } from '../pcmk/model.js';
import { scoreText } from './cib.js';
import { oneLine, sameSource, sourceNote } from './provenance.js';
import { pcsRuleWords } from './rules.js';
import { shellCommand } from './shell.js';

/** One pcs invocation: its words after `pcs -f FILE`, split into lines for readability. */
export interface PcsCommand {
  /** Comment lines (without `# `) naming where the parts came from. */
  comments: string[];
  /** Word groups; each group is one line of the script. `argv` is their concatenation. */
  lines: string[][];
}

/** The argv of a command, after `pcs -f FILE`. */
export function pcsArgv(cmd: PcsCommand): string[] {
  return cmd.lines.flat();
}

const kv = (pairs: NvPair[] | undefined): string[] => (pairs ?? []).map((nv) => `${nv.name}=${nv.value}`);

/** Provenance comments of an element and of its traced attributes. */
function notes(t: Traced, attrs: Array<NvPair[] | undefined> = []): string[] {
  const out: string[] = [];
  if (t.source) out.push(sourceNote(t.source));
  if (t.description) out.push(oneLine(t.description));
  for (const nv of attrs.flatMap((a) => a ?? [])) if (nv.source && !sameSource(nv.source, t.source)) out.push(`${oneLine(nv.name)}: ${sourceNote(nv.source)}`);
  return out;
}

function opWords(o: Operation): string[] {
  const words = ['op', o.name, `interval=${o.interval}`];
  if (o.timeout !== undefined) words.push(`timeout=${o.timeout}`);
  if (o.role !== undefined) words.push(`role=${o.role}`);
  if (o.onFail !== undefined) words.push(`on-fail=${o.onFail}`);
  return [...words, ...kv(o.options)];
}

/** `resource create` for a primitive, with whatever ends the command (group, clone). */
function create(p: Primitive, tail: string[][], extraNotes: string[] = []): PcsCommand {
  const lines: string[][] = [['resource', 'create', p.id, agentName(p.agent)]];
  if (p.instanceAttributes?.length) lines.push(kv(p.instanceAttributes));
  for (const o of p.operations ?? []) lines.push(opWords(o));
  if (p.metaAttributes?.length) lines.push(['meta', ...kv(p.metaAttributes)]);
  lines.push(...tail, ['--no-default-ops']);
  const opNotes = (p.operations ?? []).flatMap((o) => (o.source ? [`op ${o.name}: ${sourceNote(o.source)}`] : []));
  return { comments: [...extraNotes, ...notes(p, [p.instanceAttributes, p.metaAttributes]), ...opNotes], lines };
}

function groupCommands(g: Extract<Resource, { kind: 'group' }>, groupNotes: string[]): PcsCommand[] {
  const cmds = g.members.map((m, i) => create(m, [['--group', g.id]], i === 0 ? groupNotes : []));
  if (g.metaAttributes?.length) {
    cmds.push({ comments: notes({}, [g.metaAttributes]), lines: [['resource', 'meta', g.id, ...kv(g.metaAttributes)]] });
  }
  return cmds;
}

function resourceCommands(r: Resource): PcsCommand[] {
  if (r.kind === 'primitive') return [create(r, [])];
  if (r.kind === 'group') return groupCommands(r, notes(r, [r.metaAttributes]));
  const how = r.promotable ? 'promotable' : 'clone';
  // pcs 0.11 takes clone meta attributes bare after the clone id; a `meta`
  // keyword there would give them to the primitive instead (pcs 0.12 wants `meta`).
  const meta = kv(r.metaAttributes);
  const cloneNotes = notes(r, [r.metaAttributes]);
  if (r.child.kind === 'primitive') return [create(r.child, [[how, r.id, ...meta]], cloneNotes)];
  // A group is built first, then cloned as a whole.
  return [
    ...groupCommands(r.child, notes(r.child, [r.child.metaAttributes])),
    { comments: cloneNotes, lines: [['resource', how, r.child.id, r.id, ...meta]] },
  ];
}

function constraintCommand(c: ClusterModel['cib']['constraints'][number]): PcsCommand {
  const comments = notes(c);
  switch (c.kind) {
    case 'location': {
      const discovery = c.resourceDiscovery ? [`resource-discovery=${c.resourceDiscovery}`] : [];
      if ('rule' in c) {
        const r = c.rule;
        const head = ['constraint', 'location', c.rsc, 'rule'];
        if (r.id) head.push(`id=${r.id}`);
        head.push(`constraint-id=${c.id}`, ...discovery);
        if (c.role) head.push(`role=${c.role}`);
        head.push(r.scoreAttribute !== undefined ? `score-attribute=${r.scoreAttribute}` : `score=${scoreText(r.score ?? 'INFINITY')}`);
        return { comments, lines: [head, pcsRuleWords(r)] };
      }
      if (c.role) {
        // `location add` has no role: say it with a rule on the node name instead.
        return {
          comments: [...comments, `pcs cannot give a role to a node preference, so this one is a rule on #uname`],
          lines: [
            ['constraint', 'location', c.rsc, 'rule', `constraint-id=${c.id}`, ...discovery, `role=${c.role}`, `score=${scoreText(c.score)}`],
            ['#uname', 'eq', c.node],
          ],
        };
      }
      return { comments, lines: [['constraint', 'location', 'add', c.id, c.rsc, c.node, scoreText(c.score), ...discovery]] };
    }
    case 'colocation': {
      const words = ['constraint', 'colocation', 'add'];
      if (c.rscRole) words.push(c.rscRole);
      words.push(c.rsc, 'with');
      if (c.withRscRole) words.push(c.withRscRole);
      words.push(c.withRsc, scoreText(c.score), `id=${c.id}`);
      return { comments, lines: [words] };
    }
    case 'order': {
      const words = ['constraint', 'order'];
      if (c.firstAction) words.push(c.firstAction);
      words.push(c.first, 'then');
      if (c.thenAction) words.push(c.thenAction);
      words.push(c.then);
      if (c.orderKind) words.push(`kind=${c.orderKind}`);
      if (c.symmetrical !== undefined) words.push(`symmetrical=${c.symmetrical}`);
      words.push(`id=${c.id}`);
      return { comments, lines: [words] };
    }
  }
}

/** Every pcs command, in the order the script runs them. */
export function pcsCommands(model: ClusterModel): PcsCommand[] {
  const cib = model.cib;
  const cmds: PcsCommand[] = [];
  if (cib.properties?.length) cmds.push({ comments: notes({}, [cib.properties]), lines: [['property', 'set', ...kv(cib.properties)]] });
  for (const n of model.nodes) {
    if (n.attributes?.length) cmds.push({ comments: notes(n, [n.attributes]), lines: [['node', 'attribute', n.name, ...kv(n.attributes)]] });
  }
  if (cib.rscDefaults?.length) {
    cmds.push({ comments: notes({}, [cib.rscDefaults]), lines: [['resource', 'defaults', 'update', ...kv(cib.rscDefaults)]] });
  }
  if (cib.opDefaults?.length) {
    cmds.push({ comments: notes({}, [cib.opDefaults]), lines: [['resource', 'op', 'defaults', 'update', ...kv(cib.opDefaults)]] });
  }
  for (const r of cib.resources) cmds.push(...resourceCommands(r));
  for (const c of cib.constraints) cmds.push(constraintCommand(c));
  for (const a of cib.alerts ?? []) {
    const lines: string[][] = [['alert', 'create', `path=${a.path}`, `id=${a.id}`]];
    if (a.description !== undefined) lines[0].push(`description=${a.description}`);
    if (a.instanceAttributes?.length) lines.push(['options', ...kv(a.instanceAttributes)]);
    if (a.metaAttributes?.length) lines.push(['meta', ...kv(a.metaAttributes)]);
    cmds.push({ comments: notes({ source: a.source }, [a.instanceAttributes, a.metaAttributes]), lines });
    for (const r of a.recipients ?? []) {
      const rl: string[][] = [['alert', 'recipient', 'add', a.id, `value=${r.value}`, `id=${r.id}`]];
      if (r.description !== undefined) rl[0].push(`description=${r.description}`);
      if (r.instanceAttributes?.length) rl.push(['options', ...kv(r.instanceAttributes)]);
      if (r.metaAttributes?.length) rl.push(['meta', ...kv(r.metaAttributes)]);
      cmds.push({ comments: notes({ source: r.source }, [r.instanceAttributes, r.metaAttributes]), lines: rl });
    }
  }
  return cmds;
}

/** Options for the script text. */
export interface PcsScriptOptions {
  /** Name of the working copy; default `new.xml`. */
  file?: string;
  /** Name of the pristine copy the push diffs against; default `orig.xml`. */
  orig?: string;
}

/** The whole bash script, deterministic, ending in a newline. */
export function emitPcsScript(model: ClusterModel, options: PcsScriptOptions = {}): string {
  const file = options.file ?? 'new.xml';
  const orig = options.orig ?? 'orig.xml';
  const out: string[] = [
    '#!/bin/bash',
    `# Pacemaker configuration for cluster ${oneLine(model.name)}, generated by ka2pcmk.`,
    '# Run on one cluster node. Nothing changes on the cluster before the final cib-push,',
    '# which applies only the difference to the CIB as it was when the script started.',
    'set -euo pipefail',
    '',
    shellCommand(['pcs', 'cluster', 'cib', orig]),
    shellCommand(['cp', orig, file]),
  ];
  for (const cmd of pcsCommands(model)) {
    out.push('');
    for (const c of cmd.comments) out.push(`# ${c}`);
    const lines = cmd.lines.map((words, i) => (i === 0 ? shellCommand(['pcs', '-f', file, ...words]) : `    ${shellCommand(words)}`));
    out.push(lines.join(' \\\n'));
  }
  out.push('', shellCommand(['pcs', 'cluster', 'cib-push', file, `diff-against=${orig}`]));
  return `${out.join('\n')}\n`;
}

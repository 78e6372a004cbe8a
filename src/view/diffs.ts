/**
 * What a migration changes, as unified diffs: per node its keepalived.conf
 * (left in place), /etc/corosync/corosync.conf and the services' enable
 * states; then the CIB's configuration section before and after. Pure and
 * deterministic: the same input gives the same text, which `analyze -o`
 * keeps as DIR/changes.diff (plain) and prints (coloured through Style).
 *
 * "Before" is what analyze --host found on each node; for a local analysis
 * nothing is known, so it is assumed (keepalived enabled, no corosync.conf,
 * no cluster) and every header says so. No secret is ever shown: the authkey
 * is only named.
 */
import { createTwoFilesPatch } from 'diff';
import type { Style } from '../ui/style.js';

export const COROSYNC_CONF = '/etc/corosync/corosync.conf';
export const AUTHKEY = '/etc/corosync/authkey';

/** What is known of a node before the migration. */
export interface NodeBefore {
  /** True when nothing was read from the node: the state is assumed. */
  assumed: boolean;
  keepalived: { enabled: boolean; active: boolean };
  /** The node's corosync.conf as read; null: absent; undefined: not read. */
  corosyncConf?: string | null;
  /** The cluster found on the node. */
  cluster: 'none' | 'stopped' | 'running';
}

export interface ChangesInput {
  /** Cluster node names, in the plan's order. */
  nodes: string[];
  /** Node → its keepalived configuration files (entry first), as shown. */
  keepalivedFiles: Record<string, string[]>;
  /** The plan's corosync.conf and configuration.xml. */
  corosyncConf: string;
  configuration: string;
  /** Shim agents the migration installs, as `ocf:PROVIDER:TYPE`. */
  shims: string[];
  /** Node → what is known before; a node missing here is assumed. */
  before: Record<string, NodeBefore>;
  /** The live CIB's configuration section and the node it was read from; undefined: no cluster. */
  cibBefore?: { node: string; configuration: string };
}

/** One part of the change set: a one-line note, or a unified diff (plain text, headers included). */
export type Change = { kind: 'note'; text: string } | { kind: 'diff'; text: string };

export interface ChangeSection {
  title: string;
  changes: Change[];
}

/** The state assumed of a node nothing was read from. */
export const ASSUMED: NodeBefore = { assumed: true, keepalived: { enabled: true, active: true }, corosyncConf: null, cluster: 'none' };

const nl = (t: string) => (t === '' || t.endsWith('\n') ? t : t + '\n');

/**
 * The diff of a file against nothing (or of nothing against a file): one
 * hunk, every line added (or removed), as jsdiff writes it. jsdiff takes
 * seconds for this on a CIB of 5,000 groups; test/unit/diffs-analyze.test.ts
 * checks that both give the same text.
 */
export function wholeFilePatch(oldName: string, newName: string, before: string, after: string, oldHeader: string, newHeader: string): string {
  const added = before === '';
  const lines = (added ? after : before).split('\n');
  lines.pop(); // the text ends with a newline
  const n = lines.length;
  const hunk = added ? `@@ -0,0 +1,${n} @@` : `@@ -1,${n} +0,0 @@`;
  const sign = added ? '+' : '-';
  return `--- ${oldName}\t${oldHeader}\n+++ ${newName}\t${newHeader}\n${hunk}\n${lines.map((l) => sign + l).join('\n')}\n`;
}

/** A unified diff with its two header lines, or undefined when nothing differs. */
export function unified(oldName: string, newName: string, before: string, after: string, oldHeader: string, newHeader: string): string | undefined {
  before = nl(before);
  after = nl(after);
  if (before === after) return undefined;
  if (before === '' || after === '') return wholeFilePatch(oldName, newName, before, after, oldHeader, newHeader);
  const patch = createTwoFilesPatch(oldName, newName, nl(before), nl(after), oldHeader, newHeader, { context: 3 });
  // Content lines carry a prefix (' ', '+', '-'): only jsdiff's own "Index:" and "====" lines match here.
  const lines = patch.split('\n').filter((l) => !/^=+$/.test(l) && !l.startsWith('Index: '));
  if (!lines.some((l) => l.startsWith('@@'))) return undefined;
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

const onOff = (b: boolean) => (b ? 'enabled' : 'disabled');

/** The per-node and CIB change sections. */
export function buildChanges(input: ChangesInput): ChangeSection[] {
  const sections: ChangeSection[] = [];
  const clusterExists = input.cibBefore !== undefined || input.nodes.some((n) => (input.before[n] ?? ASSUMED).cluster !== 'none');
  for (const node of input.nodes) {
    const b = input.before[node] ?? ASSUMED;
    const tag = b.assumed ? 'assumed' : 'as read';
    const changes: Change[] = [];
    const files = input.keepalivedFiles[node] ?? [];
    const more = files.length > 1 ? ` and ${files.length - 1} included file${files.length > 2 ? 's' : ''}` : '';
    changes.push({ kind: 'note', text: `keepalived.conf (${files[0] ?? 'keepalived.conf'}${more}): unchanged; migrate leaves it in place, backed up, and stops keepalived and disables it at boot` });

    // corosync.conf: written only when migrate bootstraps a new cluster.
    if (clusterExists) {
      changes.push({ kind: 'note', text: `${COROSYNC_CONF}: unchanged; a cluster exists, migrate keeps its corosync.conf` });
    } else if (b.corosyncConf === undefined) {
      changes.push({ kind: 'note', text: `${COROSYNC_CONF}: not read; migrate writes the plan's corosync.conf` });
      const d = unified(`${node}:${COROSYNC_CONF}`, `${node}:${COROSYNC_CONF}`, '', input.corosyncConf, '(before: not read)', '(after migrate)');
      if (d) changes.push({ kind: 'diff', text: d });
    } else {
      const d = unified(`${node}:${COROSYNC_CONF}`, `${node}:${COROSYNC_CONF}`, b.corosyncConf ?? '', input.corosyncConf, `(before, ${tag}: ${b.corosyncConf === null ? 'absent' : 'present'})`, '(after migrate)');
      changes.push(d ? { kind: 'diff', text: d } : { kind: 'note', text: `${COROSYNC_CONF}: unchanged (already the plan's)` });
    }

    // Enable states at boot. corosync's and pacemaker's are not read: with no cluster they are taken as disabled.
    const cluster = clusterExists ? 'enabled' : 'disabled';
    const before = [`keepalived: ${onOff(b.keepalived.enabled)}`, `corosync: ${cluster}`, `pacemaker: ${cluster}`];
    const after = ['keepalived: disabled', 'corosync: enabled', 'pacemaker: enabled'];
    const d = unified(`${node}:enable-states`, `${node}:enable-states`, before.join('\n'), after.join('\n'), `(before, ${b.assumed ? 'assumed' : "keepalived's as read, the cluster's assumed"})`, '(after migrate)');
    changes.push(d ? { kind: 'diff', text: d } : { kind: 'note', text: 'enable states: unchanged' });

    const also = [...(clusterExists ? [] : [`${AUTHKEY} (0400, one key for every node; never shown)`]), ...input.shims.map((s) => `${agentFile(s)} (shim agent)`)];
    if (also.length) changes.push({ kind: 'note', text: `also written: ${also.join(', ')}` });
    sections.push({ title: `${node} (before: ${b.assumed ? 'assumed: keepalived enabled and running, no corosync.conf, no cluster' : `as read: keepalived ${b.keepalived.active ? 'running' : 'stopped'}, ${onOff(b.keepalived.enabled)} at boot; cluster ${b.cluster}`})`, changes });
  }

  const cb = input.cibBefore;
  const allAssumed = input.nodes.every((n) => (input.before[n] ?? ASSUMED).assumed);
  const oldHeader = cb ? `(before: the live CIB, read on ${cb.node})` : `(before: ${allAssumed ? 'assumed: ' : ''}no cluster, empty)`;
  const d = unified('cib:configuration', 'cib:configuration', cb?.configuration ?? '', input.configuration, oldHeader, '(after migrate: configuration.xml)');
  sections.push({ title: 'CIB configuration', changes: [d ? { kind: 'diff', text: d } : { kind: 'note', text: 'CIB configuration: unchanged' }] });
  return sections;
}

function agentFile(shim: string): string {
  const [, provider, type] = shim.split(':');
  return `/usr/lib/ocf/resource.d/${provider}/${type}`;
}

/** Colours one unified diff: headers bold, hunk headers dim, added green, removed red. */
function colourDiff(text: string, style: Style): string {
  let inHunk = false;
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => {
      if (l.startsWith('@@')) {
        inHunk = true;
        return style.dim(l);
      }
      if (!inHunk) return style.bold(l);
      if (l.startsWith('+')) return style.added(l);
      if (l.startsWith('-')) return style.removed(l);
      return l;
    })
    .join('\n');
}

/** The change set as text: coloured through `style`, plain with the `plain` style (as written to changes.diff). */
export function renderChanges(sections: readonly ChangeSection[], style: Style): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push(style.bold(`# ${s.title}`));
    for (const c of s.changes) out.push(c.kind === 'note' ? `# ${c.text}` : colourDiff(c.text, style));
    out.push('');
  }
  return out.join('\n');
}

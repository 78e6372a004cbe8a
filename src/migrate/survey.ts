/**
 * The live state of the hosts, read (never changed) just before migrating:
 * who holds each VIP, keepalived and the cluster daemons running or enabled,
 * the checksums of the files the plan was made from, the CIB's epoch. It is
 * compared with the plan's preconditions (a stale plan is refused, naming
 * what changed) and written to the journal, where rollback finds the
 * original VIP holders and whether ka2pcmk created the cluster.
 */
import type { Runner } from '../exec/runner.js';
import { cibEpoch } from './cib.js';
import type { Preconditions } from './plan.js';
import type { NodeSurvey, Survey } from './types.js';

/** Parses `ip -o addr show` into addresses with prefix and device. */
export function parseAddresses(text: string): NodeSurvey['addresses'] {
  const out: NodeSurvey['addresses'] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+inet6?\s+([0-9A-Fa-f.:]+)\/(\d+)/.exec(line);
    if (m) out.push({ dev: m[1], address: m[2], prefix: Number(m[3]) });
  }
  return out;
}

/** Parses `sha256sum` output for the given paths (absent ones → null). */
export function parseSums(text: string, paths: readonly string[]): Record<string, string | null> {
  const got = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\\?([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m) got.set(m[2], m[1]);
  }
  return Object.fromEntries(paths.map((p) => [p, got.get(p) ?? null]));
}

async function unitState(runner: Runner, node: string, unit: string): Promise<{ active: boolean; enabled: boolean }> {
  const h = runner.host(node);
  const a = await h.run(['systemctl', 'is-active', unit]);
  const e = await h.run(['systemctl', 'is-enabled', unit]);
  return { active: a.stdout.trim() === 'active', enabled: e.stdout.trim() === 'enabled' };
}

/** Reads one node's state. `files` are the paths whose sha256 is wanted. */
export async function surveyNode(runner: Runner, node: string, files: readonly string[]): Promise<NodeSurvey> {
  const h = runner.host(node);
  const keepalived = await unitState(runner, node, 'keepalived');
  const corosync = await unitState(runner, node, 'corosync');
  const pacemaker = await unitState(runner, node, 'pacemaker');
  const configured = (await h.run(['test', '-e', '/etc/corosync/corosync.conf'])).code === 0;
  const addrs = await h.run(['ip', '-o', 'addr', 'show']);
  const sums = files.length ? await h.run(['sha256sum', '--', ...files]) : { stdout: '' };
  return { node, keepalived, corosync: { ...corosync, configured }, pacemaker, addresses: parseAddresses(addrs.stdout), files: parseSums(sums.stdout, files) };
}

/** Reads every node, and the CIB's epoch from the first node running pacemaker. */
export async function survey(runner: Runner, nodes: readonly string[], files: Record<string, string[]>, vips: readonly string[]): Promise<Survey> {
  const ns: NodeSurvey[] = [];
  for (const n of nodes) ns.push(await surveyNode(runner, n, files[n] ?? []));
  const holders = Object.fromEntries(vips.map((v) => [v, ns.filter((n) => n.addresses.some((a) => a.address === v)).map((n) => n.node)]));
  const pcmk = ns.find((n) => n.pacemaker.active);
  let epoch: string | null = null;
  if (pcmk) {
    const q = await runner.host(pcmk.node).run(['cibadmin', '--query']);
    if (q.code === 0) epoch = cibEpoch(q.stdout);
  }
  return { nodes: ns, holders, cibEpoch: epoch, clusterExisted: ns.some((n) => n.pacemaker.active || n.corosync.active) };
}

/** What differs between the plan's preconditions and the live state (empty: the plan is current). */
export function staleness(pre: Preconditions, s: Survey): string[] {
  const out: string[] = [];
  for (const [node, files] of Object.entries(pre.files)) {
    const live = s.nodes.find((n) => n.node === node);
    if (!live) continue;
    for (const [path, sum] of Object.entries(files)) {
      const now = live.files[path];
      if (now === undefined) continue;
      if (now !== sum) out.push(`${node}:${path}: ${sum === null ? 'did not exist at analysis, exists now' : now === null ? 'was read at analysis, is gone now' : `changed since analysis (sha256 ${sum.slice(0, 12)}… → ${now.slice(0, 12)}…)`}`);
    }
  }
  for (const [addr, was] of Object.entries(pre.holders)) {
    const now = s.holders[addr];
    if (now === undefined) continue;
    const a = [...was].sort().join(',');
    const b = [...now].sort().join(',');
    if (a !== b) out.push(`VIP ${addr}: held by ${a || 'no node'} at analysis, by ${b || 'no node'} now`);
  }
  for (const [node, was] of Object.entries(pre.keepalived)) {
    const live = s.nodes.find((n) => n.node === node)?.keepalived;
    if (!live) continue;
    if (was.active !== undefined && was.active !== live.active) out.push(`${node}: keepalived was ${was.active ? 'running' : 'stopped'} at analysis, is ${live.active ? 'running' : 'stopped'} now`);
    if (was.enabled !== undefined && was.enabled !== live.enabled) out.push(`${node}: keepalived was ${was.enabled ? 'enabled' : 'disabled'} at boot at analysis, is ${live.enabled ? 'enabled' : 'disabled'} now`);
  }
  if (pre.cibEpoch !== undefined && pre.cibEpoch !== s.cibEpoch) out.push(`CIB epoch: ${pre.cibEpoch ?? 'no cluster'} at analysis, ${s.cibEpoch ?? 'no cluster'} now`);
  return out;
}

/** States ka2pcmk refuses to migrate from, whatever the plan says. */
export function unsafeStates(s: Survey): string[] {
  const out: string[] = [];
  for (const [addr, h] of Object.entries(s.holders)) if (h.length > 1) out.push(`VIP ${addr} is on ${h.join(' and ')} at once (split brain): fix that first`);
  const running = s.nodes.filter((n) => n.pacemaker.active).map((n) => n.node);
  if (running.length && running.length < s.nodes.length) out.push(`pacemaker runs on ${running.join(', ')} but not on ${s.nodes.filter((n) => !n.pacemaker.active).map((n) => n.node).join(', ')}: bring the cluster up on every node, or down on all, first`);
  if (!s.clusterExisted) for (const n of s.nodes) if (n.corosync.configured) out.push(`${n.node}: /etc/corosync/corosync.conf exists but corosync is not running: ka2pcmk will not overwrite it (remove it, or start the cluster, first)`);
  return out;
}

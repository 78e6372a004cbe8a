/**
 * Everything `analyze --host` reads from one host: its keepalived
 * configuration with every include (remote-fs.ts), the scripts it runs, and
 * its running state (state.ts); then, across hosts, the preconditions a
 * plan records so `migrate` can refuse a plan the world has moved away from.
 */
import { Diagnostics } from '../diag/diagnostic.js';
import { fetchConfigTree } from '../exec/remote-fs.js';
import type { HostRunner } from '../exec/runner.js';
import { readNodes, type NodeConfig } from '../frontend.js';
import { crossNodeChecks } from '../model/crossnode.js';
import { type PlanDocument, type PlanPreconditions, sha256 } from '../plan/artifacts.js';
import { referencedScripts } from './scripts.js';
import { readHostState, type HostState } from './state.js';
import type { Diagnostic } from '../diag/diagnostic.js';

export interface HostRead {
  node: string;
  entry: string;
  configId: string;
  /** The node's configuration as read (undefined if the entry could not be read at all). */
  config: NodeConfig;
  diagnostics: Diagnostic[];
  /** Every file read from the host: path → bytes (config, includes, scripts); null: absent. */
  files: Map<string, Buffer | null>;
  /** Script path → text, for the mapping. */
  scripts: Record<string, string>;
  state: HostState;
  /** False when the include chain did not settle within the bound. */
  complete: boolean;
  /** /etc/corosync/corosync.conf as found (null: absent or unreadable), for analyze's diff; not a precondition. */
  corosyncConf: string | null;
}

/** Reads one host. `name` overrides the node name (default: the host's short name, which is always the config-id). */
export async function readHost(host: HostRunner, entry: string, name: string | undefined): Promise<HostRead> {
  const state = await readHostState(host);
  const configId = state.shortName;
  const node = name ?? configId;
  const tree = await fetchConfigTree(host, entry, configId);
  const front = readNodes([{ name: node, entry, configId }], tree.fs);
  const files = new Map<string, Buffer | null>();
  for (const [p, b] of tree.raw) files.set(p, b);
  if (!tree.raw.has(entry)) files.set(entry, null);
  const scripts: Record<string, string> = {};
  for (const path of referencedScripts(front.nodes[0].config)) {
    const data = await host.readFile(path).catch((e: Error & { kind?: string }) => {
      if (e.kind) throw e;
      return undefined; // unreadable: the mapping works without it, the checksum says "absent"
    });
    files.set(path, data ?? null);
    if (data) scripts[path] = data.toString('utf8');
  }
  const corosync = await host.readFile('/etc/corosync/corosync.conf').catch((e: Error & { kind?: string }) => {
    if (e.kind) throw e;
    return undefined;
  });
  return { node, entry, configId, config: front.nodes[0], diagnostics: front.diagnostics, files, scripts, state, complete: tree.complete, corosyncConf: corosync ? corosync.toString('utf8') : null };
}

/** Cross-node checks over hosts read one by one (each from its own file system). */
export function combine(reads: readonly HostRead[]): { nodes: NodeConfig[]; diagnostics: Diagnostic[] } {
  const diags = new Diagnostics();
  for (const r of reads) for (const d of r.diagnostics) diags.add(d);
  const nodes = reads.map((r) => r.config);
  if (nodes.length > 1) crossNodeChecks(nodes, diags);
  return { nodes, diagnostics: diags.sorted() };
}

/** The preconditions of a plan computed from `reads`. */
export function preconditions(reads: readonly HostRead[], instances: PlanDocument['instances']): PlanPreconditions {
  const files: PlanPreconditions['files'] = {};
  for (const r of reads) {
    files[r.node] = Object.fromEntries([...r.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, b]) => [p, b === null ? null : sha256(b)]));
  }
  const vips: PlanPreconditions['vips'] = {};
  for (const inst of instances) {
    const addresses: Record<string, string[]> = {};
    for (const v of inst.vips) addresses[v.address] = reads.filter((r) => r.state.addresses.some((a) => a.address === v.address)).map((r) => r.node).sort();
    vips[inst.instance] = { addresses, holders: [...new Set(Object.values(addresses).flat())].sort() };
  }
  const running = reads.find((r) => r.state.cluster.state === 'running' && r.state.cluster.cib);
  return {
    files,
    vips,
    keepalived: Object.fromEntries(reads.map((r) => [r.node, r.state.keepalived])),
    packages: Object.fromEntries(reads.map((r) => [r.node, r.state.packages])),
    cib: running && running.state.cluster.state === 'running' && running.state.cluster.cib ? running.state.cluster.cib : 'no cluster',
  };
}

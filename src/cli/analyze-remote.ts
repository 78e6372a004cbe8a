/**
 * `ka2pcmk analyze --host [NAME=][user@]host[:port] ...`: the same analysis
 * as for local files, read over SSH from each host (configuration, includes,
 * scripts), plus the running state the plan is computed against. The plan
 * gains `hosts` (how each node is reached) and `preconditions` (checksums of
 * every file read, current VIP holders, keepalived's state, the CIB version),
 * and DIR/inputs/<node>/<path> keeps a private copy of each remote file.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RemoteError } from '../exec/runner.js';
import type { PlanDocument } from '../plan/artifacts.js';
import { makeSshRunner, planHost, type SshCliOptions } from '../remote/connect.js';
import { combine, preconditions, readHost, type HostRead } from '../remote/gather.js';
import { parseHostArgs } from '../remote/targets.js';
import { type AnalyzeOptions, DEFAULT_CONFIG, analyzeRead } from './analyze.js';
import { ExitCode, type Io, UsageError } from './io.js';

export interface AnalyzeRemoteOptions extends Omit<AnalyzeOptions, 'files'>, SshCliOptions {
  host: string[];
  /** keepalived.conf's path on the hosts (default /etc/keepalived/keepalived.conf). */
  remoteConfig?: string;
}

/** Writes a copy of a remote file under DIR/inputs/NODE/PATH, private (0600, folders 0700), via a temporary name. */
function writeCopy(dir: string, node: string, path: string, data: Buffer): void {
  const target = join(dir, 'inputs', node, path.replace(/^\/+/, ''));
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
}

export async function analyzeRemote(opts: AnalyzeRemoteOptions, io: Io): Promise<number> {
  if (opts.node?.length || opts.configId) throw new UsageError('--host reads each node from its host: --node and --config-id do not apply (use --host NAME=user@host to name a node)');
  let hosts;
  try {
    hosts = parseHostArgs(opts.host);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const entry = opts.remoteConfig ?? DEFAULT_CONFIG;
  if (!entry.startsWith('/')) throw new UsageError(`--remote-config ${entry}: give an absolute path on the hosts`);
  let runner;
  try {
    runner = makeSshRunner(Object.fromEntries(hosts.map((h) => [h.target, h.target])), opts, io.env, (t) => io.err(`ka2pcmk: ${t}`));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let reads: HostRead[];
  try {
    reads = await Promise.all(hosts.map((h) => readHost(runner.host(h.target), entry, h.name)));
  } catch (e) {
    await runner.closeAll();
    if (e instanceof RemoteError) {
      io.err(`ka2pcmk: ${e.message}`);
      return ExitCode.errors;
    }
    throw e;
  }
  await runner.closeAll();
  const names = new Map<string, string>();
  for (const [k, r] of reads.entries()) {
    const other = names.get(r.node);
    if (other) {
      io.err(`ka2pcmk: ${other} and ${hosts[k].target} both call themselves '${r.node}': name them with --host NAME=${hosts[k].target}`);
      return ExitCode.usage;
    }
    names.set(r.node, hosts[k].target);
  }
  for (const r of reads) if (!r.complete) io.err(`ka2pcmk: ${r.node}: the includes of ${entry} did not settle after 16 rounds of reading; the analysis may miss files`);
  const front = combine(reads);
  const scripts = Object.assign({}, ...[...reads].reverse().map((r) => r.scripts)) as Record<string, string>;
  const code = await analyzeRead(front, opts, io, {
    scripts: () => scripts,
    // Paths are the hosts' own: relative to our working directory they would mean nothing.
    show: (p) => p,
    before: () => {
      const live = reads.find((r) => r.state.cluster.state === 'running' && r.state.cluster.configuration);
      const cl = live?.state.cluster;
      return {
        before: Object.fromEntries(reads.map((r) => [r.node, { assumed: false, keepalived: r.state.keepalived, corosyncConf: r.corosyncConf, cluster: r.state.cluster.state }])),
        ...(live && cl?.state === 'running' && cl.configuration ? { cibBefore: { node: live.node, configuration: cl.configuration } } : {}),
      };
    },
    beforeWrite: (files, dir) => {
      const plan = JSON.parse(files['plan.json']) as PlanDocument;
      plan.hosts = Object.fromEntries(reads.map((r, k) => [r.node, planHost(runner, hosts[k].target, hosts[k].target)]));
      plan.preconditions = preconditions(reads, plan.instances);
      files['plan.json'] = JSON.stringify(plan, null, 2) + '\n';
      for (const r of reads) for (const [path, data] of r.files) if (data) writeCopy(dir, r.node, path, data);
    },
  });
  if (!opts.json) io.out(stateText(reads));
  return code;
}

/** A few lines on what runs where now. */
function stateText(reads: readonly HostRead[]): string {
  const lines = ['', 'running state:'];
  for (const r of reads) {
    const k = r.state.keepalived;
    const pk = Object.entries(r.state.packages)
      .map(([p, v]) => `${p} ${v ?? '-'}`)
      .join(', ');
    lines.push(`  ${r.node}: keepalived ${k.active ? 'running' : 'stopped'}${k.pids.length ? ` (pid ${k.pids.join(' ')})` : ''}, ${k.enabled ? 'enabled' : 'disabled'} at boot; cluster ${r.state.cluster.state}; ${pk}`);
  }
  return lines.join('\n');
}

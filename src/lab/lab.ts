/**
 * The project's HA lab: 2 or 3 nodes and a client in Linux namespaces on one
 * machine, for integration tests and the demo. See docs/LAB.md.
 *
 *   const lab = await Lab.up({ nodes: 2, keepalived: { node1: conf1, node2: conf2 } });
 *   try { ... lab.exec('node1', ['ip', '-br', 'addr']) ... } finally { await lab.down(); }
 *
 * Everything the lab creates is recorded in DIR/state.json first, so
 * `down(DIR)` (or `node build/src/lab/cli.js down`) cleans up after a crash.
 */
import { mkdirSync } from 'node:fs';
import { clusterStatus, configureCluster, type ClusterStatus, type TotemOptions } from './cluster.js';
import { createSharedDisk } from './disk.js';
import { startForwarder } from './forward.js';
import { createNetwork, ensureAddr, flushExtraAddrs, nodeAddr, setLinkForwarding, setPortUp } from './net.js';
import { bootNode, execInNode, hostPathOf, killNode, nodeLabDir, nsenterArgv, prepareNode, waitBooted, writeHosts, type Unit } from './node.js';
import { Prober, Watcher, type LabContext, type ProberOptions } from './observe.js';
import { LabError, pollUntil, run, type RunOptions, type RunResult } from './proc.js';
import { makeKeys, sshPaths, writeKnownHosts, type SshDetails } from './ssh.js';
import { DEFAULT_LAB_DIR, DEFAULT_PREFIX, emptyState, readState, writeState, type LabState, type NodeRecord } from './state.js';
import { down, type DownResult } from './teardown.js';

/** How much of a cluster the nodes get. */
export type ClusterMode = 'ready' | 'installed' | 'none';

/** Options of {@link Lab.up}. */
export interface LabOptions {
  /** Number of nodes (2 or 3; default 2). */
  nodes?: number;
  /** keepalived.conf text per node name; a node with one gets keepalived enabled and started. */
  keepalived?: Record<string, string>;
  /** Extra keepalived flags per node (e.g. ['-V']), after `-n -l -D -f FILE`. */
  keepalivedArgs?: Record<string, string[]>;
  /**
   * 'ready': corosync + pacemaker configured, enabled and running (seeded CIB);
   * 'installed': packages present, no corosync.conf, nothing running;
   * 'none': same as installed (the packages are on the machine anyway). Default 'none'.
   */
  cluster?: ClusterMode;
  /** Totem timings for a 'ready' cluster (default: corosync's own). */
  totem?: TotemOptions;
  /** Attach a loop device over an ext4 image, visible to every node. */
  sharedDisk?: boolean;
  /** Lab folder (state file, per-node files); default /run/ka2pcmk-lab. */
  dir?: string;
  /** Prefix of the namespace names; default ka2l. Use distinct dir+prefix to run labs side by side. */
  prefix?: string;
  /** Tear down a lab left in `dir` by an earlier run instead of refusing. */
  replaceExisting?: boolean;
  /** Start the loopback ssh forwarder (default true). */
  forwardSsh?: boolean;
  /** How long to wait for a 'ready' cluster to show every node online (default 90 s). */
  onlineTimeoutMs?: number;
}

/** Something the lab did to the nodes, with its time (ms since the epoch). */
export interface LabEvent {
  t: number;
  kind: 'crash' | 'boot' | 'cut' | 'restore';
  node: string;
}

/** Timings of `up`, in ms. */
export interface UpTimings {
  /** From the start of `up` until every node booted (sshd, http, keepalived, daemons started). */
  bootedMs: number;
  /** From the start of `up` until crm_mon showed every node online ('ready' only). */
  onlineMs?: number;
  /** Total time of `up`. */
  totalMs: number;
}

/** A running lab. Methods take node names ('node1'...). */
export class Lab implements LabContext {
  readonly events: LabEvent[] = [];
  timings: UpTimings = { bootedMs: 0, totalMs: 0 };

  private constructor(readonly state: LabState) {}

  /** The lab folder. */
  get dir(): string {
    return this.state.dir;
  }

  /** Persist the state file (LabContext). */
  save(): void {
    writeState(this.state);
  }

  /** Bring a lab up. On any failure, everything created so far is torn down before the error is thrown. */
  static async up(opts: LabOptions = {}): Promise<Lab> {
    const t0 = Date.now();
    if (process.getuid?.() !== 0) throw new LabError('the lab needs root (namespaces, bridge, loop devices)');
    const dir = opts.dir ?? DEFAULT_LAB_DIR;
    const count = opts.nodes ?? 2;
    if (count < 1 || count > 3) throw new LabError('the lab has 1 to 3 nodes (192.0.2.11-.13)');
    if (readState(dir)) {
      if (!opts.replaceExisting) throw new LabError(`a lab is already up in ${dir}; run \`down\` first`);
      const r = await down(dir);
      if (r.problems.length) throw new LabError(`cannot clear the old lab in ${dir}: ${r.problems.join('; ')}`);
    }
    const prefix = opts.prefix ?? DEFAULT_PREFIX;
    const state = emptyState(dir, prefix);
    for (let i = 1; i <= count; i++) {
      state.nodes.push({ name: `node${i}`, addr: nodeAddr(i), ns: `${prefix}-node${i}`, port: `p${i}` });
    }
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const lab = new Lab(state);
    lab.save();
    try {
      await lab.build(opts, t0);
    } catch (e) {
      // KA2PCMK_LAB_KEEP_ON_FAILURE=1 leaves a broken lab in place to debug (then run `down`).
      if (!process.env.KA2PCMK_LAB_KEEP_ON_FAILURE) await down(dir);
      throw e;
    }
    return lab;
  }

  /** Attach to a lab brought up by another process (e.g. the CLI); undefined if none. */
  static attach(dir = DEFAULT_LAB_DIR): Lab | undefined {
    const state = readState(dir);
    return state ? new Lab(state) : undefined;
  }

  private async build(opts: LabOptions, t0: number): Promise<void> {
    const { state } = this;
    const cluster = opts.cluster ?? 'none';
    await createNetwork(state);
    for (const n of state.nodes) {
      const conf = opts.keepalived?.[n.name];
      const enabled: Unit[] = ['ssh', 'lab-http'];
      if (conf !== undefined) enabled.push('keepalived');
      if (cluster === 'ready') enabled.push('corosync', 'pacemaker');
      prepareNode(state.dir, n, { keepalivedConf: conf, keepalivedArgs: opts.keepalivedArgs?.[n.name], enabled });
    }
    writeHosts(state);
    mkdirSync(sshPaths(state.dir).dir, { recursive: true, mode: 0o700 });
    const hostKeys = await makeKeys(state.dir, state.nodes.map((n) => ({ name: n.name, labDir: nodeLabDir(state.dir, n.name) })));
    if (cluster === 'ready') await configureCluster(state.dir, state.nodes, opts.totem);
    if (opts.sharedDisk) {
      state.sharedDisk = await createSharedDisk(state);
      this.save();
    }
    if (opts.forwardSsh ?? true) {
      const ports = await startForwarder(this);
      state.forwards = Object.fromEntries(ports);
      this.save();
    }
    writeKnownHosts(state.dir, state.nodes.map((n) => ({ name: n.name, addr: n.addr, hostPub: hostKeys.get(n.name)!, forwardPort: state.forwards[n.addr] })));
    await Promise.all(state.nodes.map((n) => bootNode(state, n, () => this.save())));
    await Promise.all(state.nodes.map((n) => waitBooted(state.dir, n)));
    this.timings.bootedMs = Date.now() - t0;
    if (cluster === 'ready') {
      await this.waitOnline(state.nodes.map((n) => n.name), opts.onlineTimeoutMs ?? 90_000);
      this.timings.onlineMs = Date.now() - t0;
    }
    this.timings.totalMs = Date.now() - t0;
  }

  /** Node names, in order. */
  nodeNames(): string[] {
    return this.state.nodes.map((n) => n.name);
  }

  /** The record of one node (throws on an unknown name). */
  node(name: string): NodeRecord {
    const n = this.state.nodes.find((x) => x.name === name);
    if (!n) throw new LabError(`no node ${name} in this lab (${this.nodeNames().join(', ')})`);
    return n;
  }

  /** Run argv inside a node (its mount, UTS, IPC, network and PID namespaces). */
  exec(node: string, argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return execInNode(this.node(node), argv, { timeoutMs: 120_000, ...opts });
  }

  /** Run argv in the client namespace (where the tool under test can reach the nodes directly). */
  execClient(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(['ip', 'netns', 'exec', this.state.client.ns, ...argv], { timeoutMs: 120_000, ...opts });
  }

  /** The argv that enters a running node, e.g. to print for a human. */
  enterArgv(node: string): string[] {
    const n = this.node(node);
    if (!n.init) throw new LabError(`${node} is not running`);
    return nsenterArgv(n.init);
  }

  /** Where a node's file lives on the host (for /etc/corosync, /etc/keepalived, /var/log, ...). */
  hostPath(node: string, pathInNode: string): string {
    return hostPathOf(this.dir, this.node(node).name, pathInNode);
  }

  /** SSH details for the tool under test. */
  ssh(node: string): SshDetails {
    const n = this.node(node);
    const p = sshPaths(this.dir);
    const port = this.state.forwards[n.addr];
    return {
      host: n.addr,
      port: 22,
      user: 'root',
      privateKeyPath: p.clientKey,
      knownHostsPath: p.knownHosts,
      ...(port ? { forward: { host: '127.0.0.1' as const, port } } : {}),
    };
  }

  /** The shared disk's device, if the lab has one. */
  get sharedDisk(): string | undefined {
    return this.state.sharedDisk;
  }

  /** Run the systemctl stand-in inside a node, e.g. `systemctl('node1', 'stop', 'keepalived')`. */
  systemctl(node: string, ...args: string[]): Promise<RunResult> {
    return this.exec(node, ['systemctl', ...args]);
  }

  // ---- cluster ---------------------------------------------------------------

  /** Cluster status as seen from `via` (default: the first running node). */
  async clusterStatus(via?: string): Promise<ClusterStatus | undefined> {
    const name = via ?? this.state.nodes.find((n) => n.init)?.name;
    return name ? clusterStatus((argv) => this.exec(name, argv, { timeoutMs: 15_000 })) : undefined;
  }

  /** Wait until crm_mon on `nodes[0]` shows all `nodes` online with a DC elected. */
  async waitOnline(nodes: readonly string[], timeoutMs = 90_000): Promise<ClusterStatus> {
    return pollUntil(`${nodes.join(', ')} online`, async () => {
      const s = await this.clusterStatus(nodes[0]);
      return s && s.dc && nodes.every((n) => s.online.includes(n)) ? s : undefined;
    }, timeoutMs, 100);
  }

  // ---- observation ---------------------------------------------------------

  /** Start the VIP prober in the client namespace. */
  startProber(opts: ProberOptions = {}): Prober {
    return Prober.start(this, opts);
  }

  /** Start address watchers on every node (or the given ones). */
  startWatcher(nodes?: readonly string[]): Promise<Watcher> {
    return Watcher.start(this, nodes);
  }

  // ---- faults ----------------------------------------------------------------

  /**
   * Crash a node: its bridge port goes down (the machine vanishes from the
   * network at once), PID 1 gets SIGKILL (every process of the node dies),
   * and the addresses a dead machine cannot hold any more (the VIP) are
   * removed from its surviving network namespace.
   */
  async crash(node: string): Promise<void> {
    const n = this.node(node);
    const t = Date.now();
    await setPortUp(this.state, n.port, false);
    await killNode(n);
    await flushExtraAddrs(n.ns, n.addr);
    n.init = undefined;
    n.unshare = undefined;
    this.save();
    this.events.push({ t, kind: 'crash', node });
  }

  /** Boot a crashed node again: stale addresses deleted, link up, enabled units started. */
  async boot(node: string): Promise<void> {
    const n = this.node(node);
    if (n.init) throw new LabError(`${node} is running; crash it first`);
    await flushExtraAddrs(n.ns, n.addr);
    await ensureAddr(n.ns, n.addr);
    await setPortUp(this.state, n.port, true);
    // A port that was cut before the crash stays cut otherwise (state needs the port up).
    await setLinkForwarding(this.state, n.port, true);
    this.events.push({ t: Date.now(), kind: 'boot', node });
    await bootNode(this.state, n, () => this.save());
    await waitBooted(this.dir, n);
  }

  /** Cut a node's link: its bridge port stops forwarding (carrier stays up). */
  async cutLink(node: string): Promise<void> {
    this.events.push({ t: Date.now(), kind: 'cut', node });
    await setLinkForwarding(this.state, this.node(node).port, false);
  }

  /** Restore a link cut with {@link cutLink}. */
  async restoreLink(node: string): Promise<void> {
    await setLinkForwarding(this.state, this.node(node).port, true);
    this.events.push({ t: Date.now(), kind: 'restore', node });
  }

  /** Stop (or start again) a node's sshd. */
  async setSshd(node: string, running: boolean): Promise<void> {
    const r = await this.systemctl(node, running ? 'start' : 'stop', 'ssh');
    if (r.code !== 0) throw new LabError(`cannot ${running ? 'start' : 'stop'} sshd on ${node}`, r);
  }

  /**
   * Send keepalived a signal: `whom` 'main' is the parent only; 'all' (as
   * systemd's default) is the parent and its VRRP child together.
   */
  async signalKeepalived(node: string, signal: string, whom: 'main' | 'all' = 'main'): Promise<void> {
    const r = await this.systemctl(node, 'kill', `--signal=${signal}`, `--kill-whom=${whom}`, 'keepalived');
    if (r.code !== 0) throw new LabError(`cannot signal keepalived on ${node}`, r);
  }

  /** Make a Pacemaker resource's monitor fail on a node (`crm_resource --fail`). */
  async failResource(resource: string, node: string, via = node): Promise<RunResult> {
    return this.exec(via, ['crm_resource', '--fail', '--resource', resource, '--node', node]);
  }

  /** Remove an address from a node's eth0 behind its owner's back (default: the VIP /24). */
  async removeAddress(node: string, cidr = '192.0.2.100/24'): Promise<RunResult> {
    return this.exec(node, ['ip', 'addr', 'del', cidr, 'dev', 'eth0']);
  }

  /** Tear everything down (see teardown.ts). */
  down(): Promise<DownResult> {
    return down(this.dir);
  }
}

/**
 * Observation from outside the nodes: a prober in the client namespace that
 * asks the VIP who answers every 10 ms, and a watcher per node that logs
 * every address added to or removed from the node's interfaces.
 *
 * Both run in network namespaces only (not inside a node's PID namespace), so
 * they survive a node crash and see what a crash leaves behind. Their pids go
 * into the state file like everything else the lab starts.
 */
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { analyseProbes, holdings, overlaps, parseMonitorLog, parseProbeLog, type AddrEvent, type Holding, type ProbeRecord, type ProbeReport } from './analysis.js';
import { VIP } from './net.js';
import { LAB_ENV, endRecorded, run, sleep, spawnDetached, type PidRecord } from './proc.js';
import { scriptPath } from './paths.js';
import { trackPid, type LabState } from './state.js';

/** Access to the lab's state for helpers that start processes. */
export interface LabContext {
  state: LabState;
  save(): void;
}

function forget(ctx: LabContext, rec: PidRecord): void {
  ctx.state.pids = ctx.state.pids.filter((p) => !(p.pid === rec.pid && p.start === rec.start));
  ctx.save();
}

/** Options of a probe run. */
export interface ProberOptions {
  addr?: string;
  port?: number;
  intervalMs?: number;
  /** Output file name inside the lab folder. */
  name?: string;
}

/** HTTP prober of the VIP, running in the client namespace. */
export class Prober {
  private constructor(
    private readonly ctx: LabContext,
    readonly file: string,
    private proc: PidRecord | undefined,
  ) {}

  /** Start probing (default: 192.0.2.100:80 every 10 ms). */
  static start(ctx: LabContext, opts: ProberOptions = {}): Prober {
    const file = join(ctx.state.dir, `${opts.name ?? 'probe'}.log`);
    rmSync(file, { force: true });
    writeFileSync(file, '');
    const argv = ['ip', 'netns', 'exec', ctx.state.client.ns, '/usr/bin/python3', scriptPath('prober.py'), opts.addr ?? VIP, String(opts.port ?? 80), String(opts.intervalMs ?? 10), file];
    const rec = trackPid(ctx.state, spawnDetached(argv, `${file}.err`));
    ctx.save();
    return new Prober(ctx, file, rec);
  }

  /** Probes recorded so far (the file is appended line by line). */
  records(): ProbeRecord[] {
    return existsSync(this.file) ? parseProbeLog(readFileSync(this.file, 'utf8')) : [];
  }

  /** Summary of the probes recorded so far, optionally only those sent at or after `since`. */
  report(since = 0): ProbeReport {
    return analyseProbes(this.records().filter((r) => r.sent >= since));
  }

  /** Wait until a probe sent after `after` was answered by one of `nodes` (any node if empty). */
  async waitForAnswer(nodes: readonly string[], after: number, timeoutMs: number): Promise<ProbeRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.records().find((r) => r.sent >= after && r.node !== null && (nodes.length === 0 || nodes.includes(r.node)));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no answer from ${nodes.join('/') || 'any node'} within ${timeoutMs} ms; last: ${JSON.stringify(this.records().at(-1))}`);
      await sleep(20);
    }
  }

  /** Stop probing (letting in-flight probes finish) and return the report (of probes sent since `since`). */
  async stop(since = 0): Promise<ProbeReport> {
    if (this.proc) {
      await endRecorded(this.proc, 'SIGTERM', 4000);
      forget(this.ctx, this.proc);
      this.proc = undefined;
    }
    return this.report(since);
  }
}

/** Address watchers on every node, recording when each address comes and goes. */
export class Watcher {
  private readonly initial: AddrEvent[] = [];

  private constructor(
    private readonly ctx: LabContext,
    private readonly files: Map<string, string>,
    private procs: PidRecord[],
  ) {}

  /** Start `ip -ts -o monitor address` in each node's network namespace, then snapshot current addresses. */
  static async start(ctx: LabContext, nodes?: readonly string[]): Promise<Watcher> {
    const files = new Map<string, string>();
    const procs: PidRecord[] = [];
    for (const node of ctx.state.nodes.filter((n) => !nodes || nodes.includes(n.name))) {
      const file = join(ctx.state.dir, `watch-${node.name}.log`);
      writeFileSync(file, '');
      // TZ=UTC: `ip -ts` prints local time without a zone.
      const rec = spawnDetached(['ip', 'netns', 'exec', node.ns, 'ip', '-ts', '-o', 'monitor', 'address'], file, { ...LAB_ENV, TZ: 'UTC' });
      procs.push(trackPid(ctx.state, rec));
      files.set(node.name, file);
    }
    ctx.save();
    const w = new Watcher(ctx, files, procs);
    // Give the monitors time to subscribe before the snapshot, so no change falls between the two.
    await sleep(100);
    const t = Date.now();
    for (const node of ctx.state.nodes.filter((n) => files.has(n.name))) {
      const r = await run(['ip', '-n', node.ns, '-j', 'addr', 'show']);
      const ifs = JSON.parse(r.stdout || '[]') as { addr_info?: { family: string; local: string; prefixlen: number }[] }[];
      for (const i of ifs) {
        for (const a of i.addr_info ?? []) {
          if (a.family === 'inet') w.initial.push({ t, node: node.name, addr: a.local, prefixLen: a.prefixlen, added: true, initial: true });
        }
      }
    }
    return w;
  }

  /** Every address event so far, initial snapshot first, in time order. */
  events(): AddrEvent[] {
    const ev: AddrEvent[] = [...this.initial];
    for (const [node, file] of this.files) ev.push(...parseMonitorLog(node, existsSync(file) ? readFileSync(file, 'utf8') : ''));
    return ev.sort((a, b) => a.t - b.t);
  }

  /** Intervals during which each node held `addr` (default: the VIP). */
  holdings(addr = VIP): Holding[] {
    return holdings(this.events(), addr);
  }

  /** Times the address was on two nodes at once; empty means never. */
  overlaps(addr = VIP): ReturnType<typeof overlaps> {
    return overlaps(this.holdings(addr));
  }

  /** Nodes holding `addr` right now, by the events seen so far. */
  holders(addr = VIP): string[] {
    return this.holdings(addr).filter((h) => h.to === undefined).map((h) => h.node);
  }

  /** Stop the monitors. The recorded events stay readable. */
  async stop(): Promise<void> {
    for (const p of this.procs) {
      await endRecorded(p, 'SIGTERM', 2000);
      forget(this.ctx, p);
    }
    this.procs = [];
  }
}

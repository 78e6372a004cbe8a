/**
 * Teardown from the state file alone, so it works from a fresh process after
 * a failed or interrupted test. Only what the state file names is touched;
 * processes are ended by recorded pid (checked against its start time),
 * never by name.
 */
import { readdirSync, readlinkSync, rmSync } from 'node:fs';
import { destroySharedDisk } from './disk.js';
import { deleteNamespace } from './net.js';
import { killNode } from './node.js';
import { endRecorded, run, sleep } from './proc.js';
import { readState, writeState, type LabState } from './state.js';

/** What `down` did, and what it could not undo. */
export interface DownResult {
  hadLab: boolean;
  problems: string[];
  ms: number;
}

/** Pids of processes living in any of the given PID namespaces. */
export function processesIn(pidns: ReadonlySet<string>): number[] {
  const out: number[] = [];
  if (pidns.size === 0) return out;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (pidns.has(readlinkSync(`/proc/${e}/ns/pid`))) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Tear down the lab whose state is in `dir`. Safe to call repeatedly. */
export async function down(dir: string): Promise<DownResult> {
  const t0 = Date.now();
  const state = readState(dir);
  if (!state) return { hadLab: false, problems: [], ms: Date.now() - t0 };
  const problems = await undo(state);
  if (problems.length === 0) {
    rmSync(dir, { recursive: true, force: true });
  } else {
    writeState(state); // keep what is left for the next attempt
  }
  return { hadLab: true, problems, ms: Date.now() - t0 };
}

async function undo(state: LabState): Promise<string[]> {
  const problems: string[] = [];
  // 1. Helpers on the host side (prober, watchers, forwarder).
  await Promise.all(state.pids.map((p) => endRecorded(p, 'SIGTERM', 2000)));
  state.pids = [];
  // 2. Nodes: SIGKILL to PID 1 ends every process in the node.
  await Promise.all(state.nodes.map((n) => killNode(n)));
  const spaces = new Set(state.nodes.map((n) => n.pidns).filter((x): x is string => !!x));
  for (let i = 0; i < 500 && processesIn(spaces).length > 0; i++) await sleep(20);
  const left = processesIn(spaces);
  if (left.length) problems.push(`processes still in node PID namespaces: ${left.join(' ')}`);
  // 3. Loop devices (a node's mount namespace may take a moment to release one).
  for (const l of state.loops) problems.push(...(await destroySharedDisk(l.image)));
  if (!problems.some((p) => p.startsWith('loop'))) state.loops = [];
  // 4. Host mounts (none in normal operation).
  for (const m of [...state.mounts].reverse()) {
    const r = await run(['umount', m]);
    if (r.code !== 0 && !/not mounted|no mount point/i.test(r.stderr)) problems.push(`cannot unmount ${m}: ${r.stderr.trim()}`);
  }
  state.mounts = [];
  // 5. Network namespaces, newest first (the bridge namespace takes the veths with it).
  for (const ns of [...state.namespaces].reverse()) {
    try {
      await deleteNamespace(ns);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (!problems.some((p) => p.includes('netns'))) state.namespaces = [];
  return problems;
}

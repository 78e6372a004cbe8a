/**
 * The lab's state file: every namespace, process, loop device and mount the
 * lab creates is written here *before or as* it is created, so `down` can undo
 * everything from a fresh process after a crash of the test or of the tool.
 *
 * Invariant: anything not in this file was not created by the lab and is
 * never touched by teardown.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PidRecord } from './proc.js';

/** Default folder for a lab's state and per-node files. */
export const DEFAULT_LAB_DIR = '/run/ka2pcmk-lab';
/** Default prefix of the lab's network namespace names. */
export const DEFAULT_PREFIX = 'ka2l';
/** Name of the state file inside the lab folder. */
export const STATE_FILE = 'state.json';

/** One node as recorded. `init` is the node's PID 1 as seen from the host. */
export interface NodeRecord {
  name: string;
  addr: string;
  ns: string;
  /** Bridge port (in the bridge namespace) that carries this node's eth0. */
  port: string;
  unshare?: PidRecord;
  init?: PidRecord;
  /** The node's PID namespace (`pid:[inode]`), to prove no process of it survives. */
  pidns?: string;
}

/** Everything the lab has created; see the module comment for the invariant. */
export interface LabState {
  version: 1;
  dir: string;
  prefix: string;
  createdAt: string;
  /** Network namespaces, in creation order (intent is recorded before `ip netns add`). */
  namespaces: string[];
  bridge: { ns: string; name: string };
  client: { ns: string; addr: string };
  nodes: NodeRecord[];
  /** Helper processes started on the host side: prober, watchers, forwarder. */
  pids: PidRecord[];
  /** Loop devices with the image file they were attached to. */
  loops: { device: string; image: string }[];
  /** Mounts made in the host's mount namespace (the lab normally makes none). */
  mounts: string[];
  /** Node address → loopback port forwarded to its sshd (see forward.ts). */
  forwards: Record<string, number>;
  /** The shared disk's loop device, when the lab has one. */
  sharedDisk?: string;
  /** Every process the lab ever started (never pruned), for "nothing survives" checks. */
  history: PidRecord[];
  /** Every node PID namespace the lab ever created. */
  pidnsHistory: string[];
}

/** Path of the state file of a lab folder. */
export function statePath(dir: string): string {
  return join(dir, STATE_FILE);
}

/** Read a lab's state, or undefined when there is no lab in that folder. */
export function readState(dir: string): LabState | undefined {
  const p = statePath(dir);
  if (!existsSync(p)) return undefined;
  return JSON.parse(readFileSync(p, 'utf8')) as LabState;
}

/** Write the state atomically (write then rename), so a crash never leaves half a file. */
export function writeState(state: LabState): void {
  mkdirSync(state.dir, { recursive: true });
  const p = statePath(state.dir);
  writeFileSync(`${p}.tmp`, JSON.stringify(state, null, 2) + '\n');
  renameSync(`${p}.tmp`, p);
}

/** Record a process the lab started, in `pids` (teardown list) and in `history`. */
export function trackPid(state: LabState, rec: PidRecord, teardown = true): PidRecord {
  if (teardown) state.pids.push(rec);
  state.history.push(rec);
  return rec;
}

/** A fresh, empty state for a lab about to be created. */
export function emptyState(dir: string, prefix: string): LabState {
  return {
    version: 1,
    dir,
    prefix,
    createdAt: new Date().toISOString(),
    namespaces: [],
    bridge: { ns: `${prefix}-br`, name: 'br0' },
    client: { ns: `${prefix}-client`, addr: '192.0.2.10' },
    nodes: [],
    pids: [],
    loops: [],
    mounts: [],
    forwards: {},
    history: [],
    pidnsHistory: [],
  };
}

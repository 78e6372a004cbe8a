/**
 * What the machine looks like from the host, for the "leaves nothing behind"
 * checks: network namespaces, mounts, loop devices, and whether any process
 * the lab recorded (or any process in a node's PID namespace) survives.
 */
import { readFileSync } from 'node:fs';
import { listLoops } from '../../src/lab/disk.js';
import { listNamespaces } from '../../src/lab/net.js';
import { isAlive } from '../../src/lab/proc.js';
import type { LabState } from '../../src/lab/state.js';
import { processesIn } from '../../src/lab/teardown.js';

/** A comparable picture of the machine. */
export interface MachineSnapshot {
  namespaces: string[];
  mounts: string[];
  loops: string[];
}

/**
 * Take a snapshot (mounts as seen by this process, which lives in the host's mount namespace).
 * Left out: /run/netns itself. The first `ip netns add` since boot bind-mounts that directory onto
 * itself (so that namespace files mounted in it propagate), and iproute2 never unmounts it: it is
 * the machine's, not the lab's. On a freshly booted machine the first lab test would otherwise find
 * it "added". The namespaces mounted in it (/run/netns/NAME) are still compared.
 */
export async function snapshot(): Promise<MachineSnapshot> {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    // fields: id parent major:minor root mountpoint options ... - fstype source superopts
    .map((l) => {
      const f = l.split(' ');
      const dash = f.indexOf('-');
      return `${f[4]} ${f[dash + 1]} ${f[dash + 2]}`;
    })
    .filter((m) => !m.startsWith('/run/netns '))
    .sort();
  return { namespaces: await listNamespaces(), mounts, loops: await listLoops() };
}

/** Processes the lab ever started that are still alive, and processes left in any node PID namespace. */
export function survivors(state: LabState): string[] {
  return [
    ...state.history.filter(isAlive).map((p) => `${p.pid} (${p.what})`),
    ...processesIn(new Set(state.pidnsHistory)).map((p) => `${p} (in a node PID namespace)`),
  ];
}

/** Differences between two snapshots, as readable lines (empty: identical). */
export function diffSnapshots(before: MachineSnapshot, after: MachineSnapshot): string[] {
  const out: string[] = [];
  for (const key of ['namespaces', 'mounts', 'loops'] as const) {
    const b = new Set(before[key]);
    const a = new Set(after[key]);
    for (const x of a) if (!b.has(x)) out.push(`${key}: added ${x}`);
    for (const x of b) if (!a.has(x)) out.push(`${key}: removed ${x}`);
  }
  return out;
}

/** keepalived.conf for a node of a simple VRRP pair holding the lab VIP. */
export function vrrpConf(node: string, priority: number, extra: string[] = []): string {
  return [
    'global_defs {',
    `    router_id ${node}`,
    '}',
    'vrrp_instance VI_1 {',
    `    state ${priority >= 150 ? 'MASTER' : 'BACKUP'}`,
    '    interface eth0',
    '    virtual_router_id 51',
    `    priority ${priority}`,
    '    advert_int 1',
    ...extra.map((l) => `    ${l}`),
    '    virtual_ipaddress {',
    '        192.0.2.100/24 dev eth0',
    '    }',
    '}',
    '',
  ].join('\n');
}

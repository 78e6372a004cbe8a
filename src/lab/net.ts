/**
 * The lab's network: one namespace holding a bridge, and a veth per node and
 * for the client. Addresses come only from 192.0.2.0/24 (TEST-NET-1) and live
 * only inside the lab's namespaces; the host's interfaces are never touched.
 */
import { runOk, run } from './proc.js';
import { writeState, type LabState } from './state.js';

/** The lab's subnet prefix length. */
export const PREFIX_LEN = 24;
/** The service address the tests move around. */
export const VIP = '192.0.2.100';

/** Address of node number n (1-based): .11, .12, .13. */
export function nodeAddr(n: number): string {
  return `192.0.2.${10 + n}`;
}

/** Run `ip -n NS -batch -` with the given lines, failing on the first error. */
async function ipBatch(ns: string | undefined, lines: string[]): Promise<void> {
  const argv = ns ? ['ip', '-n', ns, '-batch', '-'] : ['ip', '-batch', '-'];
  await runOk(argv, { input: lines.join('\n') + '\n' });
}

/** Create a namespace, recording the intent first so an interrupted `up` is still cleaned. */
async function addNamespace(state: LabState, ns: string): Promise<void> {
  state.namespaces.push(ns);
  writeState(state);
  await runOk(['ip', 'netns', 'add', ns]);
}

/** Bring up the bridge namespace, the client namespace and one namespace per node. */
export async function createNetwork(state: LabState): Promise<void> {
  const br = state.bridge;
  await addNamespace(state, br.ns);
  await ipBatch(br.ns, [
    'link set lo up',
    // Snooping off: VRRP and corosync multicast must reach every port.
    `link add ${br.name} type bridge mcast_snooping 0 stp_state 0`,
    `link set ${br.name} up`,
  ]);
  await attach(state, state.client.ns, 'pc', state.client.addr);
  for (const node of state.nodes) await attach(state, node.ns, node.port, node.addr);
}

/** Create a namespace with eth0 = `addr`/24 plugged into the bridge as `port`. */
async function attach(state: LabState, ns: string, port: string, addr: string): Promise<void> {
  const br = state.bridge;
  await addNamespace(state, ns);
  await ipBatch(br.ns, [
    `link add ${port} type veth peer name eth0 netns ${ns}`,
    `link set ${port} master ${br.name}`,
    `link set ${port} up`,
  ]);
  await ipBatch(ns, ['link set lo up', `addr add ${addr}/${PREFIX_LEN} dev eth0`, 'link set eth0 up']);
  // No IPv6 inside the lab: nothing in it needs it, and it keeps `ip monitor` quiet.
  await runOk(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1', 'net.ipv6.conf.eth0.disable_ipv6=1']);
}

/**
 * Cut (`up=false`) or restore a node's link by setting its bridge port's
 * forwarding state. The carrier stays up on both ends, as when a switch or
 * cable further away fails: the node sees no link event, only silence.
 */
export async function setLinkForwarding(state: LabState, port: string, up: boolean): Promise<void> {
  await runOk(['bridge', '-n', state.bridge.ns, 'link', 'set', 'dev', port, 'state', up ? '3' : '0']);
}

/** Set a bridge port administratively up or down (a crashed machine drops its carrier). */
export async function setPortUp(state: LabState, port: string, up: boolean): Promise<void> {
  await runOk(['ip', '-n', state.bridge.ns, 'link', 'set', port, up ? 'up' : 'down']);
}

/** Remove every address on a node's eth0 except its own (stale VIPs after a crash). */
export async function flushExtraAddrs(ns: string, keep: string | undefined): Promise<string[]> {
  const r = await run(['ip', '-n', ns, '-j', 'addr', 'show', 'dev', 'eth0']);
  if (r.code !== 0) return [];
  const removed: string[] = [];
  const ifs = JSON.parse(r.stdout || '[]') as { addr_info?: { family: string; local: string; prefixlen: number }[] }[];
  for (const a of ifs[0]?.addr_info ?? []) {
    if (a.family !== 'inet' || a.local === keep) continue;
    await run(['ip', '-n', ns, 'addr', 'del', `${a.local}/${a.prefixlen}`, 'dev', 'eth0']);
    removed.push(a.local);
  }
  return removed;
}

/** Ensure a node's own address is on its eth0 (after a crash flushed everything). */
export async function ensureAddr(ns: string, addr: string): Promise<void> {
  const r = await run(['ip', '-n', ns, 'addr', 'add', `${addr}/${PREFIX_LEN}`, 'dev', 'eth0']);
  if (r.code !== 0 && !/exists|already assigned/i.test(r.stderr)) throw new Error(`cannot add ${addr} in ${ns}: ${r.stderr}`);
}

/** Names of all network namespaces on the machine. */
export async function listNamespaces(): Promise<string[]> {
  const r = await run(['ip', '-j', 'netns', 'list']);
  if (r.code !== 0 || !r.stdout.trim()) return [];
  return (JSON.parse(r.stdout) as { name: string }[]).map((n) => n.name).sort();
}

/** Delete a namespace if it exists (deleting the bridge namespace removes the bridge and veths). */
export async function deleteNamespace(ns: string): Promise<void> {
  const r = await run(['ip', 'netns', 'del', ns]);
  if (r.code !== 0 && !/No such file/i.test(r.stderr)) throw new Error(`cannot delete netns ${ns}: ${r.stderr.trim()}`);
}

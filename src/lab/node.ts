/**
 * One lab node: its persistent folders (its "disk"), its boot as PID 1 of
 * fresh mount/UTS/IPC/PID namespaces inside its network namespace, entering
 * it, and crashing it.
 *
 * Layout of LAB/nodes/NAME:
 *   fs/   folders bind-mounted over /etc/corosync, /etc/keepalived,
 *         /etc/pacemaker, /var/lib/pacemaker, /var/lib/corosync, /var/log, /root
 *   lab/  seen as /run/ka2pcmk-node inside the node: env, enabled units,
 *         sshd_config, host key, keepalived.args, bin/systemctl, booted marker
 */
import { chownSync, copyFileSync, mkdirSync, readFileSync, writeFileSync, rmSync, existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { childrenOf, endRecorded, isAlive, pollUntil, recordPid, run, spawnDetached, type PidRecord, type RunOptions, type RunResult } from './proc.js';
import { scriptPath } from './paths.js';
import { sshdConfig } from './ssh.js';
import type { LabState, NodeRecord } from './state.js';

/** Units the systemctl stand-in knows, in boot order. */
export const BOOT_ORDER = ['ssh', 'lab-http', 'keepalived', 'corosync', 'pacemaker'] as const;
/** A unit name the stand-in knows. */
export type Unit = (typeof BOOT_ORDER)[number];

/** Folder of one node inside the lab folder. */
export function nodeDir(labDir: string, name: string): string {
  return join(labDir, 'nodes', name);
}

/** The node's control folder (seen as /run/ka2pcmk-node inside it). */
export function nodeLabDir(labDir: string, name: string): string {
  return join(nodeDir(labDir, name), 'lab');
}

/** Host path of a file the node sees at `pathInNode` (for the bind-mounted folders). */
export function hostPathOf(labDir: string, name: string, pathInNode: string): string {
  const binds: [string, string][] = [
    ['/etc/corosync', 'etc-corosync'],
    ['/etc/keepalived', 'etc-keepalived'],
    ['/etc/pacemaker', 'etc-pacemaker'],
    ['/var/lib/pacemaker', 'var-lib-pacemaker'],
    ['/var/lib/corosync', 'var-lib-corosync'],
    ['/var/log', 'var-log'],
    ['/root', 'root'],
  ];
  for (const [inNode, dir] of binds) {
    if (pathInNode === inNode || pathInNode.startsWith(inNode + '/')) {
      return join(nodeDir(labDir, name), 'fs', dir, pathInNode.slice(inNode.length));
    }
  }
  throw new Error(`${pathInNode} is not on a node's persistent folders`);
}

function idOf(file: string, name: string): number {
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`${name} not found in ${file} (is pacemaker installed?)`);
  return Number(line.split(':')[2]);
}

/** uid of hacluster and gid of haclient, as the pacemaker package created them. */
export function haIds(): { uid: number; gid: number } {
  return { uid: idOf('/etc/passwd', 'hacluster'), gid: idOf('/etc/group', 'haclient') };
}

/** What a node's folders should hold before its first boot. */
export interface NodeSetup {
  keepalivedConf?: string;
  keepalivedArgs?: string[];
  enabled: Unit[];
}

/** Create a node's folders as a freshly installed machine would have them. */
export function prepareNode(labDir: string, node: NodeRecord, setup: NodeSetup): void {
  const dir = nodeDir(labDir, node.name);
  const fs = join(dir, 'fs');
  const lab = join(dir, 'lab');
  const { uid, gid } = haIds();
  for (const d of ['etc-corosync/uidgid.d', 'etc-keepalived', 'etc-pacemaker', 'var-lib-corosync', 'var-log/corosync', 'root', 'var-lib-pacemaker']) {
    mkdirSync(join(fs, d), { recursive: true, mode: 0o755 });
  }
  for (const d of ['var-lib-pacemaker/cib', 'var-lib-pacemaker/pengine', 'var-lib-pacemaker/blackbox', 'var-lib-pacemaker/cores', 'var-log/pacemaker']) {
    mkdirSync(join(fs, d), { recursive: true, mode: 0o750 });
    chownSync(join(fs, d), uid, gid);
  }
  mkdirSync(join(lab, 'bin'), { recursive: true });
  // Copies, not paths into the repository: the node's /tmp and /run are private
  // tmpfs, so a checkout living there would be invisible inside the node.
  for (const f of ['systemctl', 'http-responder.py']) copyFileSync(scriptPath(f), join(lab, 'bin', f));
  writeFileSync(join(lab, 'env'), `NAME=${node.name}\nADDR=${node.addr}\nSCRIPTS=/run/ka2pcmk-node/bin\n`);
  writeFileSync(join(lab, 'enabled'), setup.enabled.map((u) => u + '\n').join(''));
  writeFileSync(join(lab, 'sshd_config'), sshdConfig(labDir, lab, node.addr));
  writeFileSync(join(lab, 'keepalived.args'), (setup.keepalivedArgs ?? []).join(' ') + '\n');
  if (setup.keepalivedConf !== undefined) writeFileSync(join(fs, 'etc-keepalived', 'keepalived.conf'), setup.keepalivedConf);
}

/** /etc/hosts as every node sees it: the lab's names only. */
export function writeHosts(state: LabState): void {
  const lines = ['127.0.0.1 localhost', `${state.client.addr} client`, ...state.nodes.map((n) => `${n.addr} ${n.name}`)];
  writeFileSync(join(state.dir, 'hosts'), lines.join('\n') + '\n');
}

/** The PID namespace of a process, as `pid:[inode]`. */
export function pidNs(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/** First descendant of `root` living in another PID namespace than ours: the node's PID 1. */
function findInit(root: number): number | undefined {
  const mine = pidNs(process.pid);
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    const ns = pidNs(p);
    if (ns && ns !== mine) return p;
    queue.push(...childrenOf(p));
  }
  return undefined;
}

/**
 * Boot a node: start its init in new namespaces inside its network namespace.
 * Records the launcher and init pids in `node` (the caller saves the state).
 * Returns once init runs; use {@link waitBooted} for the enabled units.
 */
export async function bootNode(state: LabState, node: NodeRecord, save: () => void): Promise<void> {
  const labDir = state.dir;
  const lab = nodeLabDir(labDir, node.name);
  rmSync(join(lab, 'booted'), { force: true });
  rmSync(join(lab, 'booted.tmp'), { force: true });
  // --kill-child: if the launcher is killed before init's pid was recorded, the node dies with it.
  const argv = ['ip', 'netns', 'exec', node.ns, 'unshare', '--mount', '--uts', '--ipc', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private', '/bin/bash', scriptPath('node-init.sh'), node.name, labDir];
  node.unshare = spawnDetached(argv, join(nodeDir(labDir, node.name), 'init.log'));
  node.init = undefined;
  state.history.push(node.unshare);
  save();
  const launcher = node.unshare;
  const pid = await pollUntil(`init of ${node.name}`, () => {
    if (!isAlive(launcher)) throw new Error(`${node.name}: init exited:\n${tail(join(nodeDir(labDir, node.name), 'init.log'))}`);
    return findInit(launcher.pid);
  }, 10_000, 5);
  node.init = recordPid(pid, `init of ${node.name}`);
  node.pidns = pidNs(pid);
  state.history.push(node.init);
  if (node.pidns) state.pidnsHistory.push(node.pidns);
  save();
}

/** Last lines of a log file, for error messages (the lab folder is gone after a failed `up`). */
function tail(file: string, lines = 20): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}

/** Wait until a node's init has started every enabled unit; throws if one failed. */
export async function waitBooted(labDir: string, node: NodeRecord, timeoutMs = 60_000): Promise<void> {
  const marker = join(nodeLabDir(labDir, node.name), 'booted');
  const status = await pollUntil(`${node.name} to boot`, () => {
    if (node.init && !isAlive(node.init)) throw new Error(`${node.name}: init died during boot:\n${tail(join(nodeDir(labDir, node.name), 'init.log'))}`);
    // An empty marker is one being written (older node-init.sh wrote it in place).
    return existsSync(marker) ? readFileSync(marker, 'utf8').trim() || undefined : undefined;
  }, timeoutMs, 10);
  if (status !== '0') {
    const log = join(nodeDir(labDir, node.name), 'fs', 'var-log', 'ka2pcmk-boot.log');
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    throw new Error(`${node.name}: a unit failed to start at boot:\n${text}`);
  }
}

/** argv prefix that runs a command inside a running node (all five namespaces). */
export function nsenterArgv(init: PidRecord): string[] {
  return ['nsenter', '-t', String(init.pid), '-m', '-u', '-i', '-n', '-p', '--'];
}

/** Run argv inside a node. */
export function execInNode(node: NodeRecord, argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  if (!node.init || !isAlive(node.init)) {
    return Promise.resolve({ code: 255, stdout: '', stderr: `${node.name} is not running\n` });
  }
  return run([...nsenterArgv(node.init), ...argv], opts);
}

/** Kill a node's PID 1 with SIGKILL (the kernel then kills every process of the node). */
export async function killNode(node: NodeRecord): Promise<void> {
  if (node.init) await endRecorded(node.init, 'SIGKILL');
  // The launcher (unshare) exits once its child is gone; end it too if it lingers.
  if (node.unshare) await endRecorded(node.unshare, 'SIGKILL', 2000);
}

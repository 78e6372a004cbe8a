/**
 * SSH material for the lab: one host key per node, one client key, the
 * authorized_keys every node's sshd trusts, a known_hosts file so the tool
 * under test verifies host keys, and each node's sshd_config.
 */
import { readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './proc.js';

/** Connection details a test hands to the tool under test. */
export interface SshDetails {
  /** The node's address; reachable from inside the client namespace. */
  host: string;
  port: 22;
  user: 'root';
  privateKeyPath: string;
  knownHostsPath: string;
  /**
   * A loopback port on the host forwarded to host:22 from inside the client
   * namespace, for in-process clients (ssh2) running on the host. Its host
   * key is listed in known_hosts as `[127.0.0.1]:PORT`.
   */
  forward?: { host: '127.0.0.1'; port: number };
}

/** Paths of the lab-wide ssh files. */
export function sshPaths(labDir: string): { dir: string; clientKey: string; authorizedKeys: string; knownHosts: string } {
  const dir = join(labDir, 'ssh');
  return {
    dir,
    clientKey: join(dir, 'id_ed25519'),
    authorizedKeys: join(dir, 'authorized_keys'),
    knownHosts: join(dir, 'known_hosts'),
  };
}

async function keygen(path: string, comment: string): Promise<string> {
  if (existsSync(path)) rmSync(path);
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/**
 * Generate the client key and each node's host key (in parallel), and write
 * authorized_keys. Returns each node's public host key line.
 */
export async function makeKeys(labDir: string, nodes: { name: string; labDir: string }[]): Promise<Map<string, string>> {
  const p = sshPaths(labDir);
  const [clientPub, ...hostPubs] = await Promise.all([
    keygen(p.clientKey, 'ka2pcmk-lab-client'),
    ...nodes.map((n) => keygen(join(n.labDir, 'ssh_host_ed25519_key'), `${n.name}-host`)),
  ]);
  writeFileSync(p.authorizedKeys, clientPub + '\n', { mode: 0o600 });
  return new Map(nodes.map((n, i) => [n.name, hostPubs[i]]));
}

/** Write known_hosts: each node by name and address, plus its forwarded loopback port if any. */
export function writeKnownHosts(
  labDir: string,
  nodes: { name: string; addr: string; hostPub: string; forwardPort?: number }[],
): void {
  const lines: string[] = [];
  for (const n of nodes) {
    const key = n.hostPub.split(' ').slice(0, 2).join(' ');
    lines.push(`${n.name},${n.addr} ${key}`);
    if (n.forwardPort) lines.push(`[127.0.0.1]:${n.forwardPort} ${key}`);
  }
  writeFileSync(sshPaths(labDir).knownHosts, lines.join('\n') + '\n', { mode: 0o644 });
}

/** sshd_config for one node: key authentication only, bound to the node's address. */
export function sshdConfig(labDir: string, nodeLabDir: string, addr: string): string {
  return [
    '# Written by the ka2pcmk lab.',
    'Port 22',
    `ListenAddress ${addr}`,
    `HostKey ${join(nodeLabDir, 'ssh_host_ed25519_key')}`,
    'PidFile /run/sshd.pid',
    `AuthorizedKeysFile ${sshPaths(labDir).authorizedKeys}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    // No PAM (no login session machinery here); keys live under a temporary folder.
    'UsePAM no',
    'StrictModes no',
    'UseDNS no',
    'PrintMotd no',
    'MaxStartups 100:30:200',
    'SetEnv PATH=/run/ka2pcmk-node/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
    '',
  ].join('\n');
}

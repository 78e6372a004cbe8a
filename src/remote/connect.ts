/**
 * The ssh options every remote command shares (--ssh-config, --known-hosts,
 * --identity, --accept-new-host-keys, timeouts), turned into an SshRunner,
 * and the plan's record of how each node is reached.
 */
import { SshRunner } from '../exec/ssh.js';
import type { PlanHost } from '../plan/artifacts.js';

export interface SshCliOptions {
  sshConfig?: string;
  knownHosts?: string;
  identity?: string[];
  acceptNewHostKeys?: boolean;
  /** Seconds. */
  connectTimeout?: string;
  /** Seconds, per command. */
  commandTimeout?: string;
}

const seconds = (v: string | undefined, what: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`${what} ${v}: give a number of seconds`);
  return Math.round(n * 1000);
};

/** An SshRunner for `targets` (key → destination); `note` receives non-fatal remarks (a key added, a keyword ignored). */
export function makeSshRunner(targets: Record<string, string>, opts: SshCliOptions, env: Readonly<Record<string, string | undefined>>, note: (text: string) => void): SshRunner {
  return new SshRunner({
    targets,
    ...(opts.sshConfig ? { sshConfigPath: opts.sshConfig } : {}),
    ...(opts.knownHosts ? { knownHostsPath: opts.knownHosts } : {}),
    ...(opts.identity?.length ? { identityFiles: opts.identity } : {}),
    acceptNewHostKeys: !!opts.acceptNewHostKeys,
    connectTimeoutMs: seconds(opts.connectTimeout, '--connect-timeout'),
    commandTimeoutMs: seconds(opts.commandTimeout, '--command-timeout'),
    env,
    ...(env.HOME ? { home: env.HOME } : {}),
    onNote: (node, text) => note(`${node}: ${text}`),
  });
}

/** How the plan records a node's destination: what ssh_config resolved, without keys or passwords. */
export function planHost(runner: SshRunner, key: string, target: string): PlanHost {
  const r = runner.resolve(key);
  return { target, hostName: r.hostName, user: r.user, port: r.port, proxyJump: r.proxyJump.map((h) => `${h.user ? `${h.user}@` : ''}${h.host}${h.port ? `:${h.port}` : ''}`) };
}

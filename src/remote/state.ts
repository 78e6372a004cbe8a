/**
 * The running state of one host, read with plain commands (argv only):
 * its short host name, the addresses it holds (`ip -j addr show`), the
 * keepalived service (`systemctl is-active`/`is-enabled`, `pidof`), the
 * cluster packages and their versions (`dpkg-query`, `rpm -q` where there is
 * no dpkg), and an existing cluster (`crm_mon -1 --output-as=xml`, the CIB
 * version from `cibadmin -Q`). Parsers are exported for unit tests.
 */
import type { HostRunner } from '../exec/runner.js';
import type { CibEpoch, KeepalivedState } from '../plan/artifacts.js';
import { parseCibEpoch, parseCrmMon, type CrmStatus } from './crm.js';

export const PACKAGES = ['keepalived', 'corosync', 'pacemaker', 'pcs'] as const;

export interface HostAddress {
  ifname: string;
  address: string;
  prefix: number;
  family: 'inet' | 'inet6';
}

export interface HostState {
  shortName: string;
  addresses: HostAddress[];
  keepalived: KeepalivedState;
  packages: Record<string, string | null>;
  /** configuration: the live CIB's <configuration> section (from the same `cibadmin -Q`), for analyze's diff. */
  cluster: { state: 'running'; status: CrmStatus; cib?: CibEpoch; configuration?: string } | { state: 'stopped' | 'none' };
}

/** `ip -j addr show` → every address with its interface. */
export function parseIpJson(text: string): HostAddress[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const out: HostAddress[] = [];
  for (const link of data as { ifname?: string; addr_info?: { family?: string; local?: string; prefixlen?: number }[] }[]) {
    for (const a of link.addr_info ?? []) {
      if ((a.family === 'inet' || a.family === 'inet6') && a.local) out.push({ ifname: link.ifname ?? '', address: a.local, prefix: a.prefixlen ?? 0, family: a.family });
    }
  }
  return out;
}

/** `dpkg-query -W -f '${Package}\t${Version}\t${db:Status-Abbrev}\n'` (or rpm's NAME\tVERSION) → installed versions. */
export function parsePackages(text: string, wanted: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = Object.fromEntries(wanted.map((p) => [p, null]));
  for (const line of text.split('\n')) {
    const [name, version, status] = line.split('\t');
    if (!name || !(name in out) || !version) continue;
    // dpkg lists removed-but-configured packages too: only "ii" is installed.
    if (status !== undefined && !status.startsWith('ii')) continue;
    out[name] = version;
  }
  return out;
}

/** Reads a host's state. Never throws for a failing command (that is state); only for a lost connection. */
export async function readHostState(host: HostRunner): Promise<HostState> {
  const run = (argv: string[]) => host.run(argv, { timeoutMs: 30_000 });
  const name = await run(['hostname', '-s']);
  const ip = await run(['ip', '-j', 'addr', 'show']);
  const active = await run(['systemctl', 'is-active', 'keepalived']);
  const enabled = await run(['systemctl', 'is-enabled', 'keepalived']);
  const pids = await run(['pidof', 'keepalived']);
  let pk = await run(['dpkg-query', '-W', '-f', '${Package}\\t${Version}\\t${db:Status-Abbrev}\\n', ...PACKAGES]);
  if (pk.code === 127) pk = await run(['rpm', '-q', '--qf', '%{NAME}\\t%{VERSION}-%{RELEASE}\\n', ...PACKAGES]);
  const mon = await run(['crm_mon', '-1', '--output-as=xml']);
  let cluster: HostState['cluster'] = { state: 'none' };
  const status = mon.code === 0 ? parseCrmMon(mon.stdout) : undefined;
  const shortName = name.stdout.trim();
  if (status && !('error' in status)) {
    const q = await run(['cibadmin', '-Q']);
    const cib = q.code === 0 ? parseCibEpoch(q.stdout, shortName) : undefined;
    const configuration = q.code === 0 ? /<configuration[\s>][\s\S]*?<\/configuration>|<configuration\s*\/>/.exec(q.stdout)?.[0] : undefined;
    cluster = { state: 'running', status, ...(cib ? { cib } : {}), ...(configuration ? { configuration } : {}) };
  } else if ((await run(['test', '-e', '/etc/corosync/corosync.conf'])).code === 0) cluster = { state: 'stopped' };
  return {
    shortName,
    addresses: parseIpJson(ip.stdout),
    keepalived: {
      active: active.stdout.trim() === 'active',
      enabled: enabled.stdout.trim() === 'enabled',
      pids: pids.code === 0 ? pids.stdout.trim().split(/\s+/).map(Number).filter(Number.isInteger).sort((a, b) => a - b) : [],
    },
    packages: parsePackages(pk.stdout, PACKAGES),
    cluster,
  };
}

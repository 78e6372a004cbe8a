/**
 * Which service a check command watches. keepalived scripts very often only
 * ask "is this daemon alive?" (`killall -0 nginx`, `pidof haproxy`,
 * `systemctl is-active x`); Pacemaker can manage such a daemon itself, which
 * is what a careful engineer would do. Anything we cannot name with
 * certainty returns undefined and becomes a shim: guessing the wrong unit
 * would make Pacemaker start (or stop) the wrong thing.
 */
import { splitCommand } from '../model/command.js';

/** How the service was recognised, for the ledger's reason. */
export interface ServiceMatch {
  /** The systemd unit name (without `.service`), Debian naming. */
  unit: string;
  /** The process or port the command looks at, e.g. `process nginx`, `port 3306`. */
  evidence: string;
}

/**
 * Process names → Debian unit names. Only daemons whose unit name is not in
 * doubt; where Debian renamed a unit (httpd → apache2, mysqld → mariadb) the
 * Debian name is used, since that is what the target nodes run.
 */
export const PROCESS_UNITS: Readonly<Record<string, string>> = {
  nginx: 'nginx',
  haproxy: 'haproxy',
  apache2: 'apache2',
  httpd: 'apache2',
  mysqld: 'mariadb',
  mariadbd: 'mariadb',
  postgres: 'postgresql',
  postmaster: 'postgresql',
  'redis-server': 'redis-server',
  named: 'named',
  squid: 'squid',
  memcached: 'memcached',
  dnsmasq: 'dnsmasq',
  'pihole-FTL': 'pihole-FTL',
  varnishd: 'varnish',
  unbound: 'unbound',
  pdns_server: 'pdns',
  pdns_recursor: 'pdns-recursor',
  slapd: 'slapd',
  vsftpd: 'vsftpd',
  proftpd: 'proftpd',
  smbd: 'smbd',
  lighttpd: 'lighttpd',
  caddy: 'caddy',
  traefik: 'traefik',
  dockerd: 'docker',
  containerd: 'containerd',
  chronyd: 'chrony',
  sshd: 'ssh',
  'kube-apiserver': 'kube-apiserver',
  envoy: 'envoy',
  bird: 'bird',
  radiusd: 'freeradius',
  freeradius: 'freeradius',
  kamailio: 'kamailio',
  asterisk: 'asterisk',
  rabbitmq: 'rabbitmq-server',
  'beam.smp': 'rabbitmq-server',
  etcd: 'etcd',
  consul: 'consul',
  vault: 'vault',
  dhcpd: 'isc-dhcp-server',
  'kea-dhcp4': 'kea-dhcp4-server',
  stunnel4: 'stunnel4',
  openvpn: 'openvpn',
  ipsec: 'ipsec',
  charon: 'strongswan-starter',
  postfix: 'postfix',
  dovecot: 'dovecot',
  exim4: 'exim4',
};

/**
 * Local ports whose service is unambiguous on a Debian node. 80/443 (nginx,
 * apache2, haproxy...) and 53 (named, dnsmasq, unbound...) are left out on
 * purpose: a probe of them says nothing about which daemon answers.
 */
export const PORT_UNITS: Readonly<Record<number, string>> = {
  3306: 'mariadb',
  5432: 'postgresql',
  6379: 'redis-server',
  11211: 'memcached',
  3128: 'squid',
  389: 'slapd',
  5672: 'rabbitmq-server',
  2379: 'etcd',
};

const LOCAL = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0', 'ip6-localhost']);

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The unit for a process name, if the table knows it (exact names only). */
export function unitOfProcess(name: string): string | undefined {
  const n = base(name);
  return Object.prototype.hasOwnProperty.call(PROCESS_UNITS, n) ? PROCESS_UNITS[n] : undefined;
}

/** The last non-option word of argv[from..], if it is the only one. */
function soleOperand(argv: readonly string[], from: number, optsWithValue: readonly string[] = []): string | undefined {
  const ops: string[] = [];
  for (let i = from; i < argv.length; i++) {
    const a = argv[i];
    if (optsWithValue.includes(a)) i++;
    else if (!a.startsWith('-')) ops.push(a);
  }
  return ops.length === 1 ? ops[0] : undefined;
}

function byProcess(name: string | undefined): ServiceMatch | undefined {
  if (!name) return undefined;
  const unit = unitOfProcess(name);
  return unit ? { unit, evidence: `process ${base(name)}` } : undefined;
}

function byUnit(name: string | undefined): ServiceMatch | undefined {
  if (!name || !/^[A-Za-z0-9@_.:-]+$/.test(name)) return undefined;
  const unit = name.replace(/\.service$/, '');
  return unit.includes('@') && unit.endsWith('@') ? undefined : { unit, evidence: `unit ${unit}` };
}

function byPort(host: string | undefined, port: string | undefined): ServiceMatch | undefined {
  if (!host || !port || !LOCAL.has(host) || !/^\d+$/.test(port)) return undefined;
  const unit = PORT_UNITS[Number(port)];
  return unit ? { unit, evidence: `local port ${port}` } : undefined;
}

/** `http://localhost:5432/x` → host and port (default by scheme). */
function urlTarget(url: string): { host: string; port: string } | undefined {
  const m = /^(https?):\/\/(\[[^\]]+\]|[^/:]+)(?::(\d+))?/.exec(url);
  if (!m) return undefined;
  return { host: m[2], port: m[3] ?? (m[1] === 'https' ? '443' : '80') };
}

/**
 * The service a check command watches, or undefined. Recognises `killall -0
 * X`, `pidof [-x] X`, `pgrep [-x|-f] X`, `systemctl is-active X`, `service X
 * status`, `nc -z HOST PORT`, `curl`/`wget` of a local URL, and `sh -c '...'`
 * wrapping one of them. A shell line with `&&`, `|`, `;` is a real script,
 * not a liveness probe, and is not recognised.
 */
export function serviceOfCommand(argv: readonly string[]): ServiceMatch | undefined {
  if (argv.length === 0) return undefined;
  const cmd = base(argv[0]);
  if ((cmd === 'sh' || cmd === 'bash' || cmd === 'dash') && argv[1] === '-c' && argv.length === 3) {
    if (/[|;&<>`$()]/.test(argv[2])) return undefined;
    return serviceOfCommand(splitCommand([argv[2]]));
  }
  switch (cmd) {
    case 'killall':
      return argv[1] === '-0' ? byProcess(soleOperand(argv, 2)) : undefined;
    case 'pidof':
      return byProcess(soleOperand(argv, 1, ['-o']));
    case 'pgrep': {
      // pgrep -f matches the whole command line: only a bare known daemon name is unambiguous.
      const name = soleOperand(argv, 1, ['-u', '-U', '-g', '-G', '-P', '-s', '-t', '-d']);
      return name && /^[A-Za-z0-9_.-]+$/.test(name) ? byProcess(name) : undefined;
    }
    case 'systemctl':
      return argv[1] === 'is-active' ? byUnit(soleOperand(argv, 2)) : undefined;
    case 'service':
      return argv.length === 3 && argv[2] === 'status' ? byUnit(argv[1]) : undefined;
    case 'nc':
    case 'ncat':
    case 'netcat': {
      if (!argv.slice(1).some((a) => /^-[a-zA-Z]*z/.test(a))) return undefined;
      const ops = argv.slice(1).filter((a) => !a.startsWith('-'));
      return ops.length === 2 ? byPort(ops[0], ops[1]) : undefined;
    }
    case 'curl':
    case 'wget': {
      const urls = argv.slice(1).filter((a) => /^https?:\/\//.test(a));
      const t = urls.length === 1 ? urlTarget(urls[0]) : undefined;
      return t && byPort(t.host, t.port);
    }
    default:
      return undefined;
  }
}

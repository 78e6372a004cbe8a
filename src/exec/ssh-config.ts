/**
 * OpenSSH client configuration (~/.ssh/config), the part ka2pcmk honours:
 * `Host` blocks with `*`/`?` wildcards and `!` negation, `Match all`,
 * HostName (with %h), User, Port, IdentityFile (~ and %d %u %h %r %%),
 * IdentitiesOnly, ProxyJump, ConnectTimeout, UserKnownHostsFile and
 * StrictHostKeyChecking. As in ssh_config(5), the first value obtained for a
 * keyword wins, except IdentityFile, whose values accumulate in order.
 * Unsupported `Match` criteria make their block not apply (we never guess
 * that a condition holds), and `Include` is not followed: both are reported
 * in `unsupported` so a caller can say so.
 */

/** One `Host` (or `Match`) block and the options under it. */
export interface SshConfigBlock {
  /** Host patterns; empty for the options before the first Host line (they apply to every host). */
  patterns: { pattern: string; negated: boolean }[];
  /** `Match all` or before the first block: applies to every host. */
  all: boolean;
  /** A `Match` block with criteria we do not evaluate: never applies. */
  never: boolean;
  options: { key: string; args: string[]; line: number }[];
}

export interface SshConfig {
  blocks: SshConfigBlock[];
  /** Keywords we saw but do not honour, with their line, so they can be reported. */
  unsupported: { keyword: string; line: number }[];
}

/** A hop or destination as written: `[user@]host[:port]`. */
export interface HostSpec {
  host: string;
  user?: string;
  port?: number;
}

/** What the configuration says about one destination. */
export interface ResolvedHost {
  /** The name the user gave (what Host patterns matched). */
  alias: string;
  /** Where to connect (HostName, else the alias). */
  hostName: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  identitiesOnly: boolean;
  /** Hops in order (first is connected first); empty: direct. */
  proxyJump: HostSpec[];
  connectTimeoutS?: number;
  userKnownHostsFiles: string[];
  strictHostKeyChecking?: 'yes' | 'accept-new' | 'no';
}

const HONOURED = new Set(['host', 'match', 'hostname', 'user', 'port', 'identityfile', 'identitiesonly', 'proxyjump', 'connecttimeout', 'userknownhostsfile', 'stricthostkeychecking']);
/** Keywords that change how a connection is made in ways we cannot imitate: worth a warning. */
const NOTABLE = new Set(['include', 'proxycommand', 'hostkeyalias', 'certificatefile', 'canonicalizehostname', 'hostkeyalgorithms', 'globalknownhostsfile', 'identityagent']);

/** Splits an ssh_config line into words: `Keyword value`, `Keyword=value`, `"` quotes group words. */
export function splitConfigLine(line: string): string[] {
  const m = /^([^\s=]+)(?:\s*=\s*|\s+)?(.*)$/.exec(line.trim());
  if (!m) return [];
  const words = [m[1]];
  let cur = '';
  let quoted = false;
  let inWord = false;
  for (const c of m[2]) {
    if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && (c === ' ' || c === '\t')) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Parses the text of an ssh_config file. Never throws: unknown keywords are kept and ignored. */
export function parseSshConfig(text: string): SshConfig {
  const blocks: SshConfigBlock[] = [{ patterns: [], all: true, never: false, options: [] }];
  const unsupported: SshConfig['unsupported'] = [];
  text.split(/\r?\n/).forEach((raw, idx) => {
    const line = idx + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const [kw, ...args] = splitConfigLine(trimmed);
    const key = kw.toLowerCase();
    if (key === 'host') {
      const patterns = args.flatMap((a) => a.split(',')).filter(Boolean).map((p) => (p.startsWith('!') ? { pattern: p.slice(1), negated: true } : { pattern: p, negated: false }));
      blocks.push({ patterns, all: false, never: false, options: [] });
    } else if (key === 'match') {
      const all = args.length === 1 && args[0].toLowerCase() === 'all';
      if (!all) unsupported.push({ keyword: `Match ${args.join(' ')}`, line });
      blocks.push({ patterns: [], all, never: !all, options: [] });
    } else {
      if (!HONOURED.has(key) && NOTABLE.has(key)) unsupported.push({ keyword: kw, line });
      blocks[blocks.length - 1].options.push({ key, args, line });
    }
  });
  return { blocks, unsupported };
}

/** OpenSSH's match_pattern: `*` any run, `?` one character; case-insensitive for host names. */
export function matchPattern(name: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'is');
  return re.test(name);
}

/** A pattern list matches when some positive pattern matches and no negated one does. */
export function matchPatternList(name: string, patterns: readonly { pattern: string; negated: boolean }[]): boolean {
  let hit = false;
  for (const p of patterns) {
    if (!matchPattern(name, p.pattern)) continue;
    if (p.negated) return false;
    hit = true;
  }
  return hit;
}

/** `[user@]host[:port]`, `[v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseHostSpec(spec: string): HostSpec {
  let s = spec.replace(/^ssh:\/\//, '').replace(/\/$/, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  let host = s;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    host = v6[1];
    port = v6[2] ? Number(v6[2]) : undefined;
  } else if ((s.match(/:/g) ?? []).length === 1) {
    const [h, p] = s.split(':');
    host = h;
    port = Number(p);
  }
  if (!host || (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) || (user !== undefined && !user)) throw new Error(`'${spec}' is not [user@]host[:port]`);
  return { host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

export interface ExpandContext {
  home: string;
  localUser: string;
}

/** ssh_config's tokens in IdentityFile / UserKnownHostsFile, and a leading `~`. */
function expandPath(p: string, ctx: ExpandContext, host: string, user: string | undefined): string {
  const t = p.replace(/%([%dhur])/g, (_m, c: string) => (c === '%' ? '%' : c === 'd' ? ctx.home : c === 'h' ? host : c === 'u' ? ctx.localUser : user ?? ctx.localUser));
  return t === '~' ? ctx.home : t.startsWith('~/') ? ctx.home + t.slice(1) : t;
}

/** Applies the configuration to `alias`: the first value obtained wins, IdentityFile accumulates. */
export function resolveHost(cfg: SshConfig, alias: string, ctx: ExpandContext): ResolvedHost {
  const first = new Map<string, string[]>();
  const identity: string[] = [];
  const knownHosts: string[] = [];
  for (const b of cfg.blocks) {
    if (b.never) continue;
    if (!b.all && !matchPatternList(alias, b.patterns)) continue;
    for (const o of b.options) {
      if (o.key === 'identityfile') {
        if (o.args[0]) identity.push(o.args[0]);
      } else if (!first.has(o.key)) first.set(o.key, o.args);
    }
  }
  const one = (k: string) => first.get(k)?.[0];
  const hostName = (one('hostname') ?? alias).replace(/%([%h])/g, (_m, c: string) => (c === '%' ? '%' : alias));
  const user = one('user');
  const port = one('port') !== undefined ? Number(one('port')) : undefined;
  for (const f of first.get('userknownhostsfile') ?? []) if (f.toLowerCase() !== 'none') knownHosts.push(expandPath(f, ctx, hostName, user));
  const pj = one('proxyjump');
  const strict = one('stricthostkeychecking')?.toLowerCase();
  const timeout = one('connecttimeout');
  return {
    alias,
    hostName,
    ...(user !== undefined ? { user } : {}),
    ...(port !== undefined && Number.isInteger(port) ? { port } : {}),
    identityFiles: identity.map((f) => expandPath(f, ctx, hostName, user)),
    identitiesOnly: one('identitiesonly')?.toLowerCase() === 'yes',
    proxyJump: !pj || pj.toLowerCase() === 'none' ? [] : pj.split(',').map(parseHostSpec),
    ...(timeout !== undefined && Number(timeout) > 0 ? { connectTimeoutS: Number(timeout) } : {}),
    userKnownHostsFiles: knownHosts,
    ...(strict ? { strictHostKeyChecking: strict === 'accept-new' ? 'accept-new' : strict === 'no' || strict === 'off' ? 'no' : 'yes' } : {}),
  };
}

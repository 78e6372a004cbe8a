/**
 * The SSH Runner: the only module that imports ssh2. It behaves like OpenSSH
 * for the people who use it: ~/.ssh/config (ssh-config.ts), the agent and key
 * files (ssh-auth.ts), known_hosts verified strictly (ssh-known-hosts.ts),
 * ProxyJump through ssh2's forwardOut. One connection per node, opened on
 * first use and reused for every command; a lost connection is reopened by
 * the next command (with the same host key checks).
 *
 *   const runner = new SshRunner({ targets: { node1: 'root@db1', node2: 'db2' } });
 *   const r = await runner.host('node1').run(['ip', '-j', 'addr', 'show']);
 *   await runner.closeAll();
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client, utils, type ClientChannel } from 'ssh2';
import { authOffers } from './ssh-auth.js';
import { parseSshConfig, parseHostSpec, resolveHost, type HostSpec, type ResolvedHost, type SshConfig } from './ssh-config.js';
import { appendKnownHost, checkHostKey, fingerprint, keyTypeOf, knownHostsName, loadKnownHosts } from './ssh-known-hosts.js';
import { remoteReadFile, remoteWriteFile } from './ssh-files.js';
import { type CommandResult, type HostRunner, type RunOptions, type Runner, RemoteError, quoteArgv } from './runner.js';

export interface SshRunnerOptions {
  /** Node name → destination: an ssh_config alias or `[user@]host[:port]`. */
  targets: Readonly<Record<string, string | HostSpec>>;
  /** ssh_config file; default ~/.ssh/config; null: read none. */
  sshConfigPath?: string | null;
  /** known_hosts file to verify against and append to, instead of UserKnownHostsFile / ~/.ssh/known_hosts. */
  knownHostsPath?: string;
  /** Identity files tried before the configured and default ones. */
  identityFiles?: readonly string[];
  /** Agent socket; default $SSH_AUTH_SOCK; false: no agent. */
  agent?: string | false;
  /** Like StrictHostKeyChecking=accept-new: an unknown host's key is appended; a changed key still stops. */
  acceptNewHostKeys?: boolean;
  /** TCP connect + handshake + authentication (default 15 s, or the config's ConnectTimeout). */
  connectTimeoutMs?: number;
  /** Default per-command timeout (60 s). */
  commandTimeoutMs?: number;
  home?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Non-fatal notes (unsupported config keywords, skipped keys, a host key added). */
  onNote?: (node: string, text: string) => void;
}

/** Algorithms in the order we ask for them; the key types known_hosts lists for the host go first (as OpenSSH does). */
const HOST_KEY_ALGOS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
const ALGOS_OF_TYPE: Record<string, string[]> = { 'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] };
/** OpenSSH's default MaxSessions is 10: stay below it on one connection. */
const MAX_CHANNELS = 8;

interface Connection {
  client: Client;
  /** Clients of the ProxyJump hops, closed with it. */
  hops: Client[];
  closed: boolean;
  active: number;
  waiters: (() => void)[];
}

export class SshRunner implements Runner {
  private readonly conns = new Map<string, Promise<Connection>>();
  private readonly config: SshConfig;
  private readonly home: string;
  private readonly hosts = new Map<string, HostRunner>();

  constructor(private readonly opts: SshRunnerOptions) {
    this.home = opts.home ?? homedir();
    const path = opts.sshConfigPath === undefined ? join(this.home, '.ssh', 'config') : opts.sshConfigPath;
    this.config = path && existsSync(path) ? parseSshConfig(readFileSync(path, 'utf8')) : { blocks: [], unsupported: [] };
    for (const u of this.config.unsupported) opts.onNote?.('ssh', `${path}:${u.line}: '${u.keyword}' is not honoured by ka2pcmk's ssh client`);
  }

  /** What the configuration makes of a node's destination (no secrets: for plans and messages). */
  resolve(node: string): ResolvedHost & { user: string; port: number } {
    const t = this.target(node);
    const r = resolveHost(this.config, t.host, { home: this.home, localUser: userInfo().username });
    return { ...r, user: t.user ?? r.user ?? userInfo().username, port: t.port ?? r.port ?? 22 };
  }

  host(node: string): HostRunner {
    let h = this.hosts.get(node);
    if (!h) {
      this.target(node); // unknown nodes fail here, not at first use
      h = new SshHost(node, this);
      this.hosts.set(node, h);
    }
    return h;
  }

  async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.all(all.map((p) => p.then(endConnection, () => undefined)));
  }

  /** @internal the node's connection, opened on first use (concurrent callers share the attempt). */
  connection(node: string): Promise<Connection> {
    let p = this.conns.get(node);
    if (!p) {
      p = this.open(node, this.target(node), undefined, 0);
      this.conns.set(node, p);
      p.then(
        (c) => c.client.on('close', () => this.conns.get(node) === p && this.conns.delete(node)),
        () => this.conns.get(node) === p && this.conns.delete(node),
      );
    }
    return p;
  }

  /** @internal */
  get commandTimeoutMs(): number {
    return this.opts.commandTimeoutMs ?? 60_000;
  }

  private target(node: string): HostSpec {
    const t = this.opts.targets[node];
    if (t === undefined) throw new RemoteError(node, `no ssh destination is known for node ${node}`, 'connect');
    return typeof t === 'string' ? parseHostSpec(t) : t;
  }

  /** Opens `spec` (alias resolved through ssh_config), through its ProxyJump hops (or `via`, from a -J chain). */
  private async open(node: string, spec: HostSpec, via: HostSpec[] | undefined, depth: number): Promise<Connection> {
    if (depth > 8) throw new RemoteError(node, `ProxyJump chain to ${spec.host} is longer than 8 hops (a loop in ssh_config?)`, 'connect');
    const r = resolveHost(this.config, spec.host, { home: this.home, localUser: userInfo().username });
    const user = spec.user ?? r.user ?? userInfo().username;
    const port = spec.port ?? r.port ?? 22;
    const chain = via ?? r.proxyJump;
    const hops: Client[] = [];
    let sock: ClientChannel | undefined;
    if (chain.length) {
      // OpenSSH turns `-J a,b dest` into: reach b through a, then dest through b.
      const last = chain[chain.length - 1];
      const prev = await this.open(node, last, chain.length > 1 ? chain.slice(0, -1) : undefined, depth + 1);
      hops.push(...prev.hops, prev.client);
      sock = await new Promise<ClientChannel>((resolve, reject) =>
        prev.client.forwardOut('127.0.0.1', 0, r.hostName, port, (err, ch) => (err ? reject(new RemoteError(node, `ProxyJump ${last.host} cannot reach ${r.hostName}:${port}: ${err.message}`, 'connect')) : resolve(ch))),
      ).catch((e) => {
        hops.forEach((h) => h.end());
        throw e;
      });
    }
    try {
      const client = await this.handshake(node, r, user, port, sock);
      return { client, hops, closed: false, active: 0, waiters: [] };
    } catch (e) {
      hops.forEach((h) => h.end());
      throw e;
    }
  }

  private handshake(node: string, r: ResolvedHost, user: string, port: number, sock: ClientChannel | undefined): Promise<Client> {
    const files = this.opts.knownHostsPath ? [this.opts.knownHostsPath] : r.userKnownHostsFiles.length ? r.userKnownHostsFiles : [join(this.home, '.ssh', 'known_hosts'), join(this.home, '.ssh', 'known_hosts2'), '/etc/ssh/ssh_known_hosts'];
    const known = loadKnownHosts(files);
    const name = knownHostsName(r.hostName, port);
    const acceptNew = this.opts.acceptNewHostKeys || r.strictHostKeyChecking === 'accept-new';
    const knownTypes = [...new Set(known.filter((l) => !l.marker && checkHostKey([l], name, l.key).status === 'ok').map((l) => l.keyType))];
    const preferred = knownTypes.flatMap((t) => ALGOS_OF_TYPE[t] ?? [t]).filter((a) => HOST_KEY_ALGOS.includes(a));
    const env = this.opts.env ?? process.env;
    const { offers, notes } = authOffers({
      username: user,
      agent: this.opts.agent === false ? undefined : (this.opts.agent ?? env.SSH_AUTH_SOCK),
      identitiesOnly: r.identitiesOnly,
      explicit: this.opts.identityFiles ?? [],
      configured: r.identityFiles,
      home: this.home,
      isEncrypted: (k) => {
        const parsed = utils.parseKey(k);
        return parsed instanceof Error && /passphrase|encrypted/i.test(parsed.message);
      },
    });
    for (const n of notes) this.opts.onNote?.(node, n);
    const where = `${user}@${r.hostName}${port === 22 ? '' : `:${port}`}`;
    if (!offers.length) return Promise.reject(new RemoteError(node, `no credentials for ${where}: no agent (SSH_AUTH_SOCK) and no identity file (${this.opts.identityFiles?.join(', ') || '~/.ssh/id_ed25519, id_ecdsa, id_rsa'})`, 'auth'));
    let refusal: RemoteError | undefined;
    const verify = (blob: Buffer): boolean => {
      const st = checkHostKey(known, name, blob);
      const type = keyTypeOf(blob);
      if (st.status === 'ok') return true;
      if (st.status === 'revoked') refusal = new RemoteError(node, `the ${type} host key of ${name} is marked @revoked in ${st.line.file}:${st.line.line}; refusing to connect`, 'hostkey');
      else if (st.status === 'changed') refusal = new RemoteError(node, changedKeyMessage(name, type, blob, `${st.line.file}:${st.line.line}`, st.line.file), 'hostkey');
      else if (acceptNew) {
        appendKnownHost(files[0], name, blob);
        this.opts.onNote?.(node, `permanently added '${name}' (${type}, ${fingerprint(blob)}) to ${files[0]}`);
        return true;
      } else {
        const other = st.otherTypes.length ? ` (known_hosts lists only ${st.otherTypes.join(', ')} keys for it)` : '';
        refusal = new RemoteError(node, `host key verification failed: no ${type} host key is known for ${name} in ${files.join(', ')}${other}, and strict checking is on. The server offered ${fingerprint(blob)}. Check it out of band, then add it (ssh-keyscan -p ${port} ${r.hostName} >> ${files[0]}) or run with --accept-new-host-keys`, 'hostkey');
      }
      return false;
    };
    const timeout = this.opts.connectTimeoutMs ?? (r.connectTimeoutS ? r.connectTimeoutS * 1000 : 15_000);
    return new Promise<Client>((resolve, reject) => {
      const client = new Client();
      let done = false;
      client.once('ready', () => {
        done = true;
        resolve(client);
      });
      client.on('error', (err: Error & { level?: string }) => {
        if (done) return; // after ready, errors surface through the commands ('close')
        done = true;
        client.end();
        if (refusal) return reject(refusal);
        if (err.level === 'client-authentication') return reject(new RemoteError(node, `authentication as ${user} failed on ${where} (tried ${offers.map((o) => (o.type === 'agent' ? 'the agent' : o.path)).join(', ')})`, 'auth'));
        if (err.level === 'client-timeout') return reject(new RemoteError(node, `timed out after ${timeout} ms connecting to ${where}`, 'timeout'));
        reject(new RemoteError(node, `cannot connect to ${where}: ${err.message}`, 'connect'));
      });
      client.on('close', () => {
        if (!done) {
          done = true;
          reject(refusal ?? new RemoteError(node, `connection to ${where} closed during the handshake`, 'connect'));
        }
      });
      client.connect({
        ...(sock ? { sock } : { host: r.hostName, port }),
        username: user,
        hostVerifier: verify,
        authHandler: offers.map((o) => (o.type === 'agent' ? { type: 'agent' as const, username: o.username, agent: o.agent } : { type: 'publickey' as const, username: o.username, key: o.key })),
        readyTimeout: timeout,
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        algorithms: { serverHostKey: [...new Set([...preferred, ...HOST_KEY_ALGOS])] as never },
      });
    });
  }
}

/** The message OpenSSH prints for a changed key, naming the known_hosts line. */
export function changedKeyMessage(name: string, type: string, blob: Buffer, where: string, file: string): string {
  return [
    'REMOTE HOST IDENTIFICATION HAS CHANGED!',
    `The ${type} host key for ${name} does not match the one in ${where} (offending line).`,
    'Someone could be eavesdropping on you right now (man-in-the-middle attack), or the host key has just been changed.',
    `The key sent by the remote host is ${fingerprint(blob)}.`,
    `Host key verification failed; nothing was run. If the change is expected, remove the old key with: ssh-keygen -R '${name}' -f ${file}`,
  ].join('\n');
}

function endConnection(c: Connection): void {
  c.closed = true;
  c.client.end();
  for (const h of c.hops.reverse()) h.end();
}

/** The server would not open a channel (for now): retried by exec. */
class ChannelRefused extends Error {}

/** One node's commands over the shared connection. */
class SshHost implements HostRunner {
  constructor(
    readonly node: string,
    private readonly runner: SshRunner,
  ) {}

  async run(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
    const r = await this.exec(argv, opts);
    return { ...r, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  }

  /** Like run, with stdout kept as bytes (file contents). */
  async exec(argv: readonly string[], opts: RunOptions = {}): Promise<Omit<CommandResult, 'stdout' | 'stderr'> & { stdout: Buffer; stderr: Buffer }> {
    const line = quoteArgv(argv);
    const conn = await this.runner.connection(this.node);
    for (let attempt = 1; ; attempt++) {
      while (conn.active >= MAX_CHANNELS) await new Promise<void>((r) => conn.waiters.push(r));
      conn.active++;
      // The slot is freed when the server closes the channel, not when we stop waiting for it:
      // a timed-out command's channel still counts against sshd's MaxSessions until then.
      let freed = false;
      const release = () => {
        if (freed) return;
        freed = true;
        conn.active--;
        conn.waiters.shift()?.();
      };
      try {
        return await this.channel(conn, line, opts, release);
      } catch (e) {
        release();
        // sshd refuses a channel while it is still closing others: a short wait is enough.
        if (!(e instanceof ChannelRefused) || attempt >= 5) throw e instanceof ChannelRefused ? new RemoteError(this.node, `cannot start a command: ${e.message}`, 'lost') : e;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  private channel(conn: Connection, line: string, opts: RunOptions, release: () => void): Promise<Omit<CommandResult, 'stdout' | 'stderr'> & { stdout: Buffer; stderr: Buffer }> {
    const t0 = Date.now();
    const limit = opts.timeoutMs ?? this.runner.commandTimeoutMs;
    return new Promise((resolve, reject) => {
      const onClose = () => reject(new RemoteError(this.node, `connection lost while running: ${line}`, 'lost'));
      conn.client.once('close', onClose);
      conn.client.exec(line, (err, stream) => {
        if (err) {
          conn.client.removeListener('close', onClose);
          return reject(new ChannelRefused(err.message));
        }
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        let code: number | null = null;
        let signal: string | undefined;
        let timedOut = false;
        let settled = false;
        const finish = () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          conn.client.removeListener('close', onClose);
          resolve({
            code: timedOut ? null : code,
            stdout: Buffer.concat(out),
            stderr: Buffer.concat(errs),
            ...(signal || timedOut ? { signal: signal ?? 'KILL' } : {}),
            ...(timedOut ? { timedOut } : {}),
            durationMs: Date.now() - t0,
          });
        };
        const timer = setTimeout(() => {
          timedOut = true;
          // Ask the server to kill the process, then drop the channel; the caller does not wait
          // for the server to agree (sshd may keep the channel until the process ends).
          try {
            stream.signal('KILL');
          } catch {
            /* older servers: closing the channel is all we can do */
          }
          stream.close();
          finish();
        }, limit);
        stream.on('data', (d: Buffer) => out.push(d));
        stream.stderr.on('data', (d: Buffer) => errs.push(d));
        stream.on('exit', (c: number | null, sig?: string) => {
          code = typeof c === 'number' ? c : null;
          if (sig) signal = sig;
        });
        stream.on('close', () => {
          release();
          finish();
        });
        // Always send EOF: a command reading stdin must not wait for more.
        stream.end(opts.stdin ?? undefined);
      });
    });
  }

  readFile(path: string): Promise<Buffer | undefined> {
    return remoteReadFile(this.node, (argv) => this.exec(argv), path);
  }

  writeFile(path: string, data: Buffer | string, mode: number): Promise<void> {
    return remoteWriteFile(this.node, (argv, o) => this.run(argv, o), path, data, mode);
  }

  async close(): Promise<void> {
    /* connections belong to the runner: closeAll() ends them */
  }
}

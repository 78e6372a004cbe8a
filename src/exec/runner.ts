/**
 * The one interface through which ka2pcmk acts on hosts. Every remote action
 * is an argv array; quoting for the remote shell happens in exactly one
 * place (quoteArgv). Implementations: ssh.ts (ssh2, the only module that
 * imports it) and fake.ts (a scripted queue, for unit tests, in the manner of
 * pcs's test runner).
 */

export interface CommandResult {
  /** Exit code; null when killed by a signal or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command was killed (timeout, signal). */
  signal?: string;
  timedOut?: boolean;
  durationMs: number;
}

export interface RunOptions {
  /** Kill the command after this long (default 60 s). */
  timeoutMs?: number;
  /** Written to the command's standard input, then closed. */
  stdin?: string | Buffer;
}

/** One host: a node of the cluster, reached as root (directly or with sudo configured by the operator). */
export interface HostRunner {
  /** The node name this runner reaches. */
  readonly node: string;
  /** Runs argv on the host; never throws for a non-zero exit (that is a result), only for a lost connection. */
  run(argv: readonly string[], opts?: RunOptions): Promise<CommandResult>;
  /** Reads a whole file; undefined when it does not exist. */
  readFile(path: string): Promise<Buffer | undefined>;
  /** Writes a file atomically (temporary name, fsync, rename) with the given mode. */
  writeFile(path: string, data: Buffer | string, mode: number): Promise<void>;
  close(): Promise<void>;
}

export interface Runner {
  /** The runner for a node (connections are opened once and reused). */
  host(node: string): HostRunner;
  closeAll(): Promise<void>;
}

/** A lost or refused connection, a changed host key, an authentication failure. */
export class RemoteError extends Error {
  constructor(
    readonly node: string,
    message: string,
    readonly kind: 'connect' | 'hostkey' | 'auth' | 'lost' | 'timeout' = 'connect',
  ) {
    super(`${node}: ${message}`);
  }
}

/** POSIX single-quote quoting of one word: the only quoting of remote commands in ka2pcmk. */
export function quoteWord(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command line a remote shell receives for argv. */
export function quoteArgv(argv: readonly string[]): string {
  if (!argv.length) throw new Error('empty argv');
  for (const w of argv) if (w.includes('\0')) throw new Error('a NUL byte cannot be passed in a command argument');
  return argv.map(quoteWord).join(' ');
}

/**
 * Process helpers for the lab: run a command from an argv array, start a
 * detached daemon, and end processes strictly by their recorded pid.
 *
 * A pid alone is not an identity (pids are reused), so every process the lab
 * starts is recorded with its kernel start time (field 22 of /proc/PID/stat);
 * a signal is only ever sent when both still match.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';

/** Outcome of one command. `code` is the exit status, or 128+signal. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@link run}. */
export interface RunOptions {
  /** Kill the command (SIGKILL) after this many ms; the result then has code 124. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
}

/** Error raised by the lab when a step fails; carries the command's output. */
export class LabError extends Error {
  constructor(message: string, readonly result?: RunResult) {
    super(result ? `${message}\n${result.stderr.trim() || result.stdout.trim()}` : message);
    this.name = 'LabError';
  }
}

/** Environment for commands run inside the lab: fixed and minimal, so runs repeat. */
export const LAB_ENV: NodeJS.ProcessEnv = {
  PATH: '/run/ka2pcmk-node/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
  TZ: 'UTC',
};

/** Run argv (no shell) and collect its output. Never rejects for a non-zero exit. */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: opts.env ?? LAB_ENV,
      cwd: opts.cwd ?? '/',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new LabError(`cannot run ${argv[0]}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        code: timedOut ? 124 : (code ?? 128 + (signal ? signalNumber(signal) : 0)),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => undefined); // the command may not read its input
    child.stdin.end(opts.input ?? '');
  });
}

/** Run argv and return stdout; throw a {@link LabError} on a non-zero exit. */
export async function runOk(argv: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new LabError(`command failed (${r.code}): ${argv.join(' ')}`, r);
  return r.stdout;
}

function signalNumber(name: NodeJS.Signals): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };
  return table[name] ?? 0;
}

/** A process the lab started, as recorded in the state file. */
export interface PidRecord {
  pid: number;
  /** Kernel start time (clock ticks since boot): with the pid, the identity. */
  start: string;
  /** What it is, for humans reading the state file. */
  what: string;
}

/** Kernel start time of a pid, or undefined when it does not exist. */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19]; // field 22 overall
  } catch {
    return undefined;
  }
}

/** State letter (R, S, Z, ...) of a pid, or undefined. */
function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** True while the recorded process still exists (same pid, same start time, not a zombie). */
export function isAlive(rec: PidRecord): boolean {
  return startTimeOf(rec.pid) === rec.start && stateOf(rec.pid) !== 'Z';
}

/** Child pids of a pid (from /proc), used to find a node's init under `unshare`. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Record a live pid (throws if it has already gone). */
export function recordPid(pid: number, what: string): PidRecord {
  const start = startTimeOf(pid);
  if (start === undefined) throw new LabError(`${what} (pid ${pid}) exited at once`);
  return { pid, start, what };
}

/**
 * Start a long-running process detached from us (own session, stdin from
 * /dev/null, output appended to a file) so it outlives this Node process and
 * never holds our stdout open.
 */
export function spawnDetached(argv: readonly string[], logFile: string, env: NodeJS.ProcessEnv = LAB_ENV): PidRecord {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(argv[0], argv.slice(1), { env, cwd: '/', detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new LabError(`cannot start ${argv[0]}`);
    child.on('error', () => undefined);
    const rec = recordPid(child.pid, argv.join(' ').slice(0, 200));
    child.unref();
    return rec;
  } finally {
    closeSync(fd);
  }
}

/** Resolve after ms milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `check` every `everyMs` until it returns a value other than undefined/false, or time runs out. */
export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new LabError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * End a recorded process: `signal` first, SIGKILL after `graceMs`, then wait
 * until it is gone. Does nothing if the pid now belongs to someone else.
 */
export async function endRecorded(rec: PidRecord, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
  if (!isAlive(rec)) return;
  try {
    process.kill(rec.pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(rec) && Date.now() < deadline) await sleep(10);
  if (isAlive(rec)) {
    try {
      process.kill(rec.pid, 'SIGKILL');
    } catch {
      return;
    }
    await pollUntil(`pid ${rec.pid} to exit`, () => !isAlive(rec), 10_000, 10);
  }
}

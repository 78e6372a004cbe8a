/**
 * What a command may touch of the outside world. Commands take an Io and
 * return an exit code; only src/index.ts calls process.exit. Tests pass a
 * capturing Io.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Colour allowed (a terminal, no NO_COLOR, no --no-color). */
  color: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** Documented exit codes (MIGRATION.md lists them). */
export const ExitCode = {
  ok: 0,
  /** Input or diagnostic errors. */
  errors: 1,
  /** Usage error. */
  usage: 2,
  /** Migration failed and was rolled back cleanly. */
  rolledBack: 3,
  /** Migration failed and rollback is incomplete: operator action needed. */
  rollbackIncomplete: 4,
} as const;

export class UsageError extends Error {
  readonly exitCode = ExitCode.usage;
}

export function processIo(noColor = false): Io {
  const env = process.env;
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    color: !noColor && !('NO_COLOR' in env && env.NO_COLOR !== '') && (env.FORCE_COLOR ? env.FORCE_COLOR !== '0' : !!process.stdout.isTTY),
    env,
    cwd: process.cwd(),
  };
}

/** An Io that records output, for tests. */
export function captureIo(opts: Partial<Pick<Io, 'env' | 'cwd' | 'color'>> = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    color: opts.color ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    out(t: string) {
      io.stdout += t.endsWith('\n') ? t : t + '\n';
    },
    err(t: string) {
      io.stderr += t.endsWith('\n') ? t : t + '\n';
    },
  };
  return io;
}

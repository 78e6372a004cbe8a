/**
 * A machine-wide lock file, so lab test files (jest may run them in parallel
 * workers) do not bring labs up at the same time and each can check that it
 * left the machine exactly as it found it.
 */
import { openSync, closeSync, writeSync, readFileSync, rmSync } from 'node:fs';
import { isAlive, sleep, startTimeOf } from './proc.js';

/** Default lock used by the lab's tests. */
export const TEST_LOCK = '/run/ka2pcmk-lab-tests.lock';

/**
 * Take the lock at `path` (waiting up to `timeoutMs`); returns the release
 * function. A lock whose holder (pid + start time) is gone is taken over.
 */
export async function acquireLock(path = TEST_LOCK, timeoutMs = 15 * 60_000): Promise<() => void> {
  const me = `${process.pid} ${startTimeOf(process.pid)}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, me + '\n');
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === me) rmSync(path);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = '';
    try {
      holder = readFileSync(path, 'utf8').trim();
    } catch {
      continue; // released meanwhile
    }
    const [pid, start] = holder.split(' ');
    if (!pid || !isAlive({ pid: Number(pid), start: start ?? '', what: 'lock holder' })) {
      // Stale: its holder died. Re-read first to narrow the race with another waiter.
      try {
        if (readFileSync(path, 'utf8').trim() === holder) rmSync(path);
      } catch {
        // someone else cleared it
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`lock ${path} held by pid ${pid} for too long`);
    await sleep(200);
  }
}

/** Remove the lock at `path` if its holder is gone (after an interrupted test run); true if removed. */
export function clearStaleLock(path = TEST_LOCK): boolean {
  let holder: string;
  try {
    holder = readFileSync(path, 'utf8').trim();
  } catch {
    return false;
  }
  const [pid, start] = holder.split(' ');
  if (pid && isAlive({ pid: Number(pid), start: start ?? '', what: 'lock holder' })) return false;
  rmSync(path, { force: true });
  return true;
}

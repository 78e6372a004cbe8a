/**
 * A test hook for fault injection (docs/faults.md), inert unless both
 * variables are set:
 *
 *   KA2PCMK_FAULT_PAUSE_AT=<step id>   e.g. cutover/kill-holder/node1
 *   KA2PCMK_FAULT_PAUSE_FILE=<path>    created by the test before migrate starts
 *
 * When the executor reaches that step, it journals the step as "started"
 * (so a fault injected now meets the journal exactly as a crash mid-step
 * would), writes `<path>.paused` holding its pid and the step id, and waits
 * while `<path>` exists. The test injects its fault (stops sshd, crashes a
 * node, SIGKILLs this process by the pid it read), then removes `<path>`.
 *
 * Why a hook and not watching the journal: a step can finish in a few
 * milliseconds, so a fault aimed at "during step X" would otherwise land
 * before or after it depending on the machine's load.
 */
import { existsSync, writeFileSync } from 'node:fs';

/** Longest pause: a test that died without removing its file must not hang a migration forever. */
export const MAX_PAUSE_MS = 10 * 60_000;

/** Waits while the pause file exists, when `stepId` is the step named by the environment. Returns whether it paused. */
export async function faultPause(stepId: string, env: Readonly<Record<string, string | undefined>> = process.env, pollMs = 50): Promise<boolean> {
  const at = env.KA2PCMK_FAULT_PAUSE_AT;
  const file = env.KA2PCMK_FAULT_PAUSE_FILE;
  if (!at || !file || at !== stepId || !existsSync(file)) return false;
  writeFileSync(`${file}.paused`, `${process.pid} ${stepId}\n`, { mode: 0o600 });
  const end = Date.now() + MAX_PAUSE_MS;
  // A real timer, not the run's injectable sleep: unit tests make that one instant.
  while (existsSync(file) && Date.now() < end) await new Promise((r) => setTimeout(r, pollMs));
  return true;
}

/**
 * `ka2pcmk rollback DIR`: undoes the last migration journaled in DIR, from
 * the journal alone (see src/migrate/rollback.ts). Exit 0 when everything
 * was undone and the VIPs are back on their original holders; 4 when
 * something is left for the operator (MANUAL-STEPS.md says what).
 */
import { join, resolve } from 'node:path';
import type { Runner } from '../exec/runner.js';
import { loadPlan, PlanError, type LoadedPlan } from '../migrate/plan.js';
import { rollback as replay, MANUAL_STEPS, type RollbackResult } from '../migrate/rollback.js';
import { makeSshRunner, type SshCliOptions } from '../remote/connect.js';
import { ExitCode, type Io, UsageError } from './io.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Rolls back with a given runner (the CLI passes the ssh one). */
export async function rollbackWith(plan: LoadedPlan, runner: Runner, io: Io): Promise<RollbackResult> {
  return replay(
    {
      runner,
      dir: plan.dir,
      artifacts: plan.artifacts,
      secret: () => {
        throw new Error('rollback never writes secrets');
      },
      agent: () => {
        throw new Error('rollback never installs agents');
      },
      sleep,
    },
    (l) => io.out(l),
  );
}

/** The exit code and summary of a rollback. */
export function rollbackSummary(r: RollbackResult, dir: string): { code: number; text: string } {
  if (r.empty) return { code: ExitCode.ok, text: `nothing to roll back: ${join(dir, 'journal.ndjson')} records no migration` };
  if (r.ok) return { code: ExitCode.ok, text: `rolled back: ${r.undone.length} step(s) undone, ${r.skipped.length} with nothing to undo${r.vipHome ? `; ${r.vipHome.detail}` : ''}` };
  return { code: ExitCode.rollbackIncomplete, text: `rollback incomplete: ${r.leftovers.length} step(s) could not be undone${r.vipHome && !r.vipHome.ok ? `; ${r.vipHome.detail}` : ''}; see ${join(dir, MANUAL_STEPS)}` };
}

export async function rollbackCommand(dirArg: string, opts: SshCliOptions, io: Io): Promise<number> {
  const dir = resolve(io.cwd, dirArg);
  let plan: LoadedPlan;
  try {
    plan = loadPlan(dir);
  } catch (e) {
    if (e instanceof PlanError) {
      io.err(`ka2pcmk rollback: ${e.message}`);
      return ExitCode.errors;
    }
    throw e;
  }
  let runner: Runner;
  try {
    runner = makeSshRunner(plan.targets, opts, io.env, (t) => io.err(`ka2pcmk: ${t}`));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  try {
    const r = await rollbackWith(plan, runner, io);
    const s = rollbackSummary(r, dirArg);
    (s.code === ExitCode.ok ? io.out : io.err)(s.text);
    return s.code;
  } finally {
    await runner.closeAll();
  }
}

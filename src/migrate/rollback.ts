/**
 * Rollback: replays the inverses of the last migration in the journal, in
 * reverse order, from the journal alone (it works in a fresh process after
 * ka2pcmk was killed mid-migration).
 *
 * - A step journaled "done" has its inverse applied.
 * - A step journaled "started" (or "failed") without "done" may or may not
 *   have taken effect: its check decides; without a check its inverse is
 *   applied anyway, which is why every inverse is idempotent.
 * - Each inverse is journaled too ("undo" lines), so a second rollback skips
 *   what the first one finished and only re-verifies: running it twice is
 *   harmless.
 * - An inverse that fails does not stop the others (leaving more undone would
 *   not help the operator); it is reported with exactly what is left to do by
 *   hand, per host, in order.
 * At the end, the VIPs must be back on the nodes that held them before.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemoteError, type Runner } from '../exec/runner.js';
import { sha256 } from '../plan/artifacts.js';
import { effectPresent, perform, StepFailed, type ActionContext } from './actions.js';
import { clip, Journal, lastRun, readJournal, type Evidence } from './journal.js';
import { describeAction } from './steps.js';
import type { Action } from './types.js';
import type { EventSink, StepState } from '../ui/progress.js';

export const MANUAL_STEPS = 'MANUAL-STEPS.md';

/** One inverse that could not be applied. */
export interface Leftover {
  stepId: string;
  node: string;
  title: string;
  inverse: Action;
  error: string;
}

export interface RollbackResult {
  /** Nothing was journaled: nothing to undo. */
  empty: boolean;
  undone: string[];
  skipped: string[];
  leftovers: Leftover[];
  /** The VIPs' final placement check (null when the migration never touched a host). */
  vipHome: { ok: boolean; detail: string } | null;
  ok: boolean;
}

/**
 * Rolls back the last migration journaled in ctx.dir. With a `sink`, each
 * inverse is a step event (start, then ok / fail / skip with host and
 * duration); without one, `log` receives one line per inverse.
 */
export async function rollback(ctx: ActionContext & { runner: Runner }, log: (line: string) => void, sink?: EventSink): Promise<RollbackResult> {
  const t0s = new Map<string, number>();
  /** One inverse's progress: a sink event, else the legacy log line (`line`, printed for outcomes only). */
  const tell = (id: string, title: string, host: string, state: StepState, line?: string, detail?: string) => {
    if (!sink) {
      if (line !== undefined) log(line);
      return;
    }
    if (state === 'start') t0s.set(id, Date.now());
    const t0 = t0s.get(id);
    sink.step({ id, title, host, state, ...(state !== 'start' && t0 !== undefined ? { durationMs: Date.now() - t0 } : {}), ...(detail ? { detail } : {}) });
  };
  const entries = readJournal(ctx.dir);
  const run = lastRun(entries);
  const result: RollbackResult = { empty: !run, undone: [], skipped: [], leftovers: [], vipHome: null, ok: true };
  if (!run) return result;
  // The inverses read the plan's artifacts (cib-remove deletes cib.xml's ids): they must be the plan that was migrated.
  // (The CLI loads DIR's plan first, so it is there; the engine alone, without one, replays the journal as it is.)
  const planFile = join(ctx.dir, 'plan.json');
  const now = existsSync(planFile) ? sha256(readFileSync(planFile)) : undefined;
  if (now && !now.startsWith(run.begin.planSha256 ?? run.begin.planId)) {
    const detail = `${planFile} is not the plan this journal migrated (sha256 ${(run.begin.planSha256 ?? run.begin.planId).slice(0, 12)}… journaled, ${now.slice(0, 12)}… found): nothing was undone; put back the plan.json that was migrated, then run rollback again`;
    if (sink) sink.note(`FAIL  ${detail}`);
    else log(`  FAIL  ${detail}`);
    return { ...result, vipHome: { ok: false, detail }, ok: false };
  }
  const journal = Journal.open(ctx.dir);
  const unreachable = new Set<string>();
  const todo = [...run.steps].reverse();
  let touched = false;
  for (const js of todo) {
    const { step } = js;
    if (step.phase !== 'preflight') touched = true;
    if (js.undone || js.state === 'skipped' || !step.inverse) {
      if (!js.undone) result.skipped.push(step.id);
      continue;
    }
    if (js.state !== 'done' && step.check) {
      let present = true;
      try {
        present = await effectPresent(ctx.runner, step.node, step.check);
      } catch {
        present = true; // cannot tell: undo anyway (inverses are idempotent)
      }
      if (!present) {
        journal.append({ type: 'undo', t: Date.now(), id: step.id, event: 'skipped', evidence: { note: `"${step.check.argv.join(' ')}" says the step had no effect` } });
        result.skipped.push(step.id);
        tell(`undo/${step.id}`, `undo: ${step.title}`, step.node, 'skip', `  skip  ${step.node}  ${step.title} (it had not taken effect)`, 'it had not taken effect');
        continue;
      }
    }
    journal.append({ type: 'undo', t: Date.now(), id: step.id, event: 'started' });
    tell(`undo/${step.id}`, `undo: ${step.title}`, step.node, 'start');
    try {
      const evidence = await performReconnecting(ctx, step.node, step.inverse, unreachable);
      journal.append({ type: 'undo', t: Date.now(), id: step.id, event: 'done', evidence });
      result.undone.push(step.id);
      tell(`undo/${step.id}`, `undo: ${step.title}`, step.node, 'ok', `  undo  ${step.node}  ${describeAction(step.inverse)}${evidence.note ? `: ${evidence.note}` : ''}`, evidence.note);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      journal.append({ type: 'undo', t: Date.now(), id: step.id, event: 'failed', evidence: e instanceof StepFailed ? e.evidence : { note: clip(msg) } });
      result.leftovers.push({ stepId: step.id, node: step.node, title: step.title, inverse: step.inverse, error: msg });
      tell(`undo/${step.id}`, `undo: ${step.title}`, step.node, 'fail', `  FAIL  ${step.node}  ${describeAction(step.inverse)}: ${msg}`, msg);
    }
  }
  if (touched) {
    const vips = run.begin.vips.flatMap((v) => {
      const h = run.begin.survey.holders[v.address] ?? [];
      return h.length === 1 ? [{ address: v.address, node: h[0] }] : [];
    });
    if (vips.length) {
      const title = 'VIPs back on their original holders';
      tell('rollback/vip-home', title, run.begin.nodes[0], 'start');
      try {
        const e = await perform(ctx, run.begin.nodes[0], { kind: 'vip-home', vips, nodes: run.begin.nodes, timeoutMs: 30_000 });
        result.vipHome = { ok: true, detail: e.note ?? '' };
      } catch (e) {
        result.vipHome = { ok: false, detail: e instanceof Error ? e.message : String(e) };
      }
      tell('rollback/vip-home', title, run.begin.nodes[0], result.vipHome.ok ? 'ok' : 'fail', `  ${result.vipHome.ok ? 'ok  ' : 'FAIL'}  ${title}: ${result.vipHome.detail}`, result.vipHome.detail);
    }
  }
  result.ok = result.leftovers.length === 0 && (result.vipHome?.ok ?? true);
  journal.append({ type: 'end', t: Date.now(), outcome: result.ok ? 'rolled-back' : 'rollback-incomplete', ...(result.ok ? {} : { detail: [...result.leftovers.map((l) => `${l.stepId}: ${l.error}`), ...(result.vipHome && !result.vipHome.ok ? [result.vipHome.detail] : [])].join('; ') }) });
  if (!result.ok) writeManualSteps(ctx.dir, result);
  return result;
}

/** How long (and how many tries, a second apart) an inverse waits for a host it lost the connection to. */
export const RECONNECT = { ms: 30_000, tries: 30 };

/**
 * Performs an inverse, retrying while the host cannot be reached (sshd
 * restarting, a network blip: measured in the lab, a rollback that starts
 * while sshd is down would otherwise leave that host to the operator).
 * A host that stays unreachable for the whole budget is not waited for
 * again: its remaining inverses fail at once and go to MANUAL-STEPS.md.
 */
async function performReconnecting(ctx: ActionContext, node: string, action: Action, unreachable: Set<string>): Promise<Evidence> {
  const t0 = Date.now();
  for (let k = 1; ; k++) {
    try {
      const e = await perform(ctx, node, action);
      unreachable.delete(node);
      return e;
    } catch (e) {
      const lost = e instanceof RemoteError && (e.kind === 'connect' || e.kind === 'lost' || e.kind === 'timeout');
      if (!lost || unreachable.has(node)) throw e;
      if (k >= RECONNECT.tries || Date.now() - t0 >= RECONNECT.ms) {
        unreachable.add(node);
        throw e;
      }
      await ctx.sleep(1000);
    }
  }
}

/** The operator's page when rollback could not finish: what failed and what to run, per host, in order. */
export function manualStepsText(dir: string, r: Pick<RollbackResult, 'leftovers' | 'vipHome'>, extra: string[] = []): string {
  const lines = ['# ka2pcmk: finish the rollback by hand', '', `The automatic rollback of the migration journaled in \`${dir}\` did not finish. Do these, in this order, as root on the host named:`, ''];
  let k = 1;
  for (const l of r.leftovers) {
    lines.push(`${k++}. On **${l.node}** (undoing \`${l.stepId}\`: ${l.title}):`, '', `   \`${describeAction(l.inverse)}\``, '', `   It failed with: ${l.error.replace(/\n/g, ' ')}`, '');
  }
  for (const e of extra) lines.push(`${k++}. ${e}`, '');
  if (r.vipHome && !r.vipHome.ok) lines.push(`${k++}. Check that every VIP is on its original holder, and on no other node: ${r.vipHome.detail}`, '');
  lines.push(`Then run \`ka2pcmk rollback ${dir}\` again: it skips what is done and verifies the VIPs.`, '');
  return lines.join('\n');
}

function writeManualSteps(dir: string, r: RollbackResult): void {
  writeFileSync(join(dir, MANUAL_STEPS), manualStepsText(dir, r), { mode: 0o600 });
}

/**
 * `migrate`'s engine: survey the hosts, refuse a stale plan or an unsafe
 * state, compile the steps, run them one by one through the Runner with the
 * journal written before and after each, probe the VIP during the cutover,
 * run the checklist, and roll back on any failure.
 *
 * Exit codes (STYLE.md): 0 migrated; 1 refused (stale plan, unsafe state,
 * failed preflight: nothing was changed); 3 failed and rolled back cleanly;
 * 4 failed and the rollback is incomplete (MANUAL-STEPS.md says what to do).
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../cli/io.js';
import { RemoteError, type Runner } from '../exec/runner.js';
import { perform, StepFailed, type ActionContext } from './actions.js';
import { faultPause } from './fault-hook.js';
import { clip, Journal, lastRun, readJournal } from './journal.js';
import { planVips, type LoadedPlan } from './plan.js';
import { appendProbeLog, describeReport, PROBE_LOG, startProbe, type ProbeReport, type RunningProbe } from './probe.js';
import { MANUAL_STEPS, manualStepsText, rollback, type RollbackResult } from './rollback.js';
import { agentPath, compileSteps, describeAction } from './steps.js';
import { staleness, survey, unsafeStates } from './survey.js';
import type { Step, Survey } from './types.js';
import { runChecklist } from '../check/run.js';
import { minimalChecklist, type CheckItem } from './verify.js';
import type { EventSink } from '../ui/progress.js';

export interface MigrateRun {
  plan: LoadedPlan;
  runner: Runner;
  /** One line of progress for the operator. */
  log: (line: string) => void;
  tool: string;
  dryRun?: boolean;
  noRollback?: boolean;
  /** Probe the first VIP on this port during the cutover (null: do not probe). */
  probe?: { host?: string; port: number } | null;
  /** A shim agent's text (from the ka2pcmk installation). */
  agent?: (shim: string) => string;
  /** The post-migration checklist; default the minimal one. */
  checklist?: (runner: Runner, plan: LoadedPlan) => Promise<CheckItem[]>;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  /** The corosync authkey (tests); default 256 random bytes, generated once for all nodes. */
  authkey?: Buffer;
  /** Step events (start, then ok / fail / skip with host and duration); without one, `log` gets a line per step. */
  sink?: EventSink;
  /**
   * The operator asked to stop (the CLI aborts it on SIGINT / SIGTERM). Read
   * between steps only: the running step always finishes (or fails and is
   * undone), then the migration stops, is journaled `interrupted`, and rolls
   * back unless `noRollback`. The abort's reason names the signal.
   */
  signal?: AbortSignal;
}

export interface MigrateOutcome {
  code: number;
  steps: Step[];
  survey?: Survey;
  refused?: string[];
  failed?: { step: string; message: string };
  probe?: ProbeReport;
  check?: CheckItem[];
  rollback?: RollbackResult;
  /** Stopped by the operator: the signal, the last step finished and the first one not started. */
  interrupted?: { signal: string; after?: string; before?: string };
}

const sleeper = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Node attributes the shim checks publish (from the plan's instances). */
function checkAttributes(plan: LoadedPlan): string[] {
  return [...new Set(plan.doc.instances.flatMap((i) => i.checks.filter((c) => c.attribute && c.kind !== 'service').map((c) => c.attribute!)))].sort();
}

/** Compiles the plan against a survey (exported for --dry-run and tests). */
export function stepsFor(plan: LoadedPlan, s: Survey): Step[] {
  return compileSteps({
    planId: plan.id,
    nodes: plan.doc.cluster.nodes.map((n) => n.name),
    vips: planVips(plan.doc),
    files: plan.files,
    corosyncConf: plan.artifacts['corosync.conf'],
    shims: plan.doc.shims,
    attributes: checkAttributes(plan),
    survey: s,
  });
}

/** The dry run's text: every command per host, in order, with its inverse. */
export function dryRunText(steps: readonly Step[]): string {
  const out: string[] = [];
  let phase = '';
  steps.forEach((s, k) => {
    if (s.phase !== phase) out.push('', `== ${(phase = s.phase)}`);
    out.push(`${String(k + 1).padStart(3)}. [${s.node}] ${s.title}`, `       do:   ${describeAction(s.action)}`, `       undo: ${s.inverse ? describeAction(s.inverse) : '(nothing to undo)'}`);
  });
  return out.join('\n').trimStart();
}

/**
 * `ka2pcmk check`'s checklist, without the standby test: right after a cutover
 * that lost no probe, migrate does not move the VIP on its own initiative
 * (`ka2pcmk check DIR` runs that test). Skipped items are not failures. If
 * the checklist cannot run at all, the minimal one (verify.ts) decides.
 */
async function fullChecklist(runner: Runner, plan: LoadedPlan, nodes: string[], vips: ReturnType<typeof planVips>): Promise<CheckItem[]> {
  try {
    const res = await runChecklist(runner, plan.doc, { nodes, standby: false, acceptNoStonith: plan.doc.options.stonithDisabled });
    return res.items.map((i) => ({ name: i.title, pass: i.status !== 'fail', evidence: `${i.status}: ${i.detail}` }));
  } catch (e) {
    const items = await minimalChecklist(runner, nodes, vips);
    return [{ name: 'ka2pcmk check', pass: true, evidence: `could not run (${e instanceof Error ? e.message : String(e)}); the minimal checklist decided` }, ...items];
  }
}

export async function executeMigration(r: MigrateRun): Promise<MigrateOutcome> {
  const { plan, runner, log } = r;
  const nodes = plan.doc.cluster.nodes.map((n) => n.name);
  const vips = planVips(plan.doc);
  const sleep = r.sleep ?? sleeper;
  const prior = lastRun(readJournal(plan.dir));
  if (prior && !r.dryRun) {
    const ended = readJournal(plan.dir).filter((e) => e.type === 'end').at(-1);
    const finished = ended && (ended.outcome === 'rolled-back' || ended.outcome === 'migrated') && ended.t >= prior.begin.t;
    if (!finished) return { code: ExitCode.errors, steps: [], refused: [`${join(plan.dir, 'journal.ndjson')} holds a migration that did not finish: run \`ka2pcmk rollback ${plan.dir}\` first`] };
    if (ended.outcome === 'migrated') return { code: ExitCode.errors, steps: [], refused: [`this plan was migrated already (${new Date(ended.t).toISOString()}); \`ka2pcmk rollback ${plan.dir}\` undoes it`] };
  }
  let s: Survey;
  try {
    const files = Object.fromEntries(nodes.map((n) => [n, [...plan.files[n], ...plan.doc.shims.map(agentPath)]]));
    s = await survey(runner, nodes, files, vips.map((v) => v.address));
  } catch (e) {
    return { code: ExitCode.errors, steps: [], refused: [`cannot read the hosts' state: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const refused = [...staleness(plan.pre, s).map((x) => `stale plan: ${x}`), ...unsafeStates(s)];
  if (refused.length) return { code: ExitCode.errors, steps: [], survey: s, refused };
  const steps = stepsFor(plan, s);
  if (r.dryRun) {
    log(dryRunText(steps));
    return { code: ExitCode.ok, steps, survey: s };
  }

  const journal = Journal.open(plan.dir);
  // probes.ndjson holds this run's probes only (the report reads it whole with the journal's last run).
  rmSync(join(plan.dir, PROBE_LOG), { force: true });
  journal.append({ type: 'begin', t: Date.now(), planId: plan.id, planSha256: plan.sha256, tool: r.tool, nodes, vips: vips.map(({ address, resource, group }) => ({ address, resource, group })), survey: s });
  const key = r.authkey ?? randomBytes(256);
  const ctx: ActionContext = {
    runner,
    dir: plan.dir,
    artifacts: plan.artifacts,
    secret: () => key,
    agent: (shim) => {
      if (!r.agent) throw new Error(`the ${shim} agent is not available to this ka2pcmk`);
      return r.agent(shim);
    },
    sleep,
    pollMs: r.pollMs,
  };
  let probe: RunningProbe | undefined;
  const out: MigrateOutcome = { code: ExitCode.ok, steps, survey: s };
  const stopProbe = async () => {
    if (!probe) return;
    out.probe = await probe.stop();
    appendProbeLog(plan.dir, probe.results());
    probe = undefined;
    journal.append({ type: 'probe', t: Date.now(), report: { ...out.probe } });
    log(`VIP probe: ${describeReport(out.probe)}`);
  };
  let failedPhase: Step['phase'] | undefined;
  let lastDone: Step | undefined;
  /** Between two steps (or around the checklist): has the operator asked to stop? Journals it once. */
  const stopRequested = (next?: Step, where = 'before the checklist'): boolean => {
    if (!r.signal?.aborted) return false;
    const signal = typeof r.signal.reason === 'string' ? r.signal.reason : 'interrupt';
    out.interrupted = { signal, ...(lastDone ? { after: lastDone.id } : {}), ...(next ? { before: next.id } : {}) };
    journal.append({ type: 'interrupted', t: Date.now(), ...out.interrupted });
    out.failed = { step: next?.id ?? 'check', message: `interrupted (${signal}) ${next ? `before this step` : where}${lastDone ? `, after ${lastDone.id}` : ''}` };
    // Nothing but preflight ran: nothing was changed (the preflight branch below).
    failedPhase = lastDone?.phase ?? 'preflight';
    return true;
  };
  for (const step of steps) {
    if (stopRequested(step)) break;
    if (!probe && r.probe && vips.length && (step.phase === 'push' || step.phase === 'cutover')) {
      probe = startProbe({ host: r.probe.host ?? vips[0].address, port: r.probe.port });
      log(`probing ${r.probe.host ?? vips[0].address}:${r.probe.port} every 10 ms`);
    }
    journal.append({ type: 'step', t: Date.now(), id: step.id, event: 'started', step });
    await faultPause(step.id); // test hook, inert unless KA2PCMK_FAULT_PAUSE_AT names this step (docs/faults.md)
    const t0 = Date.now();
    const ev = { id: step.id, title: step.title, host: step.node };
    r.sink?.step({ ...ev, state: 'start' });
    try {
      const evidence = await perform(ctx, step.node, step.action);
      journal.append({ type: 'step', t: Date.now(), id: step.id, event: 'done', evidence });
      lastDone = step;
      if (r.sink) r.sink.step({ ...ev, state: 'ok', durationMs: Date.now() - t0, ...(evidence.note ? { detail: evidence.note } : {}) });
      else log(`  ok    ${step.node.padEnd(8)} ${step.title}${evidence.note ? ` — ${evidence.note}` : ''} (${Date.now() - t0} ms)`);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      journal.append({ type: 'step', t: Date.now(), id: step.id, event: 'failed', evidence: e instanceof StepFailed ? e.evidence : { note: clip(msg) } });
      if (r.sink) r.sink.step({ ...ev, state: 'fail', durationMs: Date.now() - t0, detail: msg });
      else log(`  FAIL  ${step.node.padEnd(8)} ${step.title}: ${msg}`);
      out.failed = { step: step.id, message: e instanceof RemoteError ? `lost the connection: ${msg}` : msg };
      failedPhase = step.phase;
      break;
    }
  }
  if (!out.failed && !stopRequested()) {
    // Let a monitor interval pass under the probe: a problem that shows only after the cutover counts too.
    if (probe) await sleep(1000);
    const t0 = Date.now();
    r.sink?.step({ id: 'check', title: 'the checklist', state: 'start' });
    try {
      out.check = await (r.checklist ?? ((rn) => fullChecklist(rn, plan, nodes, vips)))(runner, plan);
    } catch (e) {
      out.check = [{ name: 'checklist ran', pass: false, evidence: e instanceof Error ? e.message : String(e) }];
    }
    journal.append({ type: 'check', t: Date.now(), items: out.check.map(({ name, pass, evidence }) => ({ name, pass, evidence: clip(evidence) ?? '' })) });
    if (r.sink) {
      // The items arrive together, when the checklist ends: each is an outcome (no start of its own).
      out.check.forEach((c, k) => r.sink!.step({ id: `check/${k + 1}`, title: c.name, state: c.pass ? 'ok' : 'fail', detail: c.evidence }));
      const failing = out.check.filter((c) => !c.pass).length;
      r.sink.step({ id: 'check', title: 'the checklist', state: failing ? 'fail' : 'ok', durationMs: Date.now() - t0, detail: failing ? `${failing} of ${out.check.length} item(s) failed` : `${out.check.length} item(s) passed` });
    } else for (const c of out.check) log(`  ${c.pass ? 'pass' : 'FAIL'}  ${c.name}: ${c.evidence}`);
    const bad = out.check.filter((c) => !c.pass);
    if (bad.length) out.failed = { step: 'check', message: `checklist: ${bad.map((c) => c.name).join('; ')}` };
    // The operator was told "stopping, then rolling back": a stop asked for while the checklist ran is kept too.
    else stopRequested(undefined, 'during the checklist');
  }
  await stopProbe();
  if (!out.failed) {
    journal.append({ type: 'end', t: Date.now(), outcome: 'migrated' });
    return out;
  }
  journal.append({ type: 'end', t: Date.now(), outcome: 'failed', detail: `${out.failed.step}: ${out.failed.message}` });
  if (failedPhase === 'preflight') {
    // Nothing was changed yet: no rollback, an input error.
    journal.append({ type: 'end', t: Date.now(), outcome: 'rolled-back', detail: `${out.interrupted ? 'interrupted during preflight' : 'preflight failed'}: nothing was changed` });
    out.code = ExitCode.errors;
    return out;
  }
  if (r.noRollback) {
    const text = manualStepsText(plan.dir, { leftovers: [], vipHome: null }, [
      out.interrupted
        ? `The migration was interrupted (${out.interrupted.signal}) between two steps${out.interrupted.after ? ` (\`${out.interrupted.after}\` finished` : ' ('}${out.interrupted.before ? `${out.interrupted.after ? ', ' : ''}\`${out.interrupted.before}\` never started)` : ')'} and --no-rollback was given: nothing was undone. A migration cannot resume where it stopped: run \`ka2pcmk rollback ${plan.dir}\`, then \`ka2pcmk migrate ${plan.dir}\` to start it again.`
        : `The migration failed at \`${out.failed.step}\` (${out.failed.message}) and --no-rollback was given: nothing was undone. Inspect the hosts, then either fix the cause and finish by hand, or run \`ka2pcmk rollback ${plan.dir}\`.`,
    ]);
    writeFileSync(join(plan.dir, MANUAL_STEPS), text, { mode: 0o600 });
    log(`--no-rollback: nothing undone; see ${join(plan.dir, MANUAL_STEPS)}`);
    out.code = ExitCode.rollbackIncomplete;
    return out;
  }
  log(out.interrupted ? `interrupted (${out.interrupted.signal}): rolling back` : `migration failed at ${out.failed.step}: rolling back`);
  const rb = r.probe && vips.length ? startProbe({ host: r.probe.host ?? vips[0].address, port: r.probe.port }) : undefined;
  out.rollback = await rollback(ctx, log, r.sink);
  if (rb) {
    const rep = await rb.stop();
    appendProbeLog(plan.dir, rb.results());
    journal.append({ type: 'probe', t: Date.now(), report: { ...rep }, phase: 'rollback' });
    log(`VIP probe during rollback: ${describeReport(rep)}`);
  }
  out.code = out.rollback.ok ? ExitCode.rolledBack : ExitCode.rollbackIncomplete;
  if (!out.rollback.ok) log(`rollback incomplete: see ${join(plan.dir, MANUAL_STEPS)}`);
  return out;
}

/**
 * `ka2pcmk rollback DIR`: undoes the last migration journaled in DIR, from
 * the journal alone (see src/migrate/rollback.ts). Exit 0 when everything
 * was undone and the VIPs are back on their original holders; 4 when
 * something is left for the operator (MANUAL-STEPS.md says what).
 */
import { join, resolve } from 'node:path';
import type { Runner } from '../exec/runner.js';
import { loadPlan, PlanError, planVips, type LoadedPlan } from '../migrate/plan.js';
import { Journal, readJournal } from '../migrate/journal.js';
import { appendProbeLog, describeReport, startProbe, type ProbeReport } from '../migrate/probe.js';
import { rollback as replay, MANUAL_STEPS, type RollbackResult } from '../migrate/rollback.js';
import { makeSshRunner, type SshCliOptions } from '../remote/connect.js';
import type { EventSink } from '../ui/progress.js';
import { ExitCode, type Io, UsageError } from './io.js';
import { interruptOnSignals, progressFor } from './migrate.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface RollbackOptions extends SshCliOptions {
  /** TCP port of the VIP, probed every 10 ms while rolling back (keepalived's restart has a gap of its own). */
  probePort?: string;
  probe?: boolean;
  /** NDJSON progress events on stdout (the summary goes to stderr). */
  json?: boolean;
}

/**
 * Rolls back with a given runner (the CLI passes the ssh one); probes the first VIP when `probePort` is given.
 * With a `sink`, each inverse is a step event and free-form lines are its notes; without one, lines go to stdout.
 */
export async function rollbackWith(plan: LoadedPlan, runner: Runner, io: Io, probePort?: number, sink?: EventSink): Promise<RollbackResult & { probe?: ProbeReport }> {
  const log = sink ? (l: string) => sink.note(l) : (l: string) => io.out(l);
  const vip = planVips(plan.doc)[0];
  const probe = probePort && vip ? startProbe({ host: vip.address, port: probePort }) : undefined;
  const r = await replay(
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
    log,
    sink,
  );
  if (!probe) return r;
  const report = await probe.stop();
  // The report's timeline: every probe in probes.ndjson, the summary in the journal (when there is a migration to attach it to).
  if (!r.empty && readJournal(plan.dir).length) {
    appendProbeLog(plan.dir, probe.results());
    Journal.open(plan.dir).append({ type: 'probe', t: Date.now(), report: { ...report }, phase: 'rollback' });
  }
  log(`VIP probe during rollback: ${describeReport(report)}`);
  return { ...r, probe: report };
}

/** The exit code and summary of a rollback. */
export function rollbackSummary(r: RollbackResult, dir: string): { code: number; text: string } {
  if (r.empty) return { code: ExitCode.ok, text: `nothing to roll back: ${join(dir, 'journal.ndjson')} records no migration` };
  if (r.ok) return { code: ExitCode.ok, text: `rolled back: ${r.undone.length} step(s) undone, ${r.skipped.length} with nothing to undo${r.vipHome ? `; ${r.vipHome.detail}` : ''}` };
  return { code: ExitCode.rollbackIncomplete, text: `rollback incomplete: ${r.leftovers.length} step(s) could not be undone${r.vipHome && !r.vipHome.ok ? `; ${r.vipHome.detail}` : ''}; see ${join(dir, MANUAL_STEPS)}` };
}

export async function rollbackCommand(dirArg: string, opts: RollbackOptions, io: Io): Promise<number> {
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
    const port = opts.probe === false ? undefined : Number(opts.probePort ?? 80);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new UsageError(`--probe-port ${opts.probePort}: give a TCP port (1-65535)`);
    return await runRollback(dirArg, plan, runner, io, { json: opts.json, ...(port !== undefined ? { probePort: port } : {}) });
  } finally {
    await runner.closeAll();
  }
}

/**
 * `rollback` once the plan is loaded and the runner made: the progress sink and the summary.
 * SIGINT / SIGTERM do not stop it (a rollback left halfway helps nobody): they are answered with
 * what is happening. Tests pass a stand-in runner, a fixed clock and a fake process.
 */
export async function runRollback(dirArg: string, plan: LoadedPlan, runner: Runner, io: Io, o: { json?: boolean; probePort?: number; now?: () => number; proc?: Pick<NodeJS.Process, 'on' | 'off'> } = {}): Promise<number> {
  const sink = progressFor(io, o.json, o.now);
  const restore = interruptOnSignals((signal) => io.err(`ka2pcmk: ${signal}: the rollback goes on to its end (stopping it halfway would leave the hosts in between); running \`ka2pcmk rollback ${dirArg}\` again afterwards is harmless`), o.proc);
  try {
    const r = await rollbackWith(plan, runner, io, o.probePort, sink);
    const s = rollbackSummary(r, dirArg);
    sink.end({ ok: s.code === ExitCode.ok, code: s.code, ...(o.json ? { text: s.text } : {}) });
    (s.code === ExitCode.ok && !o.json ? io.out : io.err)(s.text);
    return s.code;
  } finally {
    restore();
  }
}

/**
 * `ka2pcmk migrate DIR`: executes the plan in DIR over SSH, journaled and
 * reversible (src/migrate/execute.ts does the work; this file connects it to
 * the command line: ssh options, the shim agents, the output).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Runner } from '../exec/runner.js';
import { executeMigration, type MigrateOutcome } from '../migrate/execute.js';
import { loadPlan, PlanError, type LoadedPlan } from '../migrate/plan.js';
import { describeReport } from '../migrate/probe.js';
import { makeSshRunner, type SshCliOptions } from '../remote/connect.js';
import { createProgress, type EventSink } from '../ui/progress.js';
import { makeStyle } from '../ui/style.js';
import { ExitCode, type Io, UsageError } from './io.js';
import { VERSION } from './version.js';

export interface MigrateOptions extends SshCliOptions {
  dryRun?: boolean;
  /** false with --no-rollback. */
  rollback?: boolean;
  probePort?: string;
  /** Skip the VIP probe (no route from here to the VIP). */
  probe?: boolean;
  /** NDJSON progress events on stdout (the summary goes to stderr). */
  json?: boolean;
}

/**
 * The progress sink of migrate, rollback and check: NDJSON with --json, the
 * live task list on a terminal, plain timestamped lines otherwise
 * (docs/operator-experience.md). `now` is for tests.
 */
export function progressFor(io: Io, json: boolean | undefined, now?: () => number): EventSink {
  return createProgress(io, { json, interactive: process.stdout.isTTY === true, style: makeStyle(io.color), ...(now ? { now } : {}) });
}

/**
 * Turns SIGINT and SIGTERM into `onSignal(name, count)` for as long as the
 * command runs (Node's default, dying at once, could leave a step half-done
 * on a host). Returns the function that puts the defaults back.
 */
export function interruptOnSignals(onSignal: (signal: NodeJS.Signals, count: number) => void, proc: Pick<NodeJS.Process, 'on' | 'off'> = process): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => onSignal(signal, ++count);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const s of signals) proc.on(s, handler);
  return () => {
    for (const s of signals) proc.off(s, handler);
  };
}

/** What migrate says when the operator interrupts it: once what will happen, then that a step is never killed midway. */
export function interruptNotice(signal: string, count: number, noRollback: boolean): string {
  if (count === 1) return `ka2pcmk: ${signal}: stopping after the current step (a step is never left half-done), then ${noRollback ? 'leaving everything as it is (--no-rollback)' : 'rolling back'}`;
  return `ka2pcmk: ${signal} again: already stopping; the step running now finishes (or is undone) first — a second Ctrl-C does not kill a step midway, and a rollback, once started, runs to its end`;
}

/** The agents' text, embedded by scripts/bundle.mjs so that the single-file bundle carries them to a bastion. */
declare const __KA2PCMK_AGENTS__: Record<string, string> | undefined;
const EMBEDDED: Record<string, string> = typeof __KA2PCMK_AGENTS__ !== 'undefined' ? __KA2PCMK_AGENTS__ : {};

/**
 * Where the shim agents are: $KA2PCMK_AGENTS (an operator's own copy wins),
 * else the copy embedded in the bundle, else `agents/` next to the installed
 * ka2pcmk or under the working directory (a checkout).
 */
export function agentLoader(io: Pick<Io, 'env' | 'cwd'>): (shim: string) => string {
  return (shim) => {
    const [, provider, type] = shim.split(':');
    const fromEnv = io.env.KA2PCMK_AGENTS && join(io.env.KA2PCMK_AGENTS, provider, type);
    if (fromEnv && existsSync(fromEnv)) return readFileSync(fromEnv, 'utf8');
    const embedded = EMBEDDED[`${provider}/${type}`];
    if (embedded !== undefined) return embedded;
    const roots = [io.env.KA2PCMK_AGENTS, process.argv[1] && join(dirname(process.argv[1]), '..', 'agents'), process.argv[1] && join(dirname(process.argv[1]), 'agents'), join(io.cwd, 'agents')].filter((x): x is string => !!x);
    for (const r of roots) {
      const p = join(r, provider, type);
      if (existsSync(p)) return readFileSync(p, 'utf8');
    }
    throw new Error(`the ${shim} agent was not found (looked in ${roots.join(', ')}); set KA2PCMK_AGENTS to the folder holding ${provider}/${type}`);
  };
}

/** The text summary after a migration. */
export function outcomeText(o: MigrateOutcome, dir: string, dry = false): string {
  const lines: string[] = [];
  if (o.refused?.length) lines.push('migration refused: nothing was changed', ...o.refused.map((r) => `  - ${r}`));
  if (o.probe) lines.push(`cutover ${describeReport(o.probe)}`);
  if (o.code === ExitCode.ok && !o.refused && !dry) lines.push(`migrated: keepalived → Pacemaker; journal in ${join(dir, 'journal.ndjson')}; \`ka2pcmk rollback ${dir}\` undoes it`);
  const i = o.interrupted;
  if (i) lines.push(`migration interrupted (${i.signal}) between two steps: ${i.after ? `${i.after} finished` : 'no step had run'}${i.before ? `, ${i.before} never started` : ''}; no step was left half-done`);
  else if (o.failed) lines.push(`migration failed at ${o.failed.step}: ${o.failed.message}`);
  if (o.rollback) lines.push(o.rollback.ok ? 'rolled back cleanly: keepalived holds the VIPs again (exit 3)' : `rollback incomplete: see ${join(dir, 'MANUAL-STEPS.md')} (exit 4)`);
  if (i) {
    // A migration cannot resume midway (migrate refuses an unfinished journal): say exactly what to run.
    if (o.code === ExitCode.errors) lines.push(`nothing was changed (only the preflight had run); \`ka2pcmk migrate ${dir}\` starts it again`);
    else if (!o.rollback) lines.push(`nothing was undone (--no-rollback): \`ka2pcmk rollback ${dir}\` rolls it back; then \`ka2pcmk migrate ${dir}\` starts the migration again (it cannot resume midway) (exit 4)`);
    else if (o.rollback.ok) lines.push(`to migrate again: \`ka2pcmk migrate ${dir}\``);
    else lines.push(`finish what ${join(dir, 'MANUAL-STEPS.md')} lists, then \`ka2pcmk rollback ${dir}\` again`);
  }
  return lines.join('\n');
}

/**
 * Runs a migration with a given runner (the CLI passes the ssh one; tests may pass another).
 * Progress goes to `sink` (default: none, free-form lines to stdout); `signal` stops it between steps.
 */
export async function migrateWith(plan: LoadedPlan, runner: Runner, opts: MigrateOptions, io: Io, ctl: { sink?: EventSink; signal?: AbortSignal } = {}): Promise<MigrateOutcome> {
  const port = opts.probePort === undefined ? 80 : Number(opts.probePort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--probe-port ${opts.probePort}: give a TCP port (1-65535)`);
  return executeMigration({
    plan,
    runner,
    // The dry run's listing stays plain text on stdout unless --json asked for events only.
    log: ctl.sink && (opts.json || !opts.dryRun) ? (l) => ctl.sink!.note(l) : (l) => io.out(l),
    ...(ctl.sink ? { sink: ctl.sink } : {}),
    ...(ctl.signal ? { signal: ctl.signal } : {}),
    tool: `ka2pcmk ${VERSION}`,
    dryRun: opts.dryRun,
    noRollback: opts.rollback === false,
    probe: opts.probe === false ? null : { port },
    agent: agentLoader(io),
  });
}

export async function migrate(dirArg: string, opts: MigrateOptions, io: Io): Promise<number> {
  const dir = resolve(io.cwd, dirArg);
  let plan: LoadedPlan;
  try {
    plan = loadPlan(dir);
  } catch (e) {
    if (e instanceof PlanError) {
      io.err(`ka2pcmk migrate: ${e.message}`);
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
    return await runMigration(dirArg, plan, runner, opts, io);
  } finally {
    await runner.closeAll();
  }
}

/**
 * `migrate` once the plan is loaded and the runner made: the progress sink,
 * SIGINT / SIGTERM turned into a stop between steps, and the summary. Tests
 * pass a stand-in runner, a fixed clock and a fake process to signal.
 */
export async function runMigration(dirArg: string, plan: LoadedPlan, runner: Runner, opts: MigrateOptions, io: Io, env: { now?: () => number; proc?: Pick<NodeJS.Process, 'on' | 'off'> } = {}): Promise<number> {
  const sink = progressFor(io, opts.json, env.now);
  const stop = new AbortController();
  const restore = interruptOnSignals((signal, count) => {
    io.err(interruptNotice(signal, count, opts.rollback === false));
    if (opts.json) sink.note(`interrupted (${signal}): stopping after the current step`);
    if (!stop.signal.aborted) stop.abort(signal);
  }, env.proc);
  try {
    const o = await migrateWith(plan, runner, opts, io, { sink, signal: stop.signal });
    const text = outcomeText(o, dirArg, opts.dryRun);
    // --json: stdout holds the events alone; the summary is the end event's text, and stderr's.
    sink.end({ ok: o.code === ExitCode.ok, code: o.code, ...(opts.json && text ? { text } : {}) });
    if (text) (o.code === ExitCode.ok && !opts.json ? io.out : io.err)(text);
    return o.code;
  } finally {
    restore();
  }
}

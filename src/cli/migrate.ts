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
import { ExitCode, type Io, UsageError } from './io.js';
import { VERSION } from './version.js';

export interface MigrateOptions extends SshCliOptions {
  dryRun?: boolean;
  /** false with --no-rollback. */
  rollback?: boolean;
  probePort?: string;
  /** Skip the VIP probe (no route from here to the VIP). */
  probe?: boolean;
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
  if (o.failed) lines.push(`migration failed at ${o.failed.step}: ${o.failed.message}`);
  if (o.rollback) lines.push(o.rollback.ok ? 'rolled back cleanly: keepalived holds the VIPs again (exit 3)' : `rollback incomplete: see ${join(dir, 'MANUAL-STEPS.md')} (exit 4)`);
  return lines.join('\n');
}

/** Runs a migration with a given runner (the CLI passes the ssh one; tests may pass another). */
export async function migrateWith(plan: LoadedPlan, runner: Runner, opts: MigrateOptions, io: Io): Promise<MigrateOutcome> {
  const port = opts.probePort === undefined ? 80 : Number(opts.probePort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--probe-port ${opts.probePort}: give a TCP port (1-65535)`);
  return executeMigration({
    plan,
    runner,
    log: (l) => io.out(l),
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
    const o = await migrateWith(plan, runner, opts, io);
    const text = outcomeText(o, dirArg, opts.dryRun);
    if (text) (o.code === ExitCode.ok ? io.out : io.err)(text);
    return o.code;
  } finally {
    await runner.closeAll();
  }
}

/**
 * `ka2pcmk check [DIR] [--host ...]`: the post-migration checklist against
 * the nodes of a plan (DIR/plan.json's hosts) or the hosts given. Prints
 * each item with its evidence (failures always, everything with
 * --verbose), or the whole result as JSON. Exit 0 when nothing failed, 1
 * otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checklistText } from '../check/render.js';
import { runChecklist, type ChecklistPlan } from '../check/run.js';
import type { ChecklistResult } from '../check/types.js';
import { RemoteError, type Runner } from '../exec/runner.js';
import type { PlanDocument } from '../plan/artifacts.js';
import { makeSshRunner, type SshCliOptions } from '../remote/connect.js';
import { parseHostArgs } from '../remote/targets.js';
import { makeStyle } from '../ui/style.js';
import { formatDuration, type EventSink } from '../ui/progress.js';
import { ExitCode, type Io, UsageError } from './io.js';
import { progressFor } from './migrate.js';

export interface CheckOptions extends SshCliOptions {
  dir?: string;
  host?: string[];
  json?: boolean;
  verbose?: boolean;
  failover?: boolean;
  /** false with --no-standby. */
  standby?: boolean;
  /** false with --no-stonith: the operator accepts a cluster without fencing. */
  stonith?: boolean;
  /** Seconds a VIP may take to move. */
  moveTimeout?: string;
}

function readPlan(dir: string): PlanDocument {
  const file = join(dir, 'plan.json');
  if (!existsSync(file)) throw new UsageError(`${dir} holds no plan.json (write one with ka2pcmk analyze -o ${dir})`);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as PlanDocument;
  if (plan.kind !== 'ka2pcmk-plan') throw new UsageError(`${file} is not a ka2pcmk plan`);
  return plan;
}

/** Node name → ssh destination: the --host values (named, or by their short host name), else the plan's hosts. */
async function targets(opts: CheckOptions, plan: PlanDocument | undefined, io: Io): Promise<{ runner: Runner; nodes: string[] } | undefined> {
  const note = (t: string) => io.err(`ka2pcmk: ${t}`);
  if (!opts.host?.length) {
    if (!plan?.hosts) throw new UsageError(plan ? 'the plan was made from local files and names no hosts: give --host [NAME=]user@host for each node' : 'give a plan directory or --host [NAME=]user@host for each node');
    const map = Object.fromEntries(Object.entries(plan.hosts).map(([n, h]) => [n, h.target]));
    return { runner: makeSshRunner(map, opts, io.env, note), nodes: Object.keys(map) };
  }
  let args;
  try {
    args = parseHostArgs(opts.host);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const inner = makeSshRunner(Object.fromEntries(args.map((a) => [a.target, a.target])), opts, io.env, note);
  const keyOf = new Map<string, string>();
  for (const a of args) {
    let name = a.name;
    if (!name) {
      const r = await inner.host(a.target).run(['hostname', '-s'], { timeoutMs: 30_000 });
      name = r.stdout.trim();
      if (r.code !== 0 || !name) throw new RemoteError(a.target, `cannot tell the node's name (hostname -s: exit ${r.code}); use --host NAME=${a.target}`, 'connect');
    }
    if (keyOf.has(name)) throw new UsageError(`two hosts are named ${name}: use --host NAME=user@host`);
    keyOf.set(name, a.target);
  }
  const runner: Runner = { host: (n) => inner.host(keyOf.get(n) ?? n), closeAll: () => inner.closeAll() };
  return { runner, nodes: [...keyOf.keys()] };
}

export async function check(opts: CheckOptions, io: Io): Promise<number> {
  const plan = opts.dir ? readPlan(resolve(io.cwd, opts.dir)) : undefined;
  const moveTimeoutMs = opts.moveTimeout === undefined ? undefined : Number(opts.moveTimeout) * 1000;
  if (moveTimeoutMs !== undefined && !(moveTimeoutMs > 0)) throw new UsageError(`--move-timeout ${opts.moveTimeout}: give a number of seconds`);
  let t: Awaited<ReturnType<typeof targets>>;
  try {
    t = await targets(opts, plan, io);
  } catch (e) {
    if (!(e instanceof RemoteError)) throw e;
    io.err(`ka2pcmk: ${e.message}`);
    return ExitCode.errors;
  }
  if (!t) return ExitCode.usage;
  // --json's stdout is the ChecklistResult document (`check --json > DIR/check.json` feeds the report), so its progress goes to stderr.
  const sink = progressFor(opts.json ? { ...io, out: io.err } : io, false);
  try {
    const checkPlan: ChecklistPlan = plan;
    const result = await checklistWithProgress(sink, t.nodes, () =>
      runChecklist(t!.runner, checkPlan, {
        nodes: t!.nodes,
        standby: opts.standby !== false,
        failover: !!opts.failover,
        ...(moveTimeoutMs ? { moveTimeoutMs } : {}),
        ...(opts.stonith === false ? { acceptNoStonith: true } : {}),
      }),
    );
    sink.end({ ok: result.ok, code: result.ok ? ExitCode.ok : ExitCode.errors });
    if (opts.json) io.out(JSON.stringify(result, null, 2));
    else io.out(checklistText(result, makeStyle(io.color), !!opts.verbose));
    return result.ok ? ExitCode.ok : ExitCode.errors;
  } finally {
    await t.runner.closeAll();
  }
}

/**
 * The checklist as one progress step (start, then ok / fail with its duration
 * and counts). Its items come back together when it ends, and the text that
 * follows lists each of them, so they are not repeated as events.
 */
export async function checklistWithProgress(sink: EventSink, nodes: readonly string[], run: () => Promise<ChecklistResult>, now: () => number = Date.now): Promise<ChecklistResult> {
  const step = { id: 'checklist', title: `the checklist on ${nodes.join(', ') || 'the cluster'}` };
  const t0 = now();
  sink.step({ ...step, state: 'start' });
  let r: ChecklistResult;
  try {
    r = await run();
  } catch (e) {
    sink.step({ ...step, state: 'fail', durationMs: now() - t0, detail: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  const n = (s: string) => r.items.filter((i) => i.status === s).length;
  const timed = r.items.filter((i) => i.measuredMs !== undefined).map((i) => `${i.title}: ${formatDuration(i.measuredMs!)}`);
  sink.step({ ...step, state: r.ok ? 'ok' : 'fail', durationMs: now() - t0, detail: [`${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped`, ...timed].join('; ') });
  return r;
}

/**
 * The VIP moves: when its node goes to standby (always, unless disabled),
 * and, opt-in, when its node's cluster stack stops (`systemctl stop
 * pacemaker corosync`, the closest to a failure an ssh session can cause).
 * Both are timed from the command to the moment Pacemaker locates the VIP on
 * another node and the address is on that node alone (Pacemaker can name the
 * node while the start is still under way), and both put things back (standby off; the stack started
 * and the node online again), whatever happened in between.
 */
import { item, sleep, type CheckContext } from './context.js';
import { Recorder } from './evidence.js';
import { readStatus } from './cluster.js';
import { holdersOf, locate } from './vip.js';
import type { CheckItem, CheckVip } from './types.js';

interface MoveResult {
  /** The one node other than `from` where Pacemaker last located the resource, if it did. */
  node?: string;
  /** The nodes that held the address at that look. */
  holders?: string[];
  /** Pacemaker moved it and the address is on that node alone. */
  done: boolean;
  ms: number;
}

/**
 * Polls, through `via`, until Pacemaker locates the resource on exactly one
 * node other than `from` and the address is there and nowhere else, or the
 * deadline passes; the last look either way.
 */
async function waitMoved(ctx: CheckContext, rec: Recorder, vip: CheckVip, from: string, via: string[], t0: number): Promise<MoveResult> {
  const deadline = t0 + ctx.opts.moveTimeoutMs;
  // Evidence of every poll would bury the one that matters: poll into a scratch recorder, keep the last.
  for (;;) {
    const scratch = new Recorder(ctx.runner);
    const on = await locate(ctx, scratch, vip.resource, via);
    let look: MoveResult = { done: false, ms: Date.now() - t0 };
    if (on && on.length === 1 && on[0] !== from) {
      const { holders } = await holdersOf(ctx, scratch, vip.address);
      look = { node: on[0], holders, done: holders.length === 1 && holders[0] === on[0], ms: Date.now() - t0 };
    }
    if (look.done || Date.now() >= deadline) {
      rec.evidence.push(...scratch.evidence);
      return look;
    }
    await sleep(ctx.opts.pollMs);
  }
}

/** The item for a move's last look. */
function moveItem(id: string, title: string, vip: CheckVip, m: MoveResult, rec: Recorder, ctx: CheckContext): CheckItem {
  if (!m.node) return item(id, title, 'fail', `${vip.resource} did not move within ${ctx.opts.moveTimeoutMs} ms`, rec.evidence);
  if (!m.done) return item(id, title, 'fail', `Pacemaker moved it to ${m.node}, but the address is on ${m.holders!.join(', ') || 'no node'}`, rec.evidence, m.ms);
  return item(id, title, 'pass', `moved to ${m.node} in ${m.ms} ms`, rec.evidence, m.ms);
}

export async function standbyItem(ctx: CheckContext, vip: CheckVip, holder: string): Promise<CheckItem> {
  const id = `standby-moves-vip:${vip.instance}:${vip.address}`;
  const title = `VIP ${vip.address} moves when ${holder} goes to standby`;
  const rec = new Recorder(ctx.runner);
  const others = ctx.nodes.filter((n) => n !== holder);
  try {
    const t0 = Date.now();
    const on = await rec.run(holder, ['crm_attribute', '--node', holder, '--name', 'standby', '--update', 'on']);
    if (on.code !== 0) return item(id, title, 'fail', `cannot put ${holder} in standby`, rec.evidence);
    return moveItem(id, title, vip, await waitMoved(ctx, rec, vip, holder, [...others, holder], t0), rec, ctx);
  } catch (e) {
    return item(id, title, 'fail', `cannot check: ${(e as Error).message}`, rec.evidence);
  } finally {
    // Always put the node back, even after a failure: the checklist must leave the cluster as it found it.
    await rec.run(holder, ['crm_attribute', '--node', holder, '--name', 'standby', '--update', 'off']).catch(() => undefined);
    await settle(ctx, rec, vip);
  }
}

export async function failoverItem(ctx: CheckContext, vip: CheckVip, holder: string): Promise<CheckItem> {
  const id = `failover-moves-vip:${vip.instance}:${vip.address}`;
  const title = `VIP ${vip.address} moves when ${holder}'s cluster stack stops`;
  const rec = new Recorder(ctx.runner);
  const others = ctx.nodes.filter((n) => n !== holder);
  if (!others.length) return item(id, title, 'skip', 'a single node has nowhere to move to', []);
  let result: CheckItem;
  try {
    const t0 = Date.now();
    const stop = await rec.run(holder, ['systemctl', 'stop', 'pacemaker', 'corosync'], undefined, ctx.opts.moveTimeoutMs);
    if (stop.code !== 0) return item(id, title, 'fail', `cannot stop pacemaker and corosync on ${holder}`, rec.evidence);
    result = moveItem(id, title, vip, await waitMoved(ctx, rec, vip, holder, others, t0), rec, ctx);
  } catch (e) {
    result = item(id, title, 'fail', `cannot check: ${(e as Error).message}`, rec.evidence);
  }
  // Bring the node back (pacemaker pulls corosync in) and wait until it is online again.
  await rec.run(holder, ['systemctl', 'start', 'corosync', 'pacemaker'], undefined, ctx.opts.moveTimeoutMs).catch(() => undefined);
  const back = await waitOnline(ctx, holder);
  if (!back && result.status === 'pass') return { ...result, status: 'fail', detail: `${result.detail}, but ${holder} did not come back online within ${ctx.opts.moveTimeoutMs} ms` };
  await settle(ctx, rec, vip);
  return back ? { ...result, detail: `${result.detail}; ${holder} back online` } : result;
}

async function waitOnline(ctx: CheckContext, node: string): Promise<boolean> {
  const deadline = Date.now() + ctx.opts.moveTimeoutMs;
  while (Date.now() < deadline) {
    const { status } = await readStatus(ctx, ctx.nodes);
    if (status?.nodes.some((n) => n.name === node && n.online)) return true;
    await sleep(500);
  }
  return false;
}

/** Waits (bounded) until the VIP is located on exactly one node again, so later items see a settled cluster. */
async function settle(ctx: CheckContext, rec: Recorder, vip: CheckVip): Promise<void> {
  const deadline = Date.now() + ctx.opts.moveTimeoutMs;
  while (Date.now() < deadline) {
    const on = await locate(ctx, new Recorder(ctx.runner), vip.resource);
    if (on?.length === 1) return;
    await sleep(ctx.opts.pollMs);
  }
  rec.evidence.push({ node: '-', argv: ['(settle)'], code: null, output: `${vip.resource} not located on exactly one node after ${ctx.opts.moveTimeoutMs} ms`, durationMs: 0 });
}

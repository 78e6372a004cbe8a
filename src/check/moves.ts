/**
 * The VIP moves: when its node goes to standby (always, unless disabled),
 * and, opt-in, when its node's cluster stack stops (`systemctl stop
 * pacemaker corosync`, the closest to a failure an ssh session can cause).
 * Both are timed from the command to the moment Pacemaker locates the VIP on
 * another node, and both put things back (standby off; the stack started
 * and the node online again), whatever happened in between.
 */
import { item, sleep, type CheckContext } from './context.js';
import { Recorder } from './evidence.js';
import { readStatus } from './cluster.js';
import { holdersOf, locate } from './vip.js';
import type { CheckItem, CheckVip } from './types.js';

/** Polls until `resource` is located on exactly one node other than `from`, through `via`; the node and the time, or undefined. */
async function waitMoved(ctx: CheckContext, rec: Recorder, vip: CheckVip, from: string, via: string[], t0: number): Promise<{ node: string; ms: number } | undefined> {
  const deadline = t0 + ctx.opts.moveTimeoutMs;
  // Evidence of every poll would bury the one that matters: poll into a scratch recorder, keep the last.
  for (;;) {
    const scratch = new Recorder(ctx.runner);
    const on = await locate(ctx, scratch, vip.resource, via);
    const ms = Date.now() - t0;
    if (on && on.length === 1 && on[0] !== from) {
      rec.evidence.push(...scratch.evidence);
      return { node: on[0], ms };
    }
    if (Date.now() > deadline) {
      rec.evidence.push(...scratch.evidence);
      return undefined;
    }
    await sleep(ctx.opts.pollMs);
  }
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
    const moved = await waitMoved(ctx, rec, vip, holder, [...others, holder], t0);
    const h = moved ? await holdersOf(ctx, rec, vip.address) : undefined;
    if (!moved) return item(id, title, 'fail', `${vip.resource} did not move within ${ctx.opts.moveTimeoutMs} ms`, rec.evidence);
    const clean = h!.holders.length === 1 && h!.holders[0] === moved.node;
    return item(id, title, clean ? 'pass' : 'fail', clean ? `moved to ${moved.node} in ${moved.ms} ms` : `Pacemaker moved it to ${moved.node}, but the address is on ${h!.holders.join(', ') || 'no node'}`, rec.evidence, moved.ms);
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
    const moved = await waitMoved(ctx, rec, vip, holder, others, t0);
    result = moved
      ? item(id, title, 'pass', `moved to ${moved.node} in ${moved.ms} ms`, rec.evidence, moved.ms)
      : item(id, title, 'fail', `${vip.resource} did not move within ${ctx.opts.moveTimeoutMs} ms`, rec.evidence);
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

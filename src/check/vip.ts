/**
 * Where each VIP is: on exactly one node (`ip -j addr show` on every node),
 * and that node is the one Pacemaker reports (`crm_resource --locate`).
 */
import { parseIpJson } from '../remote/state.js';
import { failedBy, item, type CheckContext } from './context.js';
import { Recorder } from './evidence.js';
import type { CheckItem, CheckVip } from './types.js';

/** Nodes holding `address` now, from each node's own view; unreachable nodes are listed apart. */
export async function holdersOf(ctx: CheckContext, rec: Recorder, address: string): Promise<{ holders: string[]; unreachable: string[] }> {
  const holders: string[] = [];
  const unreachable: string[] = [];
  for (const node of ctx.nodes) {
    try {
      const r = await rec.run(node, ['ip', '-j', 'addr', 'show'], [`"${address}"`]);
      if (parseIpJson(r.stdout).some((a) => a.address === address)) holders.push(node);
      const ev = rec.evidence[rec.evidence.length - 1];
      // ip's JSON is one long line: show the verdict rather than the whole document.
      ev.output = holders.includes(node) ? `${address} present` : `${address} absent`;
    } catch {
      unreachable.push(node);
    }
  }
  return { holders, unreachable };
}

/** `crm_resource --locate` → the nodes it names. */
export function parseLocate(text: string): string[] {
  return [...text.matchAll(/is running on:\s*(\S+)/g)].map((m) => m[1]).sort();
}

/** Where Pacemaker says a resource runs, asked through the first node that answers. */
export async function locate(ctx: CheckContext, rec: Recorder, resource: string, via = ctx.nodes): Promise<string[] | undefined> {
  for (const node of via) {
    try {
      const r = await rec.run(node, ['crm_resource', '--locate', '--resource', resource], [resource]);
      if (r.code === 0) return parseLocate(r.stdout);
    } catch {
      /* next node */
    }
  }
  return undefined;
}

export async function vipItems(ctx: CheckContext, vip: CheckVip): Promise<{ items: CheckItem[]; holder?: string }> {
  const tag = `${vip.instance}:${vip.address}`;
  const rec = new Recorder(ctx.runner);
  const one = `VIP ${vip.address} (${vip.instance}) on exactly one node`;
  let holders: string[];
  try {
    const h = await holdersOf(ctx, rec, vip.address);
    holders = h.holders;
    if (h.unreachable.length) return { items: [item(`vip-one-holder:${tag}`, one, 'fail', `cannot reach ${h.unreachable.join(', ')}`, rec.evidence), item(`vip-pacemaker:${tag}`, `Pacemaker reports ${vip.address} where it is`, 'skip', 'not every node answered', [])] };
  } catch (e) {
    return { items: [failedBy(e, `vip-one-holder:${tag}`, one, rec.evidence)] };
  }
  const items: CheckItem[] = [];
  items.push(item(`vip-one-holder:${tag}`, one, holders.length === 1 ? 'pass' : 'fail', holders.length === 1 ? `held by ${holders[0]}` : holders.length ? `held by ${holders.length} nodes at once: ${holders.join(', ')}` : 'held by no node', [...rec.evidence]));
  const lrec = new Recorder(ctx.runner);
  const located = await locate(ctx, lrec, vip.resource);
  const title = `Pacemaker reports ${vip.address} (resource ${vip.resource}) where it is`;
  if (!located) items.push(item(`vip-pacemaker:${tag}`, title, 'fail', `no node could locate ${vip.resource} (Pacemaker not running, or no such resource)`, lrec.evidence));
  else {
    const agree = located.length === 1 && holders.length === 1 && located[0] === holders[0];
    items.push(item(`vip-pacemaker:${tag}`, title, agree ? 'pass' : 'fail', agree ? `${vip.resource} runs on ${located[0]}, which holds the address` : `Pacemaker says ${located.join(', ') || 'nowhere'}; the address is on ${holders.join(', ') || 'no node'}`, lrec.evidence));
  }
  return { items, ...(holders.length === 1 ? { holder: holders[0] } : {}) };
}

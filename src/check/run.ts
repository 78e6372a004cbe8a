/**
 * The post-migration checklist: `runChecklist(runner, plan, opts)` runs every
 * item and returns them all (it never stops at the first failure: an
 * operator wants the whole picture). Non-disruptive items run first; the
 * standby test and the opt-in failover test last, each restoring the cluster.
 * `migrate` calls this after the cutover; `ka2pcmk check` prints it.
 */
import type { Runner } from '../exec/runner.js';
import type { PlanDocument } from '../plan/artifacts.js';
import { cibVips } from '../remote/crm.js';
import { clusterItems } from './cluster.js';
import type { CheckContext } from './context.js';
import { Recorder } from './evidence.js';
import { failoverItem, standbyItem } from './moves.js';
import { serviceItems } from './services.js';
import { storageItems } from './storage.js';
import type { CheckItem, CheckVip, ChecklistOptions, ChecklistResult } from './types.js';
import { vipItems } from './vip.js';

/** The parts of a plan the checklist reads (a plan from `analyze -o`, or nothing with `--host` alone). */
export type ChecklistPlan = Pick<PlanDocument, 'cluster' | 'instances' | 'options'> | undefined;

/** VIPs from the plan; without one, the IPaddr2 primitives of the running CIB. */
async function vipsToCheck(plan: ChecklistPlan, nodes: string[], rec: Recorder): Promise<CheckVip[]> {
  if (plan?.instances?.length) return plan.instances.flatMap((i) => i.vips.map((v) => ({ instance: i.instance, address: v.address, resource: v.resource })));
  for (const node of nodes) {
    try {
      const r = await rec.run(node, ['cibadmin', '-Q', '-o', 'resources'], [/IPaddr2|name="ip"/]);
      if (r.code === 0) return cibVips(r.stdout).map((v) => ({ instance: v.resource, address: v.address, resource: v.resource }));
    } catch {
      /* next node */
    }
  }
  return [];
}

export async function runChecklist(runner: Runner, plan: ChecklistPlan, opts: ChecklistOptions = {}): Promise<ChecklistResult> {
  const nodes = opts.nodes ?? plan?.cluster.nodes.map((n) => n.name) ?? [];
  const rec = new Recorder(runner);
  const vips = await vipsToCheck(plan, nodes, rec);
  const ctx: CheckContext = {
    runner,
    nodes,
    vips,
    storage: plan?.options.storage ?? [],
    opts: {
      standby: opts.standby ?? true,
      failover: opts.failover ?? false,
      moveTimeoutMs: opts.moveTimeoutMs ?? 60_000,
      acceptNoStonith: opts.acceptNoStonith ?? plan?.options.stonithDisabled ?? false,
      pollMs: opts.pollMs ?? 250,
    },
  };
  const items: CheckItem[] = [];
  items.push(...(await serviceItems(ctx)));
  items.push(...(await clusterItems(ctx)).items);
  if (!vips.length) items.push({ id: 'vips', title: 'VIPs to check', status: 'fail', detail: 'no VIP: the plan lists none and the cluster has no IPaddr2 resource', evidence: rec.evidence });
  const holders = new Map<string, string>();
  for (const v of vips) {
    const r = await vipItems(ctx, v);
    items.push(...r.items);
    if (r.holder && !holders.has(v.instance)) holders.set(v.instance, r.holder);
  }
  const firstInstance = vips[0]?.instance;
  for (const s of ctx.storage) items.push(...(await storageItems(ctx, s, holders.get(s.instance ?? firstInstance ?? ''))));
  // One VIP per instance is enough to prove that its group moves.
  const movers = vips.filter((v, k) => vips.findIndex((w) => w.instance === v.instance) === k);
  for (const v of movers) {
    const h = holders.get(v.instance);
    const tag = `${v.instance}:${v.address}`;
    if (ctx.opts.standby) items.push(h ? await standbyItem(ctx, v, h) : { id: `standby-moves-vip:${tag}`, title: `VIP ${v.address} moves when its node goes to standby`, status: 'fail', detail: 'no single holder to put in standby', evidence: [] });
    else items.push({ id: `standby-moves-vip:${tag}`, title: `VIP ${v.address} moves when its node goes to standby`, status: 'skip', detail: 'not requested (--no-standby)', evidence: [] });
    if (ctx.opts.failover) {
      // The standby test may have moved the VIP back or not: fail over from wherever it is now.
      const now = (await vipItems(ctx, v)).holder;
      items.push(now ? await failoverItem(ctx, v, now) : { id: `failover-moves-vip:${tag}`, title: `VIP ${v.address} moves when its node fails`, status: 'fail', detail: 'no single holder to fail', evidence: [] });
    } else items.push({ id: `failover-moves-vip:${tag}`, title: `VIP ${v.address} moves when its node fails`, status: 'skip', detail: 'opt-in (--failover): it stops the cluster stack on the VIP holder', evidence: [] });
  }
  return { ok: items.every((i) => i.status !== 'fail'), items };
}

/**
 * The behaviour proof: every scenario through keepalived's election model and
 * through crm_simulate on the emitted CIB, one row per scenario and instance.
 * The only file of src/prove that does I/O, all of it through
 * src/tools/pacemaker.ts.
 *
 * The simulation starts from what a real cluster would hold and crm_simulate
 * cannot produce, since it runs no agent: the check agents' node attributes
 * (pcmk-steps.ts) and the promotion scores of promotable clones
 * (promotion.ts).
 *
 * Speed: the settled cluster (every node up) is simulated once and saved;
 * each scenario starts from that file, so a scenario costs one crm_simulate
 * run per step (two for a service failure) plus a crm_attribute per changed
 * attribute, about 60 ms each; scenarios run a few at a time.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MapResult } from '../map/types.js';
import { removeDir, simulateSteps, tempDir, type Placement } from '../tools/pacemaker.js';
import { judge, type BehaviourRow, type ExplainContext } from './explain.js';
import { simulationSteps, withHealthyAttributes } from './pcmk-steps.js';
import { cibWithTransientAttributes, promotionScores } from './promotion.js';
import { checkTargets, replayKeepalived, scenarios, type Scenario } from './scenarios.js';
import { instanceViews, preemptDelays, type ProveNode } from './views.js';

export type { BehaviourRow, MismatchClass } from './explain.js';
export type { ProveNode } from './views.js';

/** The proof's result. */
export interface BehaviourProof {
  rows: BehaviourRow[];
  scenarios: Scenario[];
  /** Problems running the tools (a scenario whose simulation failed has no rows, and is named here). */
  messages: string[];
  /** Tool runs and wall time, for the report. */
  runs: number;
  ms: number;
}

export interface ProveOptions {
  /** Scenarios simulated at once (default 4: crm_simulate is single-threaded and short-lived). */
  concurrency?: number;
}

/** The node holding a group in a placement ('a+b' if several: a mismatch in itself). */
function holderOf(p: Placement, group: string): string | undefined {
  const nodes = (p[group] ?? []).map((e) => e.node);
  return nodes.length ? [...new Set(nodes)].join('+') : undefined;
}

/** Runs `work` over `items`, at most `limit` at a time, results in input order. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await work(items[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Builds the behaviour table for a mapping: `nodes` are the keepalived nodes
 * the mapping was made from (keepalived's side is computed from them, not from
 * the mapping), `map` is mapToPacemaker's result.
 */
export async function proveBehaviour(nodes: readonly ProveNode[], map: MapResult, options: ProveOptions = {}): Promise<BehaviourProof> {
  const started = Date.now();
  const views = instanceViews(nodes);
  const names = map.model.nodes.map((n) => n.name);
  const targets = checkTargets(views, map.instances);
  const list = scenarios(views, map.instances, names);
  const ctx: ExplainContext = {
    views,
    unmapped: new Set([...targets.values()].filter((t) => !t.attributes.length && !t.resources.length).map((t) => t.key)),
    services: new Set([...targets.values()].filter((t) => t.resources.length).map((t) => t.key)),
    preemptDelay: preemptDelays(nodes),
  };
  const messages: string[] = [];
  let runs = 0;
  const dir = await tempDir('ka2pcmk-prove-');
  try {
    const cib = join(dir, 'cib.xml');
    const settled = join(dir, 'settled.xml');
    // The settled cluster: every check fine, every file at its initial value, and the promotion
    // scores the agents of promotable clones would have set (crm_simulate runs no agent).
    const healthy = withHealthyAttributes(map.model, targets.values());
    await writeFile(cib, cibWithTransientAttributes(healthy, promotionScores(map.model)));
    const base = await simulateSteps(cib, [{ up: names }], { saveAs: settled });
    runs += base.runs;
    if (!base.ok) return { rows: [], scenarios: list, messages: base.messages, runs, ms: Date.now() - started };
    const perScenario = await pool(list, options.concurrency ?? 4, async (s) => {
      // Each logical step may take several transitions; its answer is the last one's.
      const sim = s.steps.map((st) => simulationSteps(map.model, st));
      const r = await simulateSteps(settled, sim.flat());
      runs += r.runs;
      if (!r.ok) {
        messages.push(`${s.id}: ${r.messages.join('; ')}`);
        return [];
      }
      const ends = sim.reduce<number[]>((acc, t) => [...acc, (acc.at(-1) ?? -1) + t.length], []);
      const placements = [base.placements[0], ...ends.map((e) => r.placements[e])];
      const rows = map.instances.map((m) => {
        const pm = placements.map((p) => holderOf(p, m.group));
        // A tie keepalived cannot decide offline (addresses unknown) is taken as Pacemaker decided it; the row says so.
        const ka = replayKeepalived(views, s, {}, { pick: (k) => pm[k] });
        return judge(ctx, s, m.instance, ka, pm);
      });
      // Rows for the instances the scenario is about, and for any other that does not plainly match.
      return rows.filter((r) => !s.instances || s.instances.includes(r.instance) || r.verdict !== 'match');
    });
    return { rows: perScenario.flat(), scenarios: list, messages, runs, ms: Date.now() - started };
  } finally {
    await removeDir(dir);
  }
}

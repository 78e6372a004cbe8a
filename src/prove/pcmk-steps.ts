/**
 * A scenario's steps as crm_simulate transitions, and the emitted model as the
 * simulation starts from it. Pure: run.ts does the running.
 *
 * - a node down is `--node-fail` (a crash), a node back is `--node-up` after
 *   erasing its resource history, as the DC does when a rebooted node joins;
 * - a check with a node attribute: the attribute is set to its failing (or
 *   fine) value before the transition, as the agent that watches the check
 *   would; every such attribute starts "fine" on every node, since the
 *   mapping's rules ban a node where the attribute is missing;
 * - a tracked file: the attributes its check agent (file mode, in the
 *   emitted model) publishes for the value the file now holds: `name` = the
 *   value, and `name_wW` = W × value for each of its `weights`, -INFINITY at
 *   -254 or below (agents/ka2pcmk/check, publish_file); they start at the
 *   value the agent starts the file with (its `init_file`, else 0);
 * - a check the mapping turned into a service: its monitor fails on that node
 *   (rc 7, not running), and Pacemaker reacts as it would: it restarts the
 *   service in place. A service that cannot run there at all would need its
 *   fail count to reach migration-threshold within failure-timeout, which
 *   crm_simulate does not model faithfully (it counts one failure per
 *   injection, does not make a failed start fatal, and measures
 *   failure-timeout against its own clock), so the proof shows the first
 *   reaction and says so (mismatch class service-recovery);
 * - a check with no Pacemaker equivalent: a transition with no change, and
 *   Pacemaker is expected not to move (the row says why).
 */
import { fileWeightAttribute } from '../map/tracks.js';
import type { ClusterModel, NvPair, Primitive } from '../pcmk/model.js';
import { allPrimitives, findResource } from '../pcmk/walk.js';
import type { SimulationStep } from '../tools/pacemaker.js';
import { attributeValue, type CheckTarget, type Step } from './scenarios.js';

/** What the check agent writes for a file whose weighted value reaches keepalived's fault (-254). */
const MINUS_INFINITY = '-INFINITY';

/**
 * The file-mode check agent in the model that publishes `attribute`: its
 * weights, and the value the file holds when the agent starts (it writes
 * `init_file` to a missing file; a missing file reads 0).
 */
function fileAgent(model: ClusterModel, attribute: string): { weights: number[]; initial: number } | undefined {
  const param = (p: Primitive, name: string) => p.instanceAttributes?.find((a) => a.name === name)?.value;
  const p = allPrimitives(model.cib.resources).find((x) => param(x, 'mode') === 'file' && param(x, 'name') === attribute);
  if (!p) return undefined;
  return { weights: (param(p, 'weights') ?? '').split(/\s+/).filter((w) => w !== '').map(Number), initial: Number(param(p, 'init_file') ?? 0) };
}

/** The attributes a file-mode check agent publishes for a file holding `value` (publish_file). */
export function fileAttributes(model: ClusterModel, attribute: string, value: number): NvPair[] {
  const agent = fileAgent(model, attribute);
  if (!agent) return [];
  return [
    { name: attribute, value: String(value) },
    ...agent.weights.map((w) => ({ name: fileWeightAttribute(attribute, w), value: w * value <= -254 ? MINUS_INFINITY : String(w * value) })),
  ];
}

/** An operation interval as Pacemaker reads it ('10s', '1min', '500ms', '10') in milliseconds. */
export function intervalMs(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/.exec(text);
  if (!m) return 0;
  const unit = m[2] ?? 's';
  const factor = unit.startsWith('ms') ? 1 : unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1000;
  return Math.round(Number(m[1]) * factor);
}

/** The primitive behind a resource id (a clone's or group's first primitive) and its recurring monitor. */
export function monitorOf(model: ClusterModel, id: string): { primitive: string; ms: number } | undefined {
  let r = findResource(model.cib.resources, id);
  while (r && r.kind !== 'primitive') r = r.kind === 'clone' ? r.child : r.members[0];
  const p = r as Primitive | undefined;
  const mon = p?.operations?.find((o) => o.name === 'monitor' && intervalMs(o.interval) > 0);
  return p && mon ? { primitive: p.id, ms: intervalMs(mon.interval) } : undefined;
}

/** The transitions for one step (one each today; a list so that a step may need more). */
export function simulationSteps(model: ClusterModel, step: Step): SimulationStep[] {
  switch (step.kind) {
    case 'node-down':
      return [{ fail: [step.node] }];
    case 'node-up':
      // A node back from a crash runs nothing: its old history goes.
      return [{ up: [step.node], forget: [step.node] }];
    case 'check-fail':
    case 'check-ok':
      return checkSteps(model, step.node, step.check, step.kind === 'check-fail', step.value);
  }
}

function checkSteps(model: ClusterModel, node: string, check: CheckTarget, failing: boolean, value?: number): SimulationStep[] {
  const attributes =
    check.kind === 'file'
      ? // scenarios() always gives a file's value; without one, the model's convention (1 failing, 0 fine).
        check.attributes.flatMap((name) => fileAttributes(model, name, value ?? (failing ? 1 : 0)).map((a) => ({ node, ...a })))
      : check.attributes.map((name) => ({ node, name, value: attributeValue(failing) }));
  const mons = check.resources.map((r) => monitorOf(model, r)).filter((m): m is { primitive: string; ms: number } => !!m);
  if (!failing || mons.length === 0) return [{ attributes }];
  return [{ attributes, ops: mons.map((m) => `${m.primitive}_monitor_${m.ms}@${node}=7`) }];
}

/**
 * The model with every check attribute "fine" on every node, as the
 * simulation's starting point; a file's attributes as its agent publishes
 * them for the value it starts with: the agent's own `init_file` (what the
 * mapping emitted, not keepalived's model, so that a lost init_file shows).
 */
export function withHealthyAttributes(model: ClusterModel, targets: Iterable<CheckTarget>): ClusterModel {
  const list = [...targets];
  if (!list.some((t) => t.attributes.length)) return model;
  return {
    ...model,
    nodes: model.nodes.map((n) => {
      const set = new Map<string, string>();
      for (const t of list) {
        if (t.kind === 'file') for (const name of t.attributes) for (const a of fileAttributes(model, name, fileAgent(model, name)?.initial ?? 0)) set.set(a.name, a.value);
        else for (const name of t.attributes) set.set(name, attributeValue(false));
      }
      const keep: NvPair[] = (n.attributes ?? []).filter((a) => !set.has(a.name));
      return { ...n, attributes: [...keep, ...[...set].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => ({ name, value }))] };
    }),
  };
}

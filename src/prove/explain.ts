/**
 * One row of the behaviour table, and why keepalived and Pacemaker differ
 * when they do. An explanation is never a guess from the scenario's name: each
 * mismatch class is a named departure of the model from keepalived
 * (`Variant`) or of the tie rule, and a class explains a row only when the
 * model replayed with that departure gives Pacemaker's answer. What no class
 * reproduces is "unexplained", and a test fails on it. Pure.
 */
import { effectiveNopreempt, type Election, type InstanceView, type Variant } from './keepalived.js';
import { replayKeepalived, type Scenario } from './scenarios.js';

/** The known reasons for keepalived and Pacemaker to differ. */
export type MismatchClass =
  /** Equal effective priorities: keepalived decides by primary address, Pacemaker by its own node order. */
  | 'tie-order'
  /** preempt_delay: same final holder, but keepalived preempts only after the delay. */
  | 'preempt-delay'
  /** A tracked check with no Pacemaker equivalent in the mapping: Pacemaker does not see its failure. */
  | 'unmapped-check'
  /** A check replaced by a managed service: Pacemaker first restarts the service in place, where keepalived moves the VIP at once. */
  | 'service-recovery'
  /** nopreempt on some nodes only: keepalived applies it per node, the mapping's stickiness per group. */
  | 'nopreempt-partial'
  /** keepalived clamps effective priorities to 1..254 (a tracked file's status to -254..253); scores are not clamped. */
  | 'clamp'
  /** A sync group whose members prefer different nodes: keepalived re-elects forever, Pacemaker keeps them together. */
  | 'sync-conflict';

export const CLASS_TEXT: Readonly<Record<MismatchClass, string>> = {
  'tie-order':
    'equal effective priority: keepalived gives the VIP to the higher primary address, Pacemaker breaks equal scores by its own node order (allocated resources, current node, node name); give the nodes distinct priorities to make both agree',
  'preempt-delay': 'same holder in the end, but keepalived waits preempt_delay before preempting; Pacemaker moves at once (it has no delayed failback)',
  'unmapped-check': 'the mapping gives this tracked check no Pacemaker equivalent (no node attribute, no resource): Pacemaker does not see the failure',
  'service-recovery':
    'the check became a managed service: after a failed monitor Pacemaker restarts the service on the same node and the VIP stays; it moves (by the colocation score, which stands for the weight) only once the service cannot run there (migration-threshold = fall failures within failure-timeout), where keepalived applies the weight at once',
  'nopreempt-partial': 'nopreempt is set on some nodes only: keepalived honours it per node (the challenger\'s), the mapping\'s stickiness holds the VIP on whichever node has it',
  clamp: 'keepalived clamps effective priority to 1..254 (and a tracked file\'s value × weight to 253 at most); Pacemaker scores are not clamped, so the order of the clamped nodes differs',
  'sync-conflict': 'the sync group\'s members prefer different nodes: keepalived re-elects constantly; Pacemaker keeps the colocated groups together',
};

/** One line of the behaviour table. */
export interface BehaviourRow {
  /** Scenario id, e.g. `node-down:node1`. */
  scenario: string;
  /** Scenario in words, e.g. `node1 down`. */
  title: string;
  instance: string;
  /** Where keepalived puts the VIPs after the last step (undefined: nowhere) and why. */
  keepalived: { holder?: string; why: string };
  /** Where crm_simulate puts the instance's group after the last step (undefined: stopped). */
  pacemaker: { holder?: string };
  verdict: 'match' | 'explained' | 'unexplained';
  /** The classes that explain the row (empty for a plain match). */
  classes: MismatchClass[];
  /** The classes' explanation, or what is unexplained. */
  explanation?: string;
}

/** What the classifier needs to know besides the two answers. */
export interface ExplainContext {
  views: readonly InstanceView[];
  /** Checks (`kind:name`) the mapping has no attribute or resource for. */
  unmapped: ReadonlySet<string>;
  /** Checks the mapping turned into managed services. */
  services: ReadonlySet<string>;
  /** preempt_delay (seconds) per instance where keepalived honours it. */
  preemptDelay: ReadonlyMap<string, number>;
}

type Replay = Record<string, Election & { syncConflict?: string[] }>[];

/** The scenario's checks (by key) that some step makes fail. */
const failedChecks = (s: Scenario): Set<string> => new Set(s.steps.flatMap((x) => (x.kind === 'check-fail' ? [x.check.key] : [])));

/**
 * Judges one instance in one scenario. `replay` is keepalived's answer per
 * step (undecidable ties already taken as Pacemaker placed them);
 * `pacemaker` is crm_simulate's holder per step (baseline first).
 */
export function judge(ctx: ExplainContext, scenario: Scenario, instance: string, replay: Replay, pacemaker: readonly (string | undefined)[]): BehaviourRow {
  const last = replay.length - 1;
  const ka = replay[last][instance];
  const pm = pacemaker[last];
  const row: BehaviourRow = { scenario: scenario.id, title: scenario.title, instance, keepalived: { holder: ka.holder, why: ka.reason }, pacemaker: { holder: pm }, verdict: 'match', classes: [] };
  const explained = (classes: MismatchClass[], extra = ''): BehaviourRow => ({
    ...row,
    verdict: 'explained',
    classes,
    explanation: classes.map((c) => CLASS_TEXT[c]).join('; ') + extra,
  });
  if (ka.holder === pm) {
    // Same answer: still say when it rests on an assumption or on different timing.
    const undecided = replay.some((r) => r[instance]?.tieBy === 'unknown');
    if (undecided) return explained(['tie-order'], ' (the addresses are not known offline: the tie was taken as Pacemaker decided it)');
    const delay = ctx.preemptDelay.get(instance);
    if (delay && replay.some((r) => / preempts /.test(r[instance]?.reason ?? ''))) return explained(['preempt-delay'], ` (${delay} s)`);
    const blind = [...failedChecks(scenario)].filter((k) => ctx.unmapped.has(k));
    // Agreeing by luck is still agreeing, but the reader must know Pacemaker did not see the failure.
    return blind.length ? { ...row, explanation: `Pacemaker does not see ${blind.join(', ')} (no mapping yet); keepalived does not move the VIP either` } : row;
  }
  const pick = (step: number) => pacemaker[step];
  const reproduces = (variant: Variant, ties = false): boolean => {
    const r = replayKeepalived(ctx.views, scenario, variant, { pick: (k) => pick(k), always: ties });
    return r[last][instance]?.holder === pm;
  };
  const failed = failedChecks(scenario);
  const unmapped = new Set([...failed].filter((k) => ctx.unmapped.has(k)));
  const services = new Set([...failed].filter((k) => ctx.services.has(k)));
  const candidates: Array<{ cls: MismatchClass; variant: Variant; ties?: boolean }> = [];
  if (replay.some((r) => r[instance]?.tied)) candidates.push({ cls: 'tie-order', variant: {}, ties: true });
  if (unmapped.size) candidates.push({ cls: 'unmapped-check', variant: { ignoreChecks: unmapped } });
  if (services.size) candidates.push({ cls: 'service-recovery', variant: { ignoreChecks: services } });
  const view = ctx.views.find((v) => v.instance === instance);
  const np = view?.nodes.filter((n) => effectiveNopreempt(n)).length ?? 0;
  if (np > 0 && np < (view?.nodes.length ?? 0)) candidates.push({ cls: 'nopreempt-partial', variant: { nopreemptIfAny: true } });
  if (replay.some((r) => r[instance]?.clamped)) candidates.push({ cls: 'clamp', variant: { noClamp: true } });
  for (const c of candidates) if (reproduces(c.variant, c.ties)) return explained([c.cls]);
  if (ka.syncConflict && pm !== undefined && ka.syncConflict.includes(pm)) return explained(['sync-conflict']);
  // Several departures at once.
  const all: Variant = Object.assign({}, ...candidates.map((c) => c.variant), { ignoreChecks: new Set([...unmapped, ...services]) });
  if (candidates.length > 1 && reproduces(all, candidates.some((c) => c.ties))) return explained(candidates.map((c) => c.cls));
  return { ...row, verdict: 'unexplained', explanation: `keepalived puts ${instance} on ${ka.holder ?? 'no node'}, Pacemaker on ${pm ?? 'no node'}; no known difference accounts for it` };
}

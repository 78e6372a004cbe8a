/**
 * The input of `ka2pcmk report`: everything a report shows, as plain data.
 * The loader (load.ts) builds it from whatever a plan directory holds; the
 * renderers (md.ts, html.ts, json.ts, svg.ts) are pure functions of it, so
 * they are tested with synthetic data (fixtures/report/) and never touch the
 * disk or the clock. Times are milliseconds since the epoch, UTC.
 */

/** The JSON report's format version: bumped on any incompatible change. */
export const REPORT_VERSION = 1;

/**
 * One probe of the VIP: when it was sent, and which node answered.
 * `node` is null when the probe was lost (refused or not connected in time),
 * and {@link ANY_NODE} when it was answered but the prober cannot tell by
 * whom (a bare TCP connect does not say).
 */
export interface ProbeSample {
  t: number;
  node: string | null;
}

/** The responder of a probe that was answered by a node the prober could not identify. */
export const ANY_NODE = '*';

/** A run of lost probes: from the first lost probe's send time to the next answered one's. */
export interface CutoverGap {
  start: number;
  end: number;
  ms: number;
  /** Probes lost in it, when known. */
  lost?: number;
  /** Still down when probing stopped. */
  open?: boolean;
  /** Why the probes were lost, error code → count (a refusal and a timeout mean different things). */
  errors?: Record<string, number>;
}

/** How a step ended; `running` when the journal says it started and nothing more (ka2pcmk died). */
export type CutoverStepState = 'ok' | 'fail' | 'skip' | 'running';

/** One migration step (or one inverse replayed by a rollback) on the timeline. */
export interface CutoverStep {
  /** Start and end (t1 = t0 for an instant, or the journal's last time for a step that never ended). */
  t0: number;
  t1: number;
  title: string;
  node: string;
  state: CutoverStepState;
  /** The migration's phase (preflight, backup, bootstrap, push, cutover, finish), or `rollback`. */
  phase?: string;
  /** The step's stable id in the journal. */
  id?: string;
}

/** The picture of a cutover: the probes' answers per node, the downtime gaps, and the steps. */
export interface CutoverRecord {
  /** What was probed, e.g. `192.0.2.100:80`. */
  target?: string;
  /** The timeline's rows, in order: the cluster's nodes (plus ANY_NODE when some answers are anonymous). */
  nodes: string[];
  /** Every probe, when they were recorded one by one (may be empty). */
  probes: ProbeSample[];
  /**
   * When only a summary of the probes was recorded: the probing window. The
   * VIP counts as answered (by {@link ANY_NODE}) throughout, except in the gaps.
   */
  window?: { from: number; to: number; probes?: number; answered?: number };
  gaps: CutoverGap[];
  steps: CutoverStep[];
}

/** One row of the fidelity ledger (as report.md lists it). */
export interface LedgerRow {
  fidelity: string;
  where: string;
  directive: string;
  becomes: string;
  why: string;
}

/** A table as read from report.md (the behaviour proof's). */
export interface Table {
  header: string[];
  rows: string[][];
}

/** One command run as evidence for a checklist item. */
export interface ChecklistEvidence {
  node?: string;
  command: string;
  code?: number | null;
  output?: string;
}

/** One checklist item, from `ka2pcmk check --json` or from migrate's own checklist. */
export interface ChecklistRow {
  title: string;
  status: 'pass' | 'fail' | 'skip';
  detail: string;
  evidence: ChecklistEvidence[];
  measuredMs?: number;
}

/** How the last migration in the journal went. */
export interface MigrationSummary {
  started: number;
  ended?: number;
  /** The journal's last `end` outcome; `unfinished` when there is none (ka2pcmk was killed). */
  outcome: 'migrated' | 'failed' | 'rolled-back' | 'rollback-incomplete' | 'unfinished';
  /** Every `end` outcome in order: `migrated` then `rolled-back` is a success undone later by `ka2pcmk rollback`. */
  history: string[];
  detail?: string;
  tool?: string;
  planId?: string;
  /** Steps by state; `undone` and `undoFailed` count the inverses a rollback replayed. */
  steps: { ok: number; fail: number; skip: number; running: number; undone: number; undoFailed: number };
  /** The longest gap of the probes, in ms (absent when nothing was probed). */
  downtimeMs?: number;
  vips: { address: string; resource: string; group: string }[];
}

/** The plan's facts a report shows (read from plan.json). */
export interface PlanFacts {
  cluster: string;
  tool: string;
  nodes: { name: string; addresses: string[] }[];
  instances: { instance: string; group: string; vips: string[]; scores: Record<string, number>; stickiness: number }[];
  shims: string[];
  fencing: string;
  ledgerCounts: Record<string, number>;
  errors: number;
  warnings: number;
}

/** Everything a report shows. Sections that the directory gave no data for are absent. */
export interface ReportData {
  /** The plan directory, as given on the command line. */
  dir: string;
  plan: PlanFacts;
  ledger?: LedgerRow[];
  behaviour?: Table;
  checklist?: { source: string; ok: boolean; items: ChecklistRow[] };
  migration?: MigrationSummary;
  cutover?: CutoverRecord;
  /** What the loader could not read (a torn journal, an unknown file format): shown, not fatal. */
  notes: string[];
}

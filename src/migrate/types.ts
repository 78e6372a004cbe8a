/**
 * The vocabulary of a migration: steps, their actions and inverses, the
 * checks that tell whether an action's effect is already there, and the
 * survey of the hosts' live state that the steps are compiled against.
 *
 * Everything here is plain data (JSON-serialisable), because every step is
 * written to the journal, with its inverse, before it runs: `rollback` must
 * be able to replay it from the journal alone, in a fresh process, after
 * ka2pcmk itself was killed. Secrets never appear in a step: a write of the
 * corosync authkey names the secret, and the executor holds its bytes.
 */

/** The phases, in the order they run. */
export type Phase = 'preflight' | 'backup' | 'bootstrap' | 'push' | 'cutover' | 'finish';

/** "Is this action's effect already present?": exit 0 (and stdout matching, when given) means yes. */
export interface Check {
  argv: string[];
  /** A regular expression (source) stdout must match for "present". */
  stdoutMatches?: string;
  /** Inverts the answer: a non-zero exit (or no match) means "present". */
  negate?: boolean;
}

/** What a successful command's output must also show (preflight's checks). */
export interface Expect {
  /** A regular expression (source) stdout must match. */
  stdoutMatches?: string;
  /** stdout must be empty (e.g. nothing listens on corosync's port). */
  stdoutEmpty?: boolean;
  /** `df -Pk` output: at least this many KiB available. */
  minAvailKb?: number;
  /** Shown when the expectation fails: what it means for the operator. */
  meaning: string;
}

/** Something one host waits for, polled until true or timed out. */
export type WaitCondition =
  /** crm_mon shows every named node online. */
  | { kind: 'online'; nodes: string[] }
  /** crm_mon shows each resource started on its node (the probe adopted it), with no failed action for it. */
  | { kind: 'adopted'; resources: { id: string; node: string }[] };

/** What a step does on its node. */
export type Action =
  /** Run argv; success when the exit code is in okCodes (default [0]). */
  | { kind: 'run'; argv: string[]; okCodes?: number[]; timeoutMs?: number; expect?: Expect }
  /** Write a file atomically; the content is an artifact of the plan, a named secret, or literal text. */
  | { kind: 'write'; path: string; mode: number; content: { artifact: string } | { secret: 'authkey' } | { agent: string }; owner?: string }
  /** Poll argv's output until `until` holds. */
  | { kind: 'wait'; until: WaitCondition; timeoutMs: number }
  /** Signal a unit's main process and all its descendants at once, by pids read from the host (never by name). */
  | { kind: 'kill-unit'; unit: string; signal: 'KILL' }
  /** Copy files and a unit's enable state to the node's backup folder and to DIR/backup/<node>/, with sha256s. */
  | { kind: 'backup'; files: string[]; unit: string; remoteDir: string }
  /** Put files back byte for byte from the backup (when they differ) and verify their sha256. */
  | { kind: 'restore'; files: { path: string; sha256: string | null }[]; remoteDir: string }
  /** Merge the plan's CIB (plus temporary location preferences) into the live CIB in one patch. */
  /**
   * `only`: the id of a companion constraint that bans the group from every other node while
   * Pacemaker adopts the address (a start that fails on the holder must not start it elsewhere:
   * keepalived still holds it there).
   */
  | { kind: 'cib-push'; artifact: string; prefer: { constraintId: string; rsc: string; node: string; only?: string }[]; workDir: string }
  /** Remove, in one patch, everything the push added (in maintenance mode, so nothing is stopped), then clean up. */
  | { kind: 'cib-remove'; artifact: string; extraIds: string[]; workDir: string; endMaintenance: boolean }
  /** Compare the host's clock with ours. */
  | { kind: 'clock'; maxSkewMs: number }
  /** Several actions on the same node, in order (an inverse that needs more than one command). */
  | { kind: 'seq'; actions: Action[] }
  /** Wait until the VIPs are on their node only (rollback's last word), polling every node. */
  | { kind: 'vip-home'; vips: { address: string; node: string }[]; nodes: string[]; timeoutMs: number };

/** One step of a migration. */
export interface Step {
  /** Stable, unique within the plan: phase/what/node. */
  id: string;
  phase: Phase;
  node: string;
  title: string;
  action: Action;
  /** What undoes it; null when nothing needs undoing (read-only or harmless). */
  inverse: Action | null;
  /** Tells whether the action's effect is present (to skip on resume, and to decide whether a crashed step's inverse is needed). */
  check?: Check;
}

/** The live state of one node, as read just before migrating. */
export interface NodeSurvey {
  node: string;
  keepalived: { active: boolean; enabled: boolean };
  corosync: { active: boolean; enabled: boolean; configured: boolean };
  pacemaker: { active: boolean; enabled: boolean };
  /** IPv4/IPv6 addresses on the node, as `address/prefix dev`. */
  addresses: { address: string; prefix: number; dev: string }[];
  /** sha256 of each file that was asked about; null when it does not exist. */
  files: Record<string, string | null>;
}

/** The live state of every node, plus the cluster's. */
export interface Survey {
  nodes: NodeSurvey[];
  /** Who holds each VIP of the plan (every holder: more than one is a split brain, refused). */
  holders: Record<string, string[]>;
  /** The CIB's admin_epoch:epoch when a cluster runs, else null. */
  cibEpoch: string | null;
  /** A cluster was running before the migration (ka2pcmk then only adds resources, never removes the cluster). */
  clusterExisted: boolean;
}

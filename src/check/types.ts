/**
 * The post-migration checklist's vocabulary: each item passes, fails or is
 * skipped, and carries its evidence (the commands run, where, and the part
 * of their output that decided), so a reader can redo the check by hand.
 */

export type CheckStatus = 'pass' | 'fail' | 'skip';

/** One command run for a check, and what it said. */
export interface Evidence {
  node: string;
  argv: string[];
  code: number | null;
  /** The relevant part of stdout (and stderr when it failed), trimmed. */
  output: string;
  durationMs: number;
}

export interface CheckItem {
  /** Stable id, e.g. `vip-one-holder:VI_1:192.0.2.100`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** Why it passed, failed or was skipped, in one or two sentences. */
  detail: string;
  evidence: Evidence[];
  /** Measured time for timed checks (standby, failover), in ms. */
  measuredMs?: number;
}

export interface ChecklistResult {
  /** No item failed. */
  ok: boolean;
  items: CheckItem[];
}

/** A VIP the checklist follows: its address and the Pacemaker resource that holds it. */
export interface CheckVip {
  instance: string;
  address: string;
  resource: string;
}

export interface ChecklistOptions {
  /** Node names (the runner's keys); default: the plan's cluster nodes. */
  nodes?: string[];
  /** Put the VIP holder in standby and back (default true). */
  standby?: boolean;
  /** Stop pacemaker+corosync on the VIP holder and start them again (default false: disruptive). */
  failover?: boolean;
  /** How long a VIP may take to move (default 60 s). */
  moveTimeoutMs?: number;
  /** The operator accepts a cluster without fencing (the plan's --no-stonith). */
  acceptNoStonith?: boolean;
  /** Poll interval while waiting for a move (default 250 ms). */
  pollMs?: number;
}

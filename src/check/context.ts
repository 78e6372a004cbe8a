/**
 * What every check item works from: the runner, the nodes, the VIPs to
 * follow, the storage to look for, and the options. Also the small helpers
 * items share (a failing item from an exception, waiting with a deadline).
 */
import { RemoteError, type Runner } from '../exec/runner.js';
import type { StorageSpec } from '../map/types.js';
import type { CheckItem, CheckVip, ChecklistOptions, Evidence } from './types.js';

export interface CheckContext {
  runner: Runner;
  nodes: string[];
  vips: CheckVip[];
  storage: StorageSpec[];
  opts: Required<Pick<ChecklistOptions, 'standby' | 'failover' | 'moveTimeoutMs' | 'acceptNoStonith' | 'pollMs'>>;
}

export function item(id: string, title: string, status: CheckItem['status'], detail: string, evidence: Evidence[], measuredMs?: number): CheckItem {
  return { id, title, status, detail, evidence, ...(measuredMs !== undefined ? { measuredMs } : {}) };
}

/** An item that could not be checked because a host did not answer is a failure: the checklist proves nothing about it. */
export function failedBy(e: unknown, id: string, title: string, evidence: Evidence[]): CheckItem {
  if (e instanceof RemoteError) return item(id, title, 'fail', `cannot check: ${e.message}`, evidence);
  throw e;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * What `analyze -o DIR` writes, as data: file name → content, all pure and
 * deterministic (no timestamps, stable order), so that two runs on the same
 * input give byte-identical plans and a reviewer's diff shows only real change.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diag/diagnostic.js';
import { emitAnsibleVars } from '../emit/ansible.js';
import { emitCib, emitConfiguration } from '../emit/cib.js';
import { emitCorosyncConf } from '../emit/corosync.js';
import { emitCrmshScript } from '../emit/crmsh.js';
import { emitPcsScript } from '../emit/pcs.js';
import type { NodeConfig } from '../frontend.js';
import type { MapOptions, MapResult } from '../map/types.js';
import { renderReport, type ReportExtras } from '../view/report.js';

/** The plan format's version: `migrate` refuses any other. */
export const PLAN_VERSION = 1;

export const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

export interface PlanInput {
  node: string;
  configId: string | null;
  files: { path: string; sha256: string }[];
}

export interface PlanDocument {
  kind: 'ka2pcmk-plan';
  version: number;
  tool: string;
  cluster: { name: string; nodes: { name: string; nodeId: number; addresses: string[] }[] };
  inputs: PlanInput[];
  options: { stonithDisabled: boolean; fenceAgent: string | null; lvs: string; storage: MapOptions['storage'] | null };
  instances: MapResult['instances'];
  shims: string[];
  summary: { ledger: Record<string, number>; errors: number; warnings: number };
  /** File name → sha256 of every other file of the plan. */
  artifacts: Record<string, string>;
  /** Node → how ka2pcmk reaches it (analyze --host only; no secrets). */
  hosts?: Record<string, PlanHost>;
  /** The running state the plan was computed against (analyze --host only): migrate refuses a plan whose preconditions changed. */
  preconditions?: PlanPreconditions;
}

/** An ssh destination as recorded in a plan: what to connect to, never a key or a password. */
export interface PlanHost {
  /** As given on the command line (`[user@]host[:port]` or an ssh_config alias). */
  target: string;
  /** What ssh_config made of it. */
  hostName: string;
  user: string;
  port: number;
  proxyJump: string[];
}

/** A node's keepalived service as found. */
export interface KeepalivedState {
  active: boolean;
  enabled: boolean;
  pids: number[];
}

/** The CIB's version triple: Pacemaker bumps it on every change. */
export interface CibEpoch {
  adminEpoch: number;
  epoch: number;
  numUpdates: number;
  /** The node it was read from. */
  node: string;
}

export interface PlanPreconditions {
  /** Node → path → sha256 of every file read (config, includes, scripts); null: absent when read. */
  files: Record<string, Record<string, string | null>>;
  /** Instance → each VIP address and the nodes holding it now, and the nodes holding any. */
  vips: Record<string, { addresses: Record<string, string[]>; holders: string[] }>;
  keepalived: Record<string, KeepalivedState>;
  /** Node → package → installed version (null: not installed). */
  packages: Record<string, Record<string, string | null>>;
  /** The running cluster's CIB version, or 'no cluster'. */
  cib: CibEpoch | 'no cluster';
}

export interface PlanArtifacts {
  files: Record<string, string>;
  plan: PlanDocument;
}

/** Options as they may be recorded in a plan: no secrets (fence parameters may hold passwords). */
function recordedOptions(o: MapOptions): PlanDocument['options'] {
  return { stonithDisabled: !!o.stonithDisabled, fenceAgent: o.fence?.agent ?? null, lvs: o.lvs ?? 'keepalived-checker', storage: o.storage ?? null };
}

export function buildArtifacts(
  nodes: readonly NodeConfig[],
  mapped: MapResult,
  options: MapOptions,
  diagnostics: readonly Diagnostic[],
  show: (p: string) => string,
  tool: string,
  extras: ReportExtras = {},
  /** changes.diff: what the migration changes on each node and in the CIB (plain text, no secret). */
  changes?: string,
): PlanArtifacts {
  const m = mapped.model;
  const files: Record<string, string> = {
    'cib.xml': emitCib(m),
    'configuration.xml': emitConfiguration(m),
    'pcs.sh': emitPcsScript(m),
    'crmsh.crm': emitCrmshScript(m),
    'corosync.conf': emitCorosyncConf(m),
    'ansible-ha_cluster.yml': emitAnsibleVars(m),
    ...(changes !== undefined ? { 'changes.diff': changes } : {}),
  };
  const ledger: Record<string, number> = {};
  for (const e of mapped.ledger) ledger[e.fidelity] = (ledger[e.fidelity] ?? 0) + 1;
  files['report.md'] = renderReport({ nodes, mapped, diagnostics, show, extras, artifacts: files });
  const artifacts = Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((k) => [k, sha256(files[k])]),
  );
  const plan: PlanDocument = {
    kind: 'ka2pcmk-plan',
    version: PLAN_VERSION,
    tool,
    cluster: { name: m.name, nodes: m.nodes.map((n) => ({ name: n.name, nodeId: n.nodeId, addresses: n.addresses })) },
    inputs: nodes.map((n) => ({ node: n.name, configId: n.configId ?? null, files: n.files.map((f) => ({ path: show(f.path), sha256: sha256(f.text) })) })),
    options: recordedOptions(options),
    instances: mapped.instances,
    shims: mapped.shims,
    summary: {
      ledger,
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    },
    artifacts,
  };
  files['plan.json'] = JSON.stringify(plan, null, 2) + '\n';
  return { files, plan };
}

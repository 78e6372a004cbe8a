/**
 * Reading a plan directory for `migrate`: the plan's version, the artifacts'
 * checksums (a plan edited by hand after `analyze` is refused, like a
 * Terraform plan), and the parts `analyze --host` adds (where each node is
 * reached, which files it read there, and the state it saw) normalised into
 * one shape, so that a plan written from local files works too (it then
 * simply has fewer preconditions to re-check).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAN_VERSION, sha256, type PlanDocument } from '../plan/artifacts.js';

/** What `analyze --host` saw, as migrate re-checks it. Every part is optional. */
export interface Preconditions {
  /** Per node: remote path → sha256 (null: the file did not exist). */
  files: Record<string, Record<string, string | null>>;
  /** VIP address → node names holding it at analysis time. */
  holders: Record<string, string[]>;
  /** Per node: keepalived running / enabled at boot. */
  keepalived: Record<string, { active?: boolean; enabled?: boolean }>;
  /** admin_epoch:epoch of the live CIB, null when no cluster ran; undefined when not recorded. */
  cibEpoch?: string | null;
}

/** A plan ready to compile. */
export interface LoadedPlan {
  dir: string;
  doc: PlanDocument;
  /** Short, stable id: the first 12 hex digits of plan.json's sha256 (names the backups). */
  id: string;
  /** plan.json's whole sha256 (the journal records it: rollback refuses a plan.json that is not the one migrated). */
  sha256: string;
  /** Artifact name → content. */
  artifacts: Record<string, string>;
  /** Per node: how to reach it (user@host[:port] or a Host alias of ~/.ssh/config). */
  targets: Record<string, string>;
  /** Per node: the keepalived files to back up (keepalived.conf, included files, scripts). */
  files: Record<string, string[]>;
  pre: Preconditions;
}

export class PlanError extends Error {}

type Loose = Record<string, unknown>;
const isObj = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** keepalived's default configuration file, backed up when the plan names no remote files. */
export const KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';

/**
 * `hosts` as `analyze --host` writes it: a list (or a map by node) of
 * { node, target|host, files: [{path, sha256}] | {path: sha256}, scripts }.
 * Accepts the shapes leniently because the remote analysis is written in
 * parallel with this module; what it cannot read, it leaves to the survey.
 */
function readHosts(doc: Loose, nodes: string[]): { targets: Record<string, string>; files: Record<string, Record<string, string | null>> } {
  const targets: Record<string, string> = {};
  const files: Record<string, Record<string, string | null>> = {};
  const raw = doc.hosts;
  const list: Loose[] = Array.isArray(raw) ? raw.filter(isObj) : isObj(raw) ? Object.entries(raw).filter(([, v]) => isObj(v)).map(([k, v]) => ({ node: k, ...(v as Loose) })) : [];
  for (const h of list) {
    const node = typeof h.node === 'string' ? h.node : typeof h.name === 'string' ? h.name : undefined;
    if (!node || !nodes.includes(node)) continue;
    const target = [h.target, h.host, h.address].find((x) => typeof x === 'string') as string | undefined;
    if (target) targets[node] = target;
    const f: Record<string, string | null> = {};
    for (const key of ['files', 'scripts', 'inputs']) {
      const v = h[key];
      if (Array.isArray(v)) for (const e of v) if (isObj(e) && typeof e.path === 'string') f[e.path] = typeof e.sha256 === 'string' ? e.sha256 : null;
      if (isObj(v)) for (const [p, s] of Object.entries(v)) f[p] = typeof s === 'string' ? s : null;
    }
    if (Object.keys(f).length) files[node] = f;
  }
  return { targets, files };
}

function readPreconditions(doc: Loose, hostFiles: Record<string, Record<string, string | null>>): Preconditions {
  const pre: Preconditions = { files: { ...hostFiles }, holders: {}, keepalived: {} };
  const p = doc.preconditions;
  if (!isObj(p)) return pre;
  const files = p.files;
  if (Array.isArray(files)) {
    for (const e of files) if (isObj(e) && typeof e.node === 'string' && typeof e.path === 'string') (pre.files[e.node] ??= {})[e.path] = typeof e.sha256 === 'string' ? e.sha256 : null;
  } else if (isObj(files)) {
    for (const [node, m] of Object.entries(files)) if (isObj(m)) for (const [path, s] of Object.entries(m)) (pre.files[node] ??= {})[path] = typeof s === 'string' ? s : null;
  }
  const holders = p.vipHolders ?? p.holders ?? p.vips;
  // analyze --host: instance → { addresses: { address: nodes[] }, holders }.
  if (isObj(holders) && Object.values(holders).every((v) => isObj(v) && isObj(v.addresses))) {
    for (const inst of Object.values(holders) as Loose[]) for (const [addr, v] of Object.entries(inst.addresses as Loose)) pre.holders[addr] = Array.isArray(v) ? v.map(String) : [];
  } else if (Array.isArray(holders)) {
    for (const e of holders) if (isObj(e) && typeof e.address === 'string') pre.holders[e.address] = Array.isArray(e.holders) ? e.holders.map(String) : typeof e.node === 'string' ? [e.node] : e.holder ? [String(e.holder)] : [];
  } else if (isObj(holders)) {
    for (const [addr, v] of Object.entries(holders)) pre.holders[addr] = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  }
  const ka = p.keepalived;
  if (isObj(ka)) for (const [node, v] of Object.entries(ka)) if (isObj(v)) pre.keepalived[node] = { active: typeof v.active === 'boolean' ? v.active : typeof v.running === 'boolean' ? v.running : undefined, enabled: typeof v.enabled === 'boolean' ? v.enabled : undefined };
  if (Array.isArray(ka)) for (const v of ka) if (isObj(v) && typeof v.node === 'string') pre.keepalived[v.node] = { active: typeof v.active === 'boolean' ? v.active : typeof v.running === 'boolean' ? v.running : undefined, enabled: typeof v.enabled === 'boolean' ? v.enabled : undefined };
  // analyze --host writes { adminEpoch, epoch, numUpdates, node } or 'no cluster'; num_updates moves with every status change, so it is not compared.
  const cib = p.cibEpoch ?? (isObj(p.cib) ? (typeof p.cib.epoch === 'number' ? `${Number(p.cib.adminEpoch ?? 0)}:${p.cib.epoch}` : undefined) : p.cib === 'no cluster' ? null : undefined);
  if (cib === null) pre.cibEpoch = null;
  else if (typeof cib === 'string' || typeof cib === 'number') pre.cibEpoch = String(cib);
  return pre;
}

/** The checksum file that pins plan.json: `sha256sum plan.json > plan.json.sha256` after reviewing it. */
export const PLAN_PIN = 'plan.json.sha256';

/**
 * plan.json's own checksum: the artifacts' sums live in plan.json, so an
 * edit of plan.json itself (with the sums updated to match) would pass
 * them. When DIR/plan.json.sha256 exists (sha256sum's format), plan.json
 * must match it; rollback also checks plan.json against the sha256 the
 * journal recorded when the migration began (see rollback.ts).
 */
function verifyPinnedChecksum(dir: string, text: string): void {
  const pin = join(dir, PLAN_PIN);
  if (!existsSync(pin)) return;
  const want = /^\s*([0-9a-fA-F]{64})\b/.exec(readFileSync(pin, 'utf8'))?.[1]?.toLowerCase();
  if (!want) throw new PlanError(`${pin}: not a sha256 line (write it with \`sha256sum plan.json > ${PLAN_PIN}\`)`);
  const got = sha256(text);
  if (got !== want) throw new PlanError(`${join(dir, 'plan.json')} was changed after its checksum was recorded in ${PLAN_PIN} (sha256 ${want.slice(0, 12)}… expected, ${got.slice(0, 12)}… found); run analyze again rather than editing the plan`);
}

/** Loads and verifies DIR/plan.json and its artifacts; throws PlanError with the reason. */
export function loadPlan(dir: string): LoadedPlan {
  const file = join(dir, 'plan.json');
  if (!existsSync(file)) throw new PlanError(`${dir}: no plan.json (write one with \`ka2pcmk analyze ... -o ${dir}\`)`);
  const text = readFileSync(file, 'utf8');
  verifyPinnedChecksum(dir, text);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PlanError(`${file}: not JSON (${(e as Error).message})`);
  }
  if (!isObj(raw) || raw.kind !== 'ka2pcmk-plan') throw new PlanError(`${file}: not a ka2pcmk plan`);
  if (raw.version !== PLAN_VERSION) throw new PlanError(`${file}: plan version ${String(raw.version)} is not the version this ka2pcmk executes (${PLAN_VERSION}); run analyze again with this ka2pcmk`);
  const doc = raw as unknown as PlanDocument;
  if (doc.summary?.errors) throw new PlanError(`${file}: the plan records ${doc.summary.errors} error(s); fix them and analyze again`);
  const artifacts: Record<string, string> = {};
  for (const [name, sum] of Object.entries(doc.artifacts ?? {})) {
    const p = join(dir, name);
    if (!existsSync(p)) throw new PlanError(`${dir}: ${name} is missing (the plan lists it)`);
    const content = readFileSync(p, 'utf8');
    if (sha256(content) !== sum) throw new PlanError(`${dir}: ${name} was changed after analyze (sha256 differs from plan.json); run analyze again rather than editing the plan`);
    artifacts[name] = content;
  }
  for (const need of ['cib.xml', 'corosync.conf']) if (!(need in artifacts)) throw new PlanError(`${dir}: the plan has no ${need}`);
  const nodes = doc.cluster.nodes.map((n) => n.name);
  const hosts = readHosts(raw, nodes);
  const pre = readPreconditions(raw, hosts.files);
  const targets: Record<string, string> = {};
  const files: Record<string, string[]> = {};
  for (const n of doc.cluster.nodes) {
    targets[n.name] = hosts.targets[n.name] ?? `root@${n.addresses[0] ?? n.name}`;
    const remote = Object.keys({ ...hosts.files[n.name], ...pre.files[n.name] });
    files[n.name] = remote.length ? [...new Set([KEEPALIVED_CONF, ...remote])].sort() : [KEEPALIVED_CONF];
  }
  return { dir, doc, id: sha256(text).slice(0, 12), sha256: sha256(text), artifacts, targets, files, pre };
}

/** Every VIP of the plan with its instance's group and IPaddr2 resource. */
export function planVips(doc: PlanDocument): { address: string; prefix: number; resource: string; group: string }[] {
  return doc.instances.flatMap((i) => i.vips.map((v) => ({ ...v, group: i.group })));
}

/**
 * Parsing of the mapping options given on the command line: fence devices,
 * storage descriptions, node addresses. Usage errors are UsageError (exit 2).
 */
import { isIP } from 'node:net';
import type { MapOptions, StorageSpec } from '../map/types.js';
import { UsageError } from './io.js';

/** Splits on commas that are not inside parentheses: `a=1,export=net(rw,sync)`. */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

/** `device=/dev/sdb1,directory=/srv/nfs,fstype=ext4[,options=...][,export=CLIENTS(OPTS)...][,instance=VI_1][,drbd=r0]` */
export function parseStorage(spec: string): StorageSpec {
  const s: Partial<StorageSpec> & { exports: StorageSpec['exports'] } = { exports: [] };
  for (const part of splitTopLevel(spec)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new UsageError(`--storage: '${part}' is not KEY=VALUE`);
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (k === 'device') s.device = v;
    else if (k === 'directory' || k === 'dir') s.directory = v;
    else if (k === 'fstype') s.fstype = v;
    else if (k === 'options') s.options = v;
    else if (k === 'instance') s.instance = v;
    else if (k === 'drbd') s.drbdResource = v;
    else if (k === 'export') {
      const m = /^([^()]+)\(([^()]*)\)(?::(\/\S*))?$/.exec(v) ?? /^([^()]+)$/.exec(v);
      if (!m) throw new UsageError(`--storage export=${v}: write CLIENTS(OPTIONS), e.g. 192.0.2.0/24(rw,sync,no_root_squash)`);
      s.exports.push({ clients: m[1], options: m[2] ?? 'rw,sync', ...(m[3] ? { directory: m[3] } : {}) });
    } else throw new UsageError(`--storage: unknown key '${k}' (device, directory, fstype, options, export, instance, drbd)`);
  }
  for (const need of ['device', 'directory', 'fstype'] as const) if (!s[need]) throw new UsageError(`--storage needs ${need}=...`);
  if (!s.directory!.startsWith('/')) throw new UsageError(`--storage directory=${s.directory}: must be an absolute path`);
  return s as StorageSpec;
}

/** `AGENT[:key=value,...]`, e.g. `fence_xvm:pcmk_host_map=node1:vm1;node2:vm2`. */
export function parseFence(spec: string): NonNullable<MapOptions['fence']> {
  const colon = spec.indexOf(':');
  const agent = colon < 0 ? spec : spec.slice(0, colon);
  if (!/^(fence_[A-Za-z0-9_]+|external\/[A-Za-z0-9_-]+)$/.test(agent)) throw new UsageError(`--fence ${spec}: '${agent}' is not a fence agent name (fence_xvm, fence_ipmilan, external/libvirt...)`);
  const params: Record<string, string> = {};
  if (colon >= 0) {
    for (const kv of splitTopLevel(spec.slice(colon + 1))) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`--fence: '${kv}' is not KEY=VALUE`);
      params[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
  }
  return { agent, params };
}

/** `NAME=ADDRESS` */
export function parseNodeAddress(spec: string): [string, string] {
  const eq = spec.indexOf('=');
  const name = spec.slice(0, eq);
  const addr = spec.slice(eq + 1);
  if (eq <= 0 || !isIP(addr)) throw new UsageError(`--node-address ${spec}: write NAME=IP-ADDRESS`);
  return [name, addr];
}

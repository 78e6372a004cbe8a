/**
 * The two views of `ka2pcmk analyze`: a readable summary and one JSON
 * document. Both are derived from the same FrontEndResult, so they always
 * say the same thing.
 */
import { type DiagnosticJson, diagnosticToJson } from '../diag/diagnostic.js';
import { renderDiagnostic } from '../diag/render.js';
import { locate } from '../diag/span.js';
import type { FrontEndResult, NodeConfig } from '../frontend.js';
import type { MapResult } from '../map/types.js';
import type { TrackRef, Vip, VrrpInstance } from '../model/types.js';
import type { Style } from '../ui/style.js';

export type DisplayPath = (p: string) => string;

export interface VipJson {
  address: string;
  prefix: number;
  family: 4 | 6;
  dev?: string;
  label?: string;
  brd?: string;
  scope?: string;
}

export interface InstanceJson {
  node: string;
  name: string;
  state: string | null;
  interface: string | null;
  virtualRouterId: number | null;
  priority: number;
  advertInt: number;
  nopreempt: boolean;
  vips: VipJson[];
  trackScripts: { name: string; weight: number | null }[];
  trackInterfaces: { name: string; weight: number | null }[];
  trackFiles: { name: string; weight: number | null }[];
  notify: Record<string, string[]>;
  unicastPeers: string[];
  syncGroup: string | null;
  file: string;
  line: number;
}

export interface AnalyzeJson {
  version: 1;
  nodes: { name: string; configId: string | null; entry: string; files: string[] }[];
  instances: InstanceJson[];
  syncGroups: { node: string; name: string; members: string[] }[];
  scripts: { node: string; name: string; command: string[]; interval: number | null; weight: number | null; rise: number | null; fall: number | null }[];
  virtualServers: { node: string; key: string; method: string | null; scheduler: string | null; realServers: string[] }[];
  diagnostics: DiagnosticJson[];
  summary: { errors: number; warnings: number; infos: number };
}

const vipJson = (v: Vip): VipJson => {
  const o: VipJson = { address: v.address, prefix: v.prefix, family: v.family };
  if (v.dev) o.dev = v.dev;
  if (v.label) o.label = v.label;
  if (v.brd) o.brd = v.brd;
  if (v.scope) o.scope = v.scope;
  return o;
};
const refJson = (r: TrackRef) => ({ name: r.name, weight: r.weight ?? null });

function instanceJson(node: NodeConfig, i: VrrpInstance, show: DisplayPath): InstanceJson {
  const loc = locate(i.span);
  return {
    node: node.name,
    name: i.name,
    state: i.state ?? null,
    interface: i.interface ?? null,
    virtualRouterId: i.virtualRouterId ?? null,
    priority: i.priority ?? 100,
    advertInt: i.advertInt ?? 1,
    nopreempt: i.nopreempt,
    vips: i.vips.map(vipJson),
    trackScripts: i.trackScripts.map(refJson),
    trackInterfaces: i.trackInterfaces.map(refJson),
    trackFiles: i.trackFiles.map(refJson),
    notify: Object.fromEntries(Object.entries(i.notify).map(([k, v]) => [k, [...v!.argv]])),
    unicastPeers: i.unicastPeers.map((p) => p.address),
    syncGroup: i.syncGroup ?? null,
    file: show(loc.file),
    line: loc.line,
  };
}

export function analyzeJson(r: FrontEndResult, show: DisplayPath): AnalyzeJson {
  const diagnostics = r.diagnostics.map((d) => {
    const j = diagnosticToJson(d);
    if (j.file) j.file = show(j.file);
    for (const rel of j.related ?? []) rel.file = show(rel.file);
    return j;
  });
  return {
    version: 1,
    nodes: r.nodes.map((n) => ({ name: n.name, configId: n.configId ?? null, entry: show(n.entry), files: n.files.map((f) => show(f.path)) })),
    instances: r.nodes.flatMap((n) => n.config.instances.map((i) => instanceJson(n, i, show))),
    syncGroups: r.nodes.flatMap((n) => n.config.syncGroups.map((g) => ({ node: n.name, name: g.name, members: g.members.map((m) => m.name) }))),
    scripts: r.nodes.flatMap((n) =>
      n.config.scripts.map((s) => ({
        node: n.name,
        name: s.name,
        command: [...(s.script?.argv ?? [])],
        interval: s.interval ?? null,
        weight: s.weight ?? null,
        rise: s.rise ?? null,
        fall: s.fall ?? null,
      })),
    ),
    virtualServers: r.nodes.flatMap((n) =>
      n.config.virtualServers.map((v) => ({ node: n.name, key: v.key, method: v.method ?? null, scheduler: v.scheduler ?? null, realServers: v.realServers.map((rs) => `${rs.address} ${rs.port ?? ''}`.trim()) })),
    ),
    diagnostics,
    summary: {
      errors: r.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: r.diagnostics.filter((d) => d.severity === 'warning').length,
      infos: r.diagnostics.filter((d) => d.severity === 'info').length,
    },
  };
}

const vipText = (v: Vip) =>
  [`${v.address}/${v.prefix}${v.prefixWritten ? '' : ' (no prefix written: /' + v.prefix + ')'}`, v.brd && `brd ${v.brd}`, v.dev && `dev ${v.dev}`, v.label && `label ${v.label}`, v.scope && `scope ${v.scope}`]
    .filter(Boolean)
    .join(' ');
const refText = (r: TrackRef, zeroMeans: string) => `${r.name} (${r.weight === undefined ? zeroMeans : `weight ${r.weight > 0 ? '+' : ''}${r.weight}${r.reverse ? ' reverse' : ''}`})`;

/** The readable summary: instances (per node where they differ), groups, services, then every diagnostic. */
export function analyzeText(r: FrontEndResult, style: Style, show: DisplayPath): string {
  const out: string[] = [];
  const multi = r.nodes.length > 1;
  out.push(style.bold(`ka2pcmk analyze: ${r.nodes.length} node${multi ? 's' : ''}`));
  for (const n of r.nodes) out.push(`  ${n.name}: ${show(n.entry)}${n.configId ? ` (config-id ${n.configId})` : ''}${n.files.length > 1 ? `, ${n.files.length - 1} included file(s)` : ''}`);
  const names = [...new Set(r.nodes.flatMap((n) => n.config.instances.map((i) => i.name)))];
  for (const name of names) {
    const per = r.nodes.map((n) => ({ n, i: n.config.instances.find((x) => x.name === name) })).filter((p) => p.i) as { n: NodeConfig; i: VrrpInstance }[];
    const first = per[0].i;
    const loc = locate(first.span);
    out.push('');
    out.push(`${style.bold(`vrrp_instance ${name}`)}  ${style.dim(`${show(loc.file)}:${loc.line}`)}`);
    out.push(`  VRID ${first.virtualRouterId ?? '?'} on ${first.interface ?? '?'}, advert_int ${first.advertInt ?? 1}s${first.nopreempt ? ', nopreempt' : ''}${first.preemptDelay !== undefined ? `, preempt_delay ${first.preemptDelay}s` : ''}${first.syncGroup ? `, sync group ${first.syncGroup}` : ''}`);
    for (const { n, i } of per) out.push(`  ${multi ? n.name + ': ' : ''}state ${i.state ?? 'BACKUP (default)'}, priority ${i.priority ?? '100 (default)'}`);
    out.push(`  VIPs: ${first.vips.length ? first.vips.map(vipText).join(', ') : 'none'}`);
    if (first.excludedVips.length) out.push(`  excluded VIPs: ${first.excludedVips.map(vipText).join(', ')}`);
    if (first.trackScripts.length) out.push(`  track_script: ${first.trackScripts.map((t) => refText(t, "script's weight")).join(', ')}`);
    if (first.trackInterfaces.length) out.push(`  track_interface: ${first.trackInterfaces.map((t) => refText(t, 'down means FAULT')).join(', ')}`);
    if (first.trackFiles.length) out.push(`  track_file: ${first.trackFiles.map((t) => refText(t, "file's weight")).join(', ')}`);
    if (first.trackProcesses.length) out.push(`  track_process: ${first.trackProcesses.map((t) => refText(t, "process's weight")).join(', ')}`);
    for (const [k, v] of Object.entries(first.notify)) out.push(`  notify${k === 'generic' ? '' : '_' + k}: ${v!.argv.join(' ')}`);
    if (first.unicastPeers.length) out.push(`  unicast peers: ${first.unicastPeers.map((p) => p.address).join(', ')}${first.unicastSrcIp ? ` (from ${first.unicastSrcIp})` : ''}`);
    if (first.virtualRoutes.length) out.push(`  virtual_routes: ${first.virtualRoutes.map((x) => x.words.join(' ')).join('; ')}`);
    if (first.useVmac) out.push(`  use_vmac${first.useVmac === true ? '' : ' ' + first.useVmac}`);
  }
  const n0 = r.nodes[0]?.config;
  if (n0) {
    for (const s of n0.scripts) out.push('', `${style.bold(`vrrp_script ${s.name}`)}: ${s.script ? s.script.argv.join(' ') : '(no script)'}${s.interval ? `, every ${s.interval}s` : ''}${s.weight !== undefined ? `, weight ${s.weight}` : ''}${s.rise ? `, rise ${s.rise}` : ''}${s.fall ? `, fall ${s.fall}` : ''}`);
    for (const g of n0.syncGroups) out.push('', `${style.bold(`vrrp_sync_group ${g.name}`)}: ${g.members.map((m) => m.name).join(', ')}`);
    for (const v of n0.virtualServers) {
      out.push('', `${style.bold(`virtual_server ${v.key}`)}: ${v.scheduler ?? 'default scheduler'}, ${v.method ?? 'NAT (default)'}, ${v.realServers.length} real server(s)${v.realServers.length ? ': ' + v.realServers.map((rs) => `${rs.address}${rs.port ? ':' + rs.port : ''}${rs.checks.length ? ' [' + rs.checks.map((c) => c.kind).join(', ') + ']' : ''}`).join(', ') : ''}`);
    }
  }
  const e = r.diagnostics.filter((d) => d.severity === 'error').length;
  const w = r.diagnostics.filter((d) => d.severity === 'warning').length;
  out.push('');
  out.push(`${style.bold('diagnostics')}: ${e ? style.bad(`${e} error${e === 1 ? '' : 's'}`) : style.ok('0 errors')}, ${w} warning${w === 1 ? '' : 's'}`);
  for (const d of r.diagnostics) out.push('', renderDiagnostic(d, style, show));
  return out.join('\n');
}

/** The mapping in the terminal: per instance what it becomes, then every directive that is not an exact match, with why. */
export function mappingText(m: MapResult, style: Style, show: DisplayPath): string {
  const out: string[] = [];
  out.push(style.bold(`Pacemaker: cluster ${m.model.name}, ${m.model.nodes.map((n) => `${n.name} (${n.addresses.join(', ')})`).join(', ')}`));
  for (const i of m.instances) {
    const scores = Object.entries(i.scores)
      .map(([n, s]) => `${n} ${s}`)
      .join(', ');
    out.push(`  vrrp_instance ${i.instance} -> group ${i.group}: ${i.vips.map((v) => v.resource).join(', ') || 'no VIP'}; scores ${scores}; stickiness ${i.stickiness}`);
  }
  const by = (f: string) => m.ledger.filter((e) => e.fidelity === f).length;
  out.push(`  directives: ${m.ledger.length} (${by('exact')} exact, ${by('approximate')} approximate, ${by('shim')} shim, ${by('redesigned')} redesigned, ${by('dropped')} dropped)`);
  const review = m.ledger.filter((e) => e.fidelity === 'approximate' || e.fidelity === 'shim' || e.fidelity === 'dropped');
  if (review.length) out.push(`  to review:`);
  for (const e of review) {
    const l = locate(e.span);
    const tag = e.fidelity === 'dropped' ? style.bad(e.fidelity.padEnd(11)) : style.warn(e.fidelity.padEnd(11));
    out.push(`    ${tag} ${style.dim(`${show(l.file)}:${l.line}`)} ${e.text} -> ${e.target}: ${e.reason}`);
  }
  return out.join('\n');
}

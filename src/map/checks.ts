/**
 * vrrp_script + track_script (instance and sync-group level).
 *
 * A script that only asks "is this daemon alive?" becomes the daemon itself,
 * managed by Pacemaker (`systemd:<unit>`), cloned and colocated with the VIP
 * group with the script's weight as the colocation score: Pacemaker then
 * restarts the daemon instead of only watching it, which is what keepalived
 * users usually wanted. Any other script runs under our `ocf:ka2pcmk:check`
 * agent, which publishes the result as a node attribute, and location rules
 * turn the attribute into keepalived's priority adjustment (weights.ts).
 */
import type { TrackRef, VrrpInstance, VrrpScript } from '../model/types.js';
import type { Clone, NvPair, Primitive, Score } from '../pcmk/model.js';
import type { MapContext } from './context.js';
import { directivesOf } from './instances.js';
import { recordAt, recordBlocks } from './directives.js';
import { shLine, unstorableArgument } from './quote.js';
import { serviceOfCommand, type ServiceMatch } from './services.js';
import { liveSites, recordRefs, type RefUse, withGroupRefs } from './group-refs.js';
import { addCheckRules, addClone, adjustment, mappingOf, seconds, type TrackSite, trackSites, weightRule, weightsText } from './weights.js';

/** What a check needs, whatever declared it (vrrp_script or vrrp_track_process). */
export interface CheckSpec {
  kind: 'script' | 'process';
  /** The declaring object's owner, e.g. `vrrp_script:chk`. */
  owner: string;
  name: string;
  span: VrrpScript['span'];
  argv: readonly string[];
  interval?: number;
  timeout?: number;
  rise?: number;
  fall?: number;
  user?: string;
  initFail?: boolean;
  /** Reasons for the owner's own keywords (interval, quorum...), beyond the common ones. */
  reasons?: Record<string, string>;
}

/** The shim agent that runs arbitrary checks (agents/ka2pcmk/check). */
export const CHECK_AGENT = 'ocf:ka2pcmk:check';

/** The node attribute our check agent sets for a script or file. */
export function checkAttribute(name: string): string {
  return `ka2pcmk_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Each script's definition per node, by name, in first-seen order. */
function scriptsByName(ctx: MapContext): Map<string, { node: string; script: VrrpScript }[]> {
  const out = new Map<string, { node: string; script: VrrpScript }[]>();
  for (const n of ctx.nodes) for (const s of n.config.scripts) out.set(s.name, [...(out.get(s.name) ?? []), { node: n.name, script: s }]);
  return out;
}

/**
 * Where a script is tracked: instance-level refs with their weights, and
 * sync-group refs on each member with theirs (group-refs.ts), with the
 * `reverse` they inherit from the vrrp_script (refReverse). Superseded sites
 * are kept for the ledger; liveSites gives the applied ones.
 */
function sitesOf(ctx: MapContext, name: string, defs: { node: string; script: VrrpScript }[]): Map<string, TrackSite[]> {
  const byNode = (node: string) => defs.find((d) => d.node === node)?.script;
  return withGroupRefs(ctx, trackSites(ctx, (i) => i.trackScripts, name, byNode, 0), (g) => g.trackScripts, name, 'script');
}

export function mapChecks(ctx: MapContext): void {
  for (const [name, defs] of scriptsByName(ctx)) {
    const script = defs[0].script;
    const owner = `vrrp_script:${name}`;
    const all = sitesOf(ctx, name, defs);
    const sites = liveSites(all);
    if (defs.some((d) => (d.script.script?.argv ?? []).join('\u0000') !== (script.script?.argv ?? []).join('\u0000'))) {
      ctx.diags.warning('script-differs', `vrrp_script ${name} runs different commands on different nodes; ka2pcmk uses the first (${defs[0].node})`, script.span);
    }
    if (sites.size === 0 || !script.script) {
      recordRefs(ctx, 'dropped', [], all);
      for (const d of directivesOf(ctx, owner)) {
        ctx.record(d, 'dropped', '-', script.script ? 'no vrrp_instance or sync group tracks this script with any effect, so it has none in keepalived either' : 'a vrrp_script without a script line does nothing');
      }
      continue;
    }
    const spec: CheckSpec = { kind: 'script', owner, name, span: script.span, argv: script.script.argv, interval: script.interval, timeout: script.timeout, rise: script.rise, fall: script.fall, user: script.user, initFail: script.initFail };
    const service = serviceOfCommand(script.script.argv);
    if (service) serviceCheck(ctx, spec, service, sites, all);
    else shimCheck(ctx, spec, sites, all);
  }
  for (const m of ctx.instances) recordBlocks(ctx, `vrrp_instance:${m.instance}`, ['track_script']);
  for (const n of ctx.nodes) for (const g of n.config.syncGroups) recordBlocks(ctx, `vrrp_sync_group:${g.name}`, ['track_script']);
  recordUnknownRefs(ctx);
}

/** Monitor, start and stop operations from the script's interval and timeout (keepalived defaults: 1 s, interval). */
function checkOps(s: CheckSpec, startTimeout: string): Primitive['operations'] {
  const interval = s.interval ?? 1;
  const timeout = s.timeout ?? interval;
  return [
    { name: 'monitor', interval: seconds(interval), timeout: seconds(Math.max(timeout + 10, 20)) },
    { name: 'start', interval: '0s', timeout: startTimeout },
    { name: 'stop', interval: '0s', timeout: startTimeout },
  ];
}

/** The nodes whose configuration tracks the check through any instance. */
function trackingNodes(sites: Map<string, TrackSite[]>): Set<string> {
  return new Set([...sites.values()].flat().map((s) => s.node));
}

/** A check of a known daemon → that daemon as a cloned systemd resource the VIP group is colocated with. */
export function serviceCheck(ctx: MapContext, s: CheckSpec, svc: ServiceMatch, sites: Map<string, TrackSite[]>, all: Map<string, TrackSite[]> = sites): void {
  const name = s.name;
  const what = s.kind === 'script' ? `vrrp_script ${name}` : `vrrp_track_process ${name}`;
  const src = ctx.source(s.span, what);
  const interval = s.interval ?? 1;
  const meta: NvPair[] = [];
  if (s.fall !== undefined) meta.push({ name: 'migration-threshold', value: String(s.fall), description: `fall ${s.fall}` });
  if (s.rise !== undefined) meta.push({ name: 'failure-timeout', value: seconds(s.rise * interval), description: `rise ${s.rise} x interval ${interval}s` });
  let clone = ctx.model.cib.resources.find((r): r is Clone => r.kind === 'clone' && r.child.kind === 'primitive' && r.child.agent.class === 'systemd' && r.child.agent.type === svc.unit);
  if (!clone) {
    const p: Primitive = {
      kind: 'primitive',
      id: ctx.ids.unique(svc.unit),
      agent: { class: 'systemd', type: svc.unit },
      operations: checkOps(s, '100s'),
      metaAttributes: meta.length ? meta : undefined,
      source: src,
      description: `the service ${what} watched (${svc.evidence})`,
    };
    clone = addClone(ctx, p, `${svc.unit} on every node that tracked it`);
    ctx.diags.warning('service-managed', `${what} watched ${svc.evidence}: Pacemaker now manages systemd unit ${svc.unit} itself; disable it at boot on every node (systemctl disable ${svc.unit}) so that only Pacemaker starts it`, s.span);
    banUntracked(ctx, clone, sites);
  }
  const targets: string[] = [clone.id];
  const uses: RefUse[] = [];
  for (const [instName, list] of sites) {
    const mapping = mappingOf(ctx, instName);
    if (!mapping) continue;
    const weights = new Set(list.map((x) => `${x.weight}/${x.reverse}`));
    const w = list[0].weight;
    const rev = list[0].reverse;
    // Colocation with a finite score adds it where the clone runs: +|W| where the service is up
    // orders nodes exactly as W where it is down does; weight 0 (FAULT) is a hard colocation.
    // reverse flips the adjustment, so the score's sign too.
    const score: Score = w === 0 ? (rev ? '-INFINITY' : 'INFINITY') : rev ? -Math.abs(w) : Math.abs(w);
    const col = ctx.ids.unique('col', mapping.group, clone.id);
    ctx.model.cib.constraints.push({ kind: 'colocation', id: col, rsc: mapping.group, withRsc: clone.id, score, source: src, description: `track_${s.kind} ${name}, weight ${w}` });
    const ord = ctx.ids.unique('order', clone.id, mapping.group);
    // Optional: the group waits for the service when both start together, but a service restart
    // elsewhere never bounces the VIP (keepalived never stopped the VIP for that either).
    ctx.model.cib.constraints.push({ kind: 'order', id: ord, first: clone.id, then: mapping.group, orderKind: 'Optional', source: src });
    targets.push(col, ord);
    if (!mapping.checks.some((c) => c.name === name)) mapping.checks.push({ kind: 'service', name, weight: adjustment(list[0]), resource: clone.id });
    if (weights.size > 1) ctx.diags.warning('weight-differs', `track_${s.kind} ${name} of ${instName} has different weights per node (${weightsText(list)}); a colocation has one score, ${score} is used`, list[0].ref.span);
    for (const site of list) {
      const zero = site.zeroed ? ` — weight 0 because ${site.zeroed}` : '';
      const how =
        w === 0
          ? `colocated ${score} with ${clone.id}: the VIP runs only where ${svc.unit} ${rev ? 'does not run' : 'runs'} (keepalived's FAULT${zero})`
          : `colocated with ${clone.id} with score ${score}: nodes where ${svc.unit} runs are ${rev ? 'avoided' : 'preferred'} by ${Math.abs(w)}, as keepalived's weight ${w}${rev ? ' reverse' : ''} does`;
      uses.push({ site, targets: [col, ord], how: `${how}; Pacemaker manages the service itself instead of only watching it` });
    }
  }
  recordRefs(ctx, 'approximate', uses, all);
  const reason = `Pacemaker manages the service itself instead of only watching it: ${svc.unit} runs as a clone and is restarted when it fails (the script only noticed)`;
  for (const d of directivesOf(ctx, s.owner)) {
    if (s.reasons?.[d.keyword]) {
      ctx.record(d, 'approximate', clone.id, s.reasons[d.keyword]);
      continue;
    }
    switch (d.keyword) {
      case 'interval':
      case 'timeout':
        ctx.record(d, 'approximate', `${clone.child.id} op monitor`, 'the monitor operation runs at the script interval; its timeout leaves room for systemd');
        break;
      case 'fall':
        ctx.record(d, 'approximate', `${clone.child.id} meta migration-threshold`, 'after this many failures the service (and the VIP colocated with it) leaves the node, instead of lowering its priority');
        break;
      case 'rise':
        ctx.record(d, 'approximate', `${clone.child.id} meta failure-timeout`, 'failures are forgotten after rise x interval, so the node becomes eligible again');
        break;
      case 'weight':
        ctx.record(d, 'approximate', targets.slice(1).join(', '), 'the weight is the score of the colocation with the service clone');
        break;
      case 'user':
        ctx.record(d, 'dropped', '-', 'Pacemaker runs systemd units itself; the script user does not matter');
        break;
      default:
        ctx.record(d, 'approximate', clone.id, reason);
    }
  }
}

/** Keeps the service clone off nodes whose keepalived never ran it (without probing there). */
function banUntracked(ctx: MapContext, clone: Clone, sites: Map<string, TrackSite[]>): void {
  const tracking = trackingNodes(sites);
  for (const n of ctx.nodes) {
    if (tracking.has(n.name)) continue;
    ctx.model.cib.constraints.push({
      kind: 'location',
      id: ctx.ids.unique('loc', clone.id, n.name),
      rsc: clone.id,
      node: n.name,
      score: '-INFINITY',
      resourceDiscovery: 'never',
      description: `${n.name}'s keepalived does not track this service`,
    });
  }
}

/** Any other check → our check agent, cloned, and location rules on the attribute it sets. */
export function shimCheck(ctx: MapContext, s: CheckSpec, sites: Map<string, TrackSite[]>, all: Map<string, TrackSite[]> = sites): void {
  const name = s.name;
  const what = s.kind === 'script' ? `vrrp_script ${name}` : `vrrp_track_process ${name}`;
  const attribute = checkAttribute(name);
  const bad = unstorableArgument(s.argv);
  if (bad) ctx.diags.error('command-not-storable', `${what}: ${bad}; the check would run a different command`, s.span, { hint: 'write the argument without control characters (a wrapper script can add them)' });
  const params: NvPair[] = [
    { name: 'name', value: attribute },
    { name: 'command', value: shLine(s.argv) },
    { name: 'timeout', value: String(s.timeout ?? s.interval ?? 1) },
    { name: 'rise', value: String(s.rise ?? 1) },
    { name: 'fall', value: String(s.fall ?? 1) },
  ];
  if (s.initFail) params.push({ name: 'init_fail', value: 'true' });
  if (s.user) params.push({ name: 'user', value: s.user });
  const p: Primitive = {
    kind: 'primitive',
    id: ctx.ids.unique('check', name),
    agent: { class: 'ocf', provider: 'ka2pcmk', type: 'check' },
    instanceAttributes: params,
    operations: checkOps(s, '30s'),
    source: ctx.source(s.span, what),
    description: `runs ${what} and sets node attribute ${attribute}`,
  };
  const clone = addClone(ctx, p, `${what} on every node`);
  ctx.shims.add(CHECK_AGENT);
  const ids: string[] = [];
  const uses: RefUse[] = [];
  for (const [instName, list] of sites) {
    const mapping = mappingOf(ctx, instName);
    if (!mapping) continue;
    const got = addCheckRules(ctx, mapping, list, { kind: s.kind, name, attribute, resource: clone.id });
    ids.push(...got);
    for (const site of list) {
      const zero = site.zeroed ? ` (weight 0 because ${site.zeroed})` : '';
      uses.push({ site, targets: got, how: `location rule: ${weightRule(attribute, site.weight, site.reverse).meaning}${zero}` });
    }
  }
  recordRefs(ctx, 'shim', uses, all);
  for (const d of directivesOf(ctx, s.owner)) {
    const why: Record<string, string> = {
      ...s.reasons,
      interval: 'monitor interval of the check agent',
      timeout: 'the agent kills the command after this many seconds, as keepalived does',
      rise: 'the agent counts consecutive successes in a state file under /run before setting the attribute to 1',
      fall: 'the agent counts consecutive failures before setting the attribute to 0',
      weight: `the score of the location rules ${ids.join(', ')}`,
      user: 'the agent runs the command as this user (runuser)',
      init_fail: 'the attribute starts at 0, as keepalived starts the script failed',
    };
    ctx.record(d, 'shim', d.keyword === 'weight' ? ids.join(', ') || '-' : clone.id, why[d.keyword] ?? `${CHECK_AGENT} runs the command on every node and publishes the result as node attribute ${attribute}`);
  }
}

/** track_script entries naming no vrrp_script: keepalived ignores them, and so do we. */
function recordUnknownRefs(ctx: MapContext): void {
  const unknown = (refs: readonly TrackRef[], known: Set<string>) => refs.filter((r) => !known.has(r.name));
  for (const n of ctx.nodes) {
    const known = new Set(n.config.scripts.map((s) => s.name));
    const refs = [...n.config.instances.flatMap((i: VrrpInstance) => unknown(i.trackScripts, known)), ...n.config.syncGroups.flatMap((g) => unknown(g.trackScripts, known))];
    for (const r of refs) recordAt(ctx, r.span, 'dropped', '-', 'no vrrp_script has this name; keepalived ignores it too');
  }
}

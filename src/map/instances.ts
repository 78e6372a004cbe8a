/**
 * vrrp_instance → a group of IPaddr2 (one per address, with the prefix
 * keepalived really used), a location score per node equal to its priority,
 * a resource-stickiness above the largest gap when keepalived does not
 * preempt, GARP settings as arp_* parameters; vrrp_sync_group → the groups
 * colocated with the first member's. Tracked checks add their weights as
 * further location rules (checks.ts), so that Pacemaker's score on a node is
 * keepalived's effective priority there.
 */
import type { Directive, Vip, VrrpInstance } from '../model/types.js';
import type { Group, NvPair, Primitive } from '../pcmk/model.js';
import type { MapContext } from './context.js';
import type { InstanceMapping } from './types.js';

const OWNER = (i: VrrpInstance) => `vrrp_instance:${i.name}`;

/** Every node's view of an instance, by instance name, in first-seen order. */
export function instancesByName(ctx: MapContext): Map<string, { node: string; inst: VrrpInstance }[]> {
  return ctx.instancesByName();
}

/** The directives of one owner across nodes (deduplicated), in file order. */
export function directivesOf(ctx: MapContext, owner: string): Directive[] {
  return ctx.directivesOf(owner);
}

/** The group that carries an instance's VIPs. */
export function groupOf(ctx: MapContext, instance: string): Group | undefined {
  const m = ctx.instance(instance);
  const r = m && ctx.resource(m.group);
  return r?.kind === 'group' ? r : undefined;
}

const STANDARD_OPS = (): Primitive['operations'] => [
  { name: 'monitor', interval: '10s', timeout: '20s' },
  { name: 'start', interval: '0s', timeout: '20s' },
  { name: 'stop', interval: '0s', timeout: '20s' },
];

function ipaddr2(ctx: MapContext, inst: VrrpInstance, vip: Vip, excluded: boolean): Primitive {
  const src = ctx.source(vip.span, `${vip.address}${vip.prefixWritten ? '/' + vip.prefix : ''}`);
  const params: NvPair[] = [
    { name: 'ip', value: vip.address },
    { name: 'cidr_netmask', value: String(vip.prefix) },
  ];
  const nic = vip.dev ?? inst.interface;
  if (nic) params.push({ name: 'nic', value: nic });
  if (vip.label) {
    // IPaddr2's iflabel is what follows "nic:" in the label keepalived sets.
    const lab = nic && vip.label.startsWith(`${nic}:`) ? vip.label.slice(nic.length + 1) : vip.label;
    params.push({ name: 'iflabel', value: lab });
  }
  if (vip.brd && vip.brd !== '+' && vip.brd !== '-') params.push({ name: 'broadcast', value: vip.brd });
  const g = inst.garp;
  if (g.masterRepeat !== undefined) params.push({ name: 'arp_count', value: String(Math.max(1, g.masterRepeat)) });
  if (g.interval !== undefined) params.push({ name: 'arp_interval', value: String(Math.max(1, Math.round(g.interval * 1000))) });
  if (g.masterRefresh !== undefined && g.masterRefresh > 0) params.push({ name: 'arp_count_refresh', value: String(Math.max(1, g.masterRefreshRepeat ?? 1)) });
  return {
    kind: 'primitive',
    id: ctx.ids.unique(inst.name, 'ip', vip.address),
    agent: { class: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
    instanceAttributes: params,
    operations: STANDARD_OPS(),
    source: src,
    description: excluded ? `virtual_ipaddress_excluded of vrrp_instance ${inst.name}` : `VIP of vrrp_instance ${inst.name}`,
  };
}

export function mapInstances(ctx: MapContext): void {
  const nodeNames = ctx.nodes.map((n) => n.name);
  for (const [name, per] of instancesByName(ctx)) {
    const first = per[0].inst;
    const groupId = ctx.ids.unique(name);
    const members = [...first.vips.map((v) => ipaddr2(ctx, first, v, false)), ...first.excludedVips.map((v) => ipaddr2(ctx, first, v, true))];
    const group: Group = { kind: 'group', id: groupId, members, source: ctx.source(first.span, `vrrp_instance ${name}`), description: `vrrp_instance ${name}` };
    const scores: Record<string, number> = {};
    for (const { node, inst } of per) scores[node] = inst.priority ?? 100;
    const mapping: InstanceMapping = {
      instance: name,
      group: groupId,
      vips: members.map((p, k) => {
        const v = [...first.vips, ...first.excludedVips][k];
        return { address: v.address, prefix: v.prefix, resource: p.id };
      }),
      scores,
      stickiness: 0,
      checks: [],
    };
    ctx.instances.push(mapping);
    ctx.model.cib.resources.push(group);
    for (const node of nodeNames) {
      const has = node in scores;
      const inst = per.find((p) => p.node === node)?.inst;
      ctx.model.cib.constraints.push({
        kind: 'location',
        id: ctx.ids.unique('loc', name, node),
        rsc: groupId,
        node,
        score: has ? scores[node] : '-INFINITY',
        source: inst ? ctx.source(inst.span, `vrrp_instance ${name} priority ${scores[node]}`) : undefined,
        description: has ? `keepalived priority of ${node}` : `vrrp_instance ${name} is not configured on ${node}`,
      });
    }
    recordInstanceDirectives(ctx, name, per, groupId, members);
  }
  mapSyncGroups(ctx);
}

/** Stickiness is set once checks are known (their weights widen the range of effective priorities). */
export function applyStickiness(ctx: MapContext): void {
  for (const m of ctx.instances) {
    const per = instancesByName(ctx).get(m.instance) ?? [];
    const nopreempt = per.some((p) => p.inst.nopreempt && p.inst.state !== 'MASTER');
    const group = groupOf(ctx, m.instance);
    if (!group) continue;
    const vals = Object.values(m.scores);
    const up = m.checks.reduce((s, c) => s + Math.max(0, c.weight), 0);
    const down = m.checks.reduce((s, c) => s + Math.min(0, c.weight), 0);
    const gap = Math.max(...vals) + up - (Math.min(...vals) + down);
    m.stickiness = nopreempt ? gap + 1 : 0;
    const d = per.map((p) => p.inst).find((i) => i.nopreempt);
    group.metaAttributes = [
      {
        name: 'resource-stickiness',
        value: String(m.stickiness),
        source: d ? ctx.source(d.span, 'nopreempt') : undefined,
        description: nopreempt ? `nopreempt: above the largest gap in effective priority (${gap})` : 'keepalived preempts: a higher priority takes the VIP back',
      },
    ];
  }
}

function recordInstanceDirectives(ctx: MapContext, name: string, per: { node: string; inst: VrrpInstance }[], group: string, members: Primitive[]): void {
  const first = per[0].inst;
  const ips = members.map((p) => p.id).join(', ') || 'none';
  for (const d of directivesOf(ctx, `vrrp_instance:${name}`)) {
    const path = d.path[d.path.length - 1] ?? '';
    if (path === 'virtual_ipaddress' || path === 'virtual_ipaddress_excluded') {
      // Each node's file has its own line for the address: match by the address it configures.
      const vip = per.flatMap((p) => [...p.inst.vips, ...p.inst.excludedVips]).find((v) => v.span.file === d.span.file && v.span.start === d.span.start);
      const p = vip && members.find((x) => x.instanceAttributes?.some((a) => a.name === 'ip' && a.value === vip.address));
      const has = (n: string) => p?.instanceAttributes?.some((a) => a.name === n);
      ctx.record(
        d,
        p ? 'exact' : 'dropped',
        p?.id ?? '-',
        p
          ? `IPaddr2 ip/cidr_netmask/nic${has('iflabel') ? '/iflabel' : ''}${has('broadcast') ? '/broadcast' : ''} as keepalived configures the address (a VIP written without a prefix is /32 or /128 in keepalived, and is written so)`
          : 'not configured: the address is invalid, of the other family, or a duplicate (see the diagnostics)',
      );
      continue;
    }
    if (path === 'authentication') {
      ctx.record(d, 'redesigned', 'corosync crypto (aes256/sha256, authkey)', 'VRRP authentication is replaced by corosync\'s encrypted, authenticated links');
      continue;
    }
    if (path === 'unicast_peer') {
      ctx.record(d, 'redesigned', 'corosync nodelist', 'peers become corosync node addresses');
      continue;
    }
    switch (d.keyword) {
      case 'vrrp_instance':
        ctx.record(d, 'exact', `group ${group}`, 'the instance becomes a group holding its addresses; the group is what moves between nodes');
        break;
      case 'authentication':
        ctx.record(d, 'redesigned', 'corosync crypto (aes256/sha256, authkey)', "VRRP authentication is replaced by corosync's encrypted, authenticated links");
        break;
      case 'virtual_ipaddress':
      case 'virtual_ipaddress_excluded':
        ctx.record(d, 'exact', `group ${group}: ${ips}`, 'one IPaddr2 per address, in a group so that they move together');
        break;
      case 'state': {
        const top = Object.entries(Object.fromEntries(per.map((p) => [p.node, p.inst.priority ?? 100]))).sort((a, b) => b[1] - a[1])[0];
        ctx.record(d, 'approximate', `location scores on ${group}`, `Pacemaker has no initial state: the VIP starts where the score is highest (${top?.[0]}, priority ${top?.[1]}); at cutover it stays on its current holder`);
        break;
      }
      case 'interface':
        ctx.record(d, 'exact', `IPaddr2 nic=${first.interface}`, 'the interface that carries the VIPs');
        break;
      case 'priority':
        ctx.record(d, 'exact', `location constraints loc-${name}-<node>`, 'each node\'s priority becomes its location score; tracked checks add their weights as rules, so the score is keepalived\'s effective priority');
        break;
      case 'nopreempt':
        ctx.record(d, 'approximate', `${group} meta resource-stickiness`, 'stickiness above the largest gap in effective priority keeps the VIP where it is, as nopreempt does');
        break;
      case 'preempt_delay':
        ctx.record(d, 'dropped', '-', 'lossy: Pacemaker has no delayed failback; a returning higher-priority node takes the VIP back at once (or never, with nopreempt)');
        ctx.diags.warning('preempt-delay-lossy', `preempt_delay ${d.args[0]?.value ?? ''}: Pacemaker has no delayed failback; the VIP moves back as soon as the higher-priority node returns`, d.span);
        break;
      case 'virtual_router_id':
      case 'version':
      case 'advert_int':
      case 'mcast_src_ip':
      case 'unicast_src_ip':
      case 'unicast_peer':
      case 'unicast_ttl':
      case 'native_ipv6':
      case 'dont_track_primary':
      case 'check_unicast_src':
      case 'vrrp_version':
        ctx.record(d, 'redesigned', 'corosync', 'VRRP protocol plumbing: corosync membership replaces adverts, VRIDs and peers');
        break;
      case 'garp_master_repeat':
        ctx.record(d, 'exact', 'IPaddr2 arp_count', 'gratuitous ARPs sent when the address starts');
        break;
      case 'garp_interval':
        ctx.record(d, 'exact', 'IPaddr2 arp_interval', 'interval between gratuitous ARPs (ms)');
        break;
      case 'garp_master_refresh':
      case 'garp_master_refresh_repeat':
        ctx.record(d, 'approximate', 'IPaddr2 arp_count_refresh', 'Pacemaker re-announces the address at each monitor, not on keepalived\'s own timer');
        break;
      case 'garp_master_delay':
      case 'garp_lower_prio_delay':
      case 'garp_lower_prio_repeat':
        ctx.record(d, 'dropped', '-', 'IPaddr2 sends its ARPs when it starts; there is no second, delayed burst');
        break;
      case 'virtual_routes':
        mapRoutes(ctx, first, group, d);
        break;
      default:
        break;
    }
  }
}

function mapRoutes(ctx: MapContext, inst: VrrpInstance, groupId: string, block: Directive): void {
  const group = ctx.resource(groupId) as Group;
  const ids: string[] = [];
  for (const r of inst.virtualRoutes) {
    if (!r.to) continue;
    const params: NvPair[] = [{ name: 'destination', value: r.to === 'default' ? '0.0.0.0/0' : r.to }];
    if (r.dev) params.push({ name: 'device', value: r.dev });
    if (r.via) params.push({ name: 'gateway', value: r.via });
    if (r.table) params.push({ name: 'table', value: r.table });
    const p: Primitive = {
      kind: 'primitive',
      id: ctx.ids.unique(inst.name, 'route', r.to),
      agent: { class: 'ocf', provider: 'heartbeat', type: 'Route' },
      instanceAttributes: params,
      operations: STANDARD_OPS(),
      source: ctx.source(r.span, r.words.join(' ')),
    };
    group.members.push(p);
    ids.push(p.id);
  }
  ctx.record(block, 'approximate', ids.join(', ') || '-', 'ocf:heartbeat:Route after the addresses; Route takes destination, device, gateway and table only (no src, metric or multipath options)');
  for (const d of directivesOf(ctx, OWNER(inst)).filter((x) => x.path[x.path.length - 1] === 'virtual_routes')) {
    const r = inst.virtualRoutes.find((x) => x.span.start === d.span.start && x.span.file === d.span.file);
    const p = group.members.find((m) => m.source && r && m.source.line === ctx.source(r.span, '').line);
    ctx.record(d, p ? 'approximate' : 'dropped', p?.id ?? '-', p ? 'Route resource in the VIP group' : 'a route without a destination cannot be managed by ocf:heartbeat:Route');
  }
}

function mapSyncGroups(ctx: MapContext): void {
  const seen = new Set<string>();
  for (const n of ctx.nodes) {
    for (const g of n.config.syncGroups) {
      if (seen.has(g.name)) continue;
      seen.add(g.name);
      const groups = g.members.map((m) => ctx.instance(m.name)?.group).filter((x): x is string => !!x);
      const [lead, ...rest] = groups;
      for (const other of rest) {
        ctx.model.cib.constraints.push({
          kind: 'colocation',
          id: ctx.ids.unique('col', g.name, other),
          rsc: other,
          withRsc: lead,
          score: 'INFINITY',
          source: ctx.source(g.span, `vrrp_sync_group ${g.name}`),
          description: `vrrp_sync_group ${g.name}: its instances move together`,
        });
      }
      for (const d of directivesOf(ctx, `vrrp_sync_group:${g.name}`)) {
        if (d.keyword === 'vrrp_sync_group' || d.keyword === 'group' || d.path[d.path.length - 1] === 'group') {
          ctx.record(d, 'exact', lead ? `colocation of ${rest.join(', ') || '(nothing)'} with ${lead}` : '-', 'the member groups are colocated (INFINITY) with the first member, so they always run on one node');
        }
      }
    }
  }
}

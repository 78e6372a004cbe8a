/**
 * LVS (virtual_server, virtual_server_group, real_server and checkers): never
 * dropped. By default keepalived stays, as the LVS checker only (`keepalived
 * --check` on a configuration holding just global_defs and the virtual
 * servers, lvs-config.ts), run by `ocf:heartbeat:anything` on the node that
 * holds the matching VIP, after the VIP. With `lvs: 'ldirectord'`,
 * `ocf:heartbeat:ldirectord` does the same job from an ldirectord.cf.
 * Either way the IPVS table now lives on the VIP holder only.
 */
import type { VirtualServer } from '../model/types.js';
import type { Primitive } from '../pcmk/model.js';
import type { MapContext } from './context.js';
import { groupOf } from './instances.js';
import { VRRP_GLOBAL } from './lvs-config.js';

/** Where the migration writes the checker's configuration (one per VIP group when several). */
export function lvsConfigPath(instance: string | undefined): string {
  return instance ? `/etc/keepalived/keepalived-lvs-${instance}.conf` : '/etc/keepalived/keepalived-lvs.conf';
}

/** Where the migration writes ldirectord's configuration. */
export function ldirectordConfigPath(instance: string | undefined): string {
  return instance ? `/etc/ha.d/ldirectord-${instance}.cf` : '/etc/ha.d/ldirectord.cf';
}

/** The instance whose VIPs include the virtual server's address, else the first instance. */
export function instanceForVirtualServer(ctx: MapContext, vs: VirtualServer): string | undefined {
  const byVip = vs.address ? ctx.instances.find((m) => m.vips.some((v) => v.address === vs.address)) : undefined;
  return (byVip ?? ctx.instances[0])?.instance;
}

/** Virtual server keys by the instance that carries them, in first-seen order. */
export function virtualServersByInstance(ctx: MapContext): Map<string | undefined, string[]> {
  const out = new Map<string | undefined, string[]>();
  for (const vs of ctx.nodes[0]?.config.virtualServers ?? []) {
    const inst = instanceForVirtualServer(ctx, vs);
    out.set(inst, [...(out.get(inst) ?? []), vs.key]);
  }
  return out;
}

export function mapLvs(ctx: MapContext): void {
  const byInst = virtualServersByInstance(ctx);
  if (byInst.size === 0) return;
  const ldirectord = ctx.options.lvs === 'ldirectord';
  const several = byInst.size > 1;
  const made: { inst: string | undefined; id: string; keys: string[] }[] = [];
  for (const [inst, keys] of byInst) {
    const suffix = several ? inst : undefined;
    const p: Primitive = ldirectord
      ? {
          kind: 'primitive',
          id: ctx.ids.unique('ldirectord', suffix ?? ''),
          agent: { class: 'ocf', provider: 'heartbeat', type: 'ldirectord' },
          instanceAttributes: [{ name: 'configfile', value: ldirectordConfigPath(suffix) }],
          operations: [
            { name: 'monitor', interval: '20s', timeout: '10s' },
            { name: 'start', interval: '0s', timeout: '15s' },
            { name: 'stop', interval: '0s', timeout: '15s' },
          ],
          description: `LVS for ${keys.join(', ')} (ldirectord)`,
        }
      : {
          kind: 'primitive',
          id: ctx.ids.unique('lvs-checker', suffix ?? ''),
          agent: { class: 'ocf', provider: 'heartbeat', type: 'anything' },
          instanceAttributes: [
            { name: 'binfile', value: '/usr/sbin/keepalived' },
            {
              name: 'cmdline_options',
              value: `--check --dont-fork --use-file=${lvsConfigPath(suffix)} --pid=/run/keepalived-lvs${suffix ? `-${suffix}` : ''}.pid --checkers_pid=/run/keepalived-lvs${suffix ? `-${suffix}` : ''}-checkers.pid`,
            },
          ],
          operations: [
            { name: 'monitor', interval: '10s', timeout: '20s' },
            { name: 'start', interval: '0s', timeout: '20s' },
            { name: 'stop', interval: '0s', timeout: '30s' },
          ],
          description: `keepalived as the LVS checker only, for ${keys.join(', ')}`,
        };
    const vs = ctx.nodes[0].config.virtualServers.find((v) => v.key === keys[0]);
    if (vs) p.source = ctx.source(vs.span, `virtual_server ${vs.key}`);
    ctx.model.cib.resources.push(p);
    const group = inst ? groupOf(ctx, inst) : undefined;
    if (group) {
      ctx.model.cib.constraints.push(
        { kind: 'colocation', id: ctx.ids.unique('col', p.id, group.id), rsc: p.id, withRsc: group.id, score: 'INFINITY', description: 'LVS runs where its VIP is' },
        { kind: 'order', id: ctx.ids.unique('order', group.id, p.id), first: group.id, then: p.id, description: 'the VIP first, then the virtual servers on it' },
      );
    }
    made.push({ inst, id: p.id, keys });
  }
  const target = (key: string) => made.find((m) => m.keys.includes(key))?.id ?? made[0].id;
  const how = ldirectord
    ? (id: string) => `${id} (ocf:heartbeat:ldirectord) with an ldirectord.cf translated from it: same virtual and real servers; checkers become ldirectord's nearest check`
    : (id: string) => `kept as written in the LVS-only configuration that keepalived --check runs under ${id}, on the VIP holder`;
  const first = ctx.nodes[0].config.virtualServers[0];
  ctx.diags.warning(
    'lvs-on-vip-holder',
    ldirectord
      ? 'LVS moves to ldirectord on the VIP holder: review the translated ldirectord.cf (checks differ), and note that backups no longer keep a warm IPVS table'
      : `keepalived keeps running as the LVS checker only (keepalived --check, ${made.map((m) => lvsConfigPath(several ? m.inst : undefined)).join(', ')}) on the VIP holder; backups no longer keep a warm IPVS table`,
    first?.span,
  );
  for (const n of ctx.nodes) {
    for (const d of n.config.directives) {
      if (d.owner.startsWith('virtual_server:') || d.owner.startsWith('virtual_server_group:')) {
        // The virtual_server block the directive sits in: the last one starting before it.
        const vs = n.config.virtualServers.filter((v) => v.span.file === d.span.file && v.span.start <= d.span.start).pop();
        const id = target(vs?.key ?? '');
        ctx.record(d, 'approximate', id, how(id));
      } else if (d.owner === 'global_defs' && !ldirectord && d.path.length === 1 && !VRRP_GLOBAL.test(d.keyword) && !/^(notification_email|smtp_)/.test(d.keyword) && d.keyword !== 'lvs_sync_daemon') {
        ctx.record(d, 'exact', lvsConfigPath(undefined), 'kept in the global_defs of the LVS checker\'s configuration: keepalived still runs, as the checker');
      } else if (d.owner === 'global_defs' && /^lvs_/.test(d.keyword)) {
        if (d.keyword === 'lvs_sync_daemon') ctx.record(d, 'dropped', '-', 'the IPVS connection sync daemon followed a vrrp_instance; run ipvsadm --start-daemon from a resource if connection sync matters');
        else if (ldirectord) ctx.record(d, 'dropped', '-', 'an IPVS setting of keepalived\'s checker; set it with ipvsadm on the nodes');
        else ctx.record(d, 'exact', lvsConfigPath(undefined), 'kept in the LVS checker\'s global_defs');
      }
    }
  }
}

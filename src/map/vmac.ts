/**
 * use_vmac → `ocf:heartbeat:iface-macvlan` in the instance's group, before the
 * addresses: keepalived creates a macvlan interface (default name
 * `vrrp.<VRID>`) with the VRRP virtual MAC 00:00:5e:00:01:<VRID> (…:02:… for
 * IPv6) and puts the VIPs on it, so that the address keeps its MAC when it
 * moves. The group does the same: the macvlan starts first, and the VIPs that
 * keepalived put on it name it as their `nic`.
 */
import type { Primitive } from '../pcmk/model.js';
import type { MapContext } from './context.js';
import { groupOf, directivesOf, instancesByName } from './instances.js';

/** keepalived's VRRP virtual MAC for a VRID. */
export function vrrpMac(vrid: number, family: 4 | 6): string {
  return `00:00:5e:00:0${family === 6 ? 2 : 1}:${vrid.toString(16).padStart(2, '0')}`;
}

export function mapVmac(ctx: MapContext): void {
  const usedNames = new Set<string>();
  const usedMacs = new Set<string>();
  for (const [name, per] of instancesByName(ctx)) {
    const inst = per[0].inst;
    if (inst.useVmac === undefined) continue;
    const group = groupOf(ctx, name);
    const owner = `vrrp_instance:${name}`;
    const ds = directivesOf(ctx, owner).filter((d) => ['use_vmac', 'vmac_xmit_base', 'use_vmac_addr'].includes(d.keyword));
    if (!group || !inst.interface || inst.virtualRouterId === undefined) {
      for (const d of ds) ctx.record(d, 'dropped', '-', 'use_vmac needs the instance\'s interface and virtual_router_id');
      continue;
    }
    const family = inst.vips[0]?.family ?? 4;
    // The same VRID on two base interfaces: keepalived numbers the second VMAC (vrrp1.N) so names stay unique.
    let ifname = inst.useVmac === true ? `vrrp.${inst.virtualRouterId}` : inst.useVmac;
    for (let k = 1; usedNames.has(ifname); k++) ifname = `vrrp${k}.${inst.virtualRouterId}`;
    usedNames.add(ifname);
    const mac = vrrpMac(inst.virtualRouterId, family);
    // iface-macvlan declares mac unique across resources (pcs refuses a repeat): the first keeps it.
    const macRepeated = usedMacs.has(mac);
    usedMacs.add(mac);
    const p: Primitive = {
      kind: 'primitive',
      id: ctx.ids.unique(name, 'vmac'),
      agent: { class: 'ocf', provider: 'heartbeat', type: 'iface-macvlan' },
      instanceAttributes: [
        { name: 'device', value: inst.interface },
        { name: 'name', value: ifname },
        ...(macRepeated ? [] : [{ name: 'mac', value: mac }]),
        { name: 'mode', value: 'private' },
      ],
      operations: [
        { name: 'monitor', interval: '10s', timeout: '20s' },
        { name: 'start', interval: '0s', timeout: '30s' },
        { name: 'stop', interval: '0s', timeout: '20s' },
      ],
      source: ctx.source(ds[0]?.span ?? inst.span, 'use_vmac'),
      description: `use_vmac of vrrp_instance ${name}: the VRRP virtual MAC travels with the VIPs`,
    };
    // Before the first IPaddr2: storage members (if any) stay in front of it.
    const at = group.members.findIndex((m) => m.agent.type === 'IPaddr2');
    group.members.splice(at < 0 ? group.members.length : at, 0, p);
    const moved: string[] = [];
    for (const m of group.members) {
      const nic = m.agent.type === 'IPaddr2' ? m.instanceAttributes?.find((a) => a.name === 'nic') : undefined;
      if (nic && nic.value === inst.interface) {
        nic.value = ifname;
        moved.push(m.id);
      }
    }
    for (const d of ds) {
      if (d.keyword === 'use_vmac') {
        if (macRepeated) {
          ctx.diags.warning('vmac-mac-repeated', `use_vmac of ${name}: another instance already uses VRID ${inst.virtualRouterId}'s MAC ${mac}; iface-macvlan declares mac unique, so ${ifname} gets a random MAC and the VIPs on it change MAC when they move`, d.span);
        }
        ctx.record(d, 'approximate', `${p.id}${moved.length ? `; nic=${ifname} on ${moved.join(', ')}` : ''}`, `iface-macvlan creates ${ifname} on ${inst.interface} with ${macRepeated ? 'a random MAC (the VRRP MAC is taken by another instance)' : `MAC ${mac}`} (mode private) before the VIPs start on it; keepalived also tunes arp_ignore/arp_filter sysctls on the interfaces, which the nodes must keep`);
      } else if (d.keyword === 'vmac_xmit_base') {
        ctx.record(d, 'redesigned', 'corosync', 'only changed where keepalived sent adverts; there are no adverts any more');
      } else {
        ctx.record(d, 'dropped', '-', 'iface-macvlan makes one macvlan per instance; per-VIP-interface VMACs are not created');
      }
    }
  }
}

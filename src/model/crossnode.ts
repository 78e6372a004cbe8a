/**
 * Checks that need a whole node, or every node: a VRID used twice on one
 * interface, a VIP in two instances, and across nodes the same VRID, VIPs,
 * advert_int and authentication for each instance, distinct priorities and
 * at most one initial MASTER.
 */
import type { Diagnostics } from '../diag/diagnostic.js';
import type { KeepalivedConfig, Vip, VrrpInstance } from './types.js';

/** Minimal shape of a node, so that this file needs nothing from the front end. */
export interface NodeView {
  name: string;
  config: KeepalivedConfig;
}

const vipKey = (v: Vip) => `${v.address}/${v.prefix}`;

export function perNodeChecks(cfg: KeepalivedConfig, diags: Diagnostics): void {
  const vrids = new Map<string, VrrpInstance>();
  for (const i of cfg.instances) {
    if (i.virtualRouterId === undefined) continue;
    const fam = i.vips[0]?.family ?? 4;
    const k = `${i.interface ?? ''}\u0000${i.virtualRouterId}\u0000${fam}`;
    const other = vrids.get(k);
    if (other) {
      diags.error('duplicate-vrid', `vrrp_instance '${i.name}' uses virtual_router_id ${i.virtualRouterId} on ${i.interface ?? 'its interface'}, as '${other.name}' does: VRRP cannot tell them apart`, i.span, {
        related: [{ message: `'${other.name}' is here`, span: other.span }],
      });
    } else vrids.set(k, i);
  }
  const vips = new Map<string, { inst: VrrpInstance; vip: Vip }>();
  for (const i of cfg.instances) {
    for (const v of i.vips) {
      const other = vips.get(v.address);
      if (other && other.inst !== i) {
        diags.error('vip-in-two-instances', `${v.address} is a VIP of both '${other.inst.name}' and '${i.name}'`, v.span, {
          related: [{ message: `also in '${other.inst.name}'`, span: other.vip.span }],
        });
      } else vips.set(v.address, { inst: i, vip: v });
    }
  }
}

export function crossNodeChecks(nodes: readonly NodeView[], diags: Diagnostics): void {
  const names = new Set(nodes.flatMap((n) => n.config.instances.map((i) => i.name)));
  for (const name of [...names].sort()) {
    const per = nodes.map((n) => ({ node: n.name, inst: n.config.instances.find((i) => i.name === name) }));
    const present = per.filter((p): p is { node: string; inst: VrrpInstance } => !!p.inst);
    for (const p of per) {
      if (!p.inst) {
        const at = present[0].inst;
        diags.warning('instance-missing-on-node', `vrrp_instance '${name}' is not configured on node ${p.node}`, at.span);
      }
    }
    if (present.length < 2) continue;
    const ref = present[0];
    const same = (what: string, get: (i: VrrpInstance) => string, secret = false) => {
      for (const p of present.slice(1)) {
        if (get(p.inst) !== get(ref.inst)) {
          const differs = secret ? `differs between ${p.node} and ${ref.node}` : `is ${get(p.inst) || 'unset'} on ${p.node} but ${get(ref.inst) || 'unset'} on ${ref.node}`;
          diags.error('node-mismatch', `vrrp_instance '${name}': ${what} ${differs}; VRRP peers must agree`, p.inst.span, {
            related: [{ message: `${ref.node}'s instance`, span: ref.inst.span }],
          });
        }
      }
    };
    same('virtual_router_id', (i) => String(i.virtualRouterId ?? ''));
    same('the set of VIPs', (i) => i.vips.map(vipKey).sort().join(' '));
    same('advert_int', (i) => String(i.advertInt ?? 1));
    // The password itself is a secret: compared, never printed.
    same('authentication', (i) => (i.authentication ? `${i.authentication.type} ${i.authentication.pass ?? ''}` : ''), true);
    const byPrio = new Map<number, string[]>();
    for (const p of present) {
      const prio = p.inst.priority ?? 100;
      byPrio.set(prio, [...(byPrio.get(prio) ?? []), p.node]);
    }
    for (const [prio, ns] of byPrio) {
      if (ns.length > 1) {
        const at = present.find((p) => p.node === ns[1])!.inst;
        diags.warning('priority-tie', `vrrp_instance '${name}': nodes ${ns.join(', ')} share priority ${prio}; keepalived breaks the tie by the higher primary IP address`, at.span);
      }
    }
    const masters = present.filter((p) => p.inst.state === 'MASTER');
    if (masters.length > 1) {
      diags.warning('multiple-masters', `vrrp_instance '${name}': ${masters.map((m) => m.node).join(', ')} all start as MASTER; the lower priority steps down after the first advert`, masters[1].inst.span);
    }
  }
}

/**
 * The minimal post-migration checklist `migrate` runs when the full one
 * (`ka2pcmk check`, runChecklist) is not available: each VIP on exactly one
 * node, the one Pacemaker reports; no failed actions; keepalived stopped and
 * disabled everywhere; corosync and pacemaker enabled at boot. Each item
 * carries its evidence.
 */
import type { Runner } from '../exec/runner.js';
import { parseCrmMon } from './actions.js';
import { parseAddresses } from './survey.js';

export interface CheckItem {
  name: string;
  pass: boolean;
  evidence: string;
}

/** Runs the minimal checklist against the live cluster. */
export async function minimalChecklist(runner: Runner, nodes: readonly string[], vips: readonly { address: string; resource: string }[]): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const held: Record<string, string[]> = Object.fromEntries(vips.map((v) => [v.address, [] as string[]]));
  const units: Record<string, Record<string, string>> = {};
  for (const n of nodes) {
    const h = runner.host(n);
    const a = await h.run(['ip', '-o', 'addr', 'show']);
    for (const x of parseAddresses(a.stdout)) if (x.address in held) held[x.address].push(n);
    units[n] = {};
    for (const [verb, unit] of [['is-active', 'keepalived'], ['is-enabled', 'keepalived'], ['is-enabled', 'corosync'], ['is-enabled', 'pacemaker']] as const) {
      units[n][`${verb} ${unit}`] = (await h.run(['systemctl', verb, unit])).stdout.trim() || '?';
    }
  }
  const mon = await runner.host(nodes[0]).run(['crm_mon', '-1', '--output-as=xml']);
  const s = mon.code === 0 ? parseCrmMon(mon.stdout) : undefined;
  for (const v of vips) {
    const r = s?.resources.get(v.resource);
    const where = held[v.address];
    const pcmk = r && r.role === 'Started' ? r.nodes : [];
    items.push({
      name: `VIP ${v.address} on exactly one node, the one Pacemaker reports`,
      pass: where.length === 1 && pcmk.length === 1 && pcmk[0] === where[0],
      evidence: `address on ${where.join(', ') || 'no node'}; Pacemaker: ${v.resource} ${r ? `${r.role} on ${r.nodes.join(', ') || 'no node'}` : 'not found'}`,
    });
  }
  items.push({ name: 'no failed actions', pass: !!s && s.failures.length === 0, evidence: s ? (s.failures.map((f) => `${f.opKey} on ${f.node}`).join(', ') || 'none') : `crm_mon failed: ${mon.stderr.trim()}` });
  const ka = nodes.map((n) => `${n}: ${units[n]['is-active keepalived']}, ${units[n]['is-enabled keepalived']}`);
  items.push({ name: 'keepalived stopped and disabled everywhere', pass: nodes.every((n) => units[n]['is-active keepalived'] !== 'active' && units[n]['is-enabled keepalived'] !== 'enabled'), evidence: ka.join('; ') });
  items.push({
    name: 'corosync and pacemaker enabled at boot',
    pass: nodes.every((n) => units[n]['is-enabled corosync'] === 'enabled' && units[n]['is-enabled pacemaker'] === 'enabled'),
    evidence: nodes.map((n) => `${n}: corosync ${units[n]['is-enabled corosync']}, pacemaker ${units[n]['is-enabled pacemaker']}`).join('; '),
  });
  return items;
}

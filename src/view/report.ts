/**
 * report.md: what the migration will do and how faithfully, for review and
 * for the change ticket. Pure markdown from the mapping result.
 */
import type { Diagnostic } from '../diag/diagnostic.js';
import { locate } from '../diag/span.js';
import type { NodeConfig } from '../frontend.js';
import type { Fidelity, MapResult } from '../map/types.js';

export interface ReportExtras {
  /** crm_verify's verdict on cib.xml, when it was run. */
  verify?: { ok: boolean; messages: string[] };
  /** The behaviour table (markdown), when the proof was run. */
  behaviour?: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const ORDER: Fidelity[] = ['exact', 'approximate', 'shim', 'redesigned', 'dropped'];

export function renderReport(a: {
  nodes: readonly NodeConfig[];
  mapped: MapResult;
  diagnostics: readonly Diagnostic[];
  show: (p: string) => string;
  extras: ReportExtras;
  artifacts: Record<string, string>;
}): string {
  const { mapped, show } = a;
  const m = mapped.model;
  const out: string[] = [];
  out.push(`# ka2pcmk plan: cluster \`${m.name}\``, '');
  out.push('## Summary', '');
  out.push(`- Nodes: ${m.nodes.map((n) => `${n.name} (${n.addresses.join(', ')})`).join(', ')}`);
  for (const n of a.nodes) out.push(`  - ${n.name}: ${n.files.map((f) => `\`${show(f.path)}\``).join(', ')}${n.configId ? ` (config-id ${n.configId})` : ''}`);
  out.push(`- Corosync: knet, ${m.corosync.quorum?.twoNode ? 'two_node: 1 (two nodes; no-quorum-policy stays at its default)' : 'majority quorum'}${m.corosync.totem?.token ? `, token ${m.corosync.totem.token} ms, consensus ${m.corosync.totem.consensus} ms` : ''}`);
  const stonith = m.cib.properties?.find((p) => p.name === 'stonith-enabled');
  const fence = m.cib.resources.find((r) => r.kind === 'primitive' && r.agent.class === 'stonith');
  out.push(`- Fencing: ${fence ? `\`${fence.id}\`` : stonith?.value === 'false' ? '**disabled at the operator\'s request**' : '**none configured: Pacemaker will not start resources until a fence device exists**'}`);
  const counts = ORDER.map((f) => `${mapped.ledger.filter((e) => e.fidelity === f).length} ${f}`).join(', ');
  out.push(`- Directives: ${mapped.ledger.length} (${counts})`);
  const errs = a.diagnostics.filter((d) => d.severity === 'error').length;
  const warns = a.diagnostics.filter((d) => d.severity === 'warning').length;
  out.push(`- Diagnostics: ${errs} error(s), ${warns} warning(s)`);
  if (a.extras.verify) out.push(`- \`crm_verify --xml-file cib.xml\`: ${a.extras.verify.ok ? 'valid' : '**invalid**'}${a.extras.verify.messages.length ? ` (${a.extras.verify.messages.map(cell).join('; ')})` : ''}`);
  if (mapped.shims.length) out.push(`- Shim agents to install on every node: ${mapped.shims.map((s) => `\`${s}\``).join(', ')}`);
  out.push('');

  out.push('## Instances', '', '| vrrp_instance | Pacemaker group | VIPs | score per node (keepalived priority) | stickiness |', '|---|---|---|---|---|');
  for (const i of mapped.instances) {
    const scores = Object.entries(i.scores)
      .map(([n, s]) => `${n}: ${s}`)
      .join(', ');
    out.push(`| ${cell(i.instance)} | \`${i.group}\` | ${i.vips.map((v) => `${v.address}/${v.prefix}`).join(', ')} | ${scores} | ${i.stickiness} |`);
  }
  out.push('');

  out.push('## Fidelity ledger', '', 'Every directive of every node, and what it becomes.', '', '| fidelity | where | directive | becomes | why |', '|---|---|---|---|---|');
  for (const e of mapped.ledger) {
    const l = locate(e.span);
    out.push(`| ${e.fidelity} | ${cell(show(l.file))}:${l.line} | \`${cell(e.text)}\` | ${cell(e.target)} | ${cell(e.reason)} |`);
  }
  out.push('');

  if (a.extras.behaviour) out.push('## Behaviour: keepalived against Pacemaker', '', a.extras.behaviour.trim(), '');

  out.push('## Diagnostics', '');
  if (!a.diagnostics.length) out.push('None.');
  for (const d of a.diagnostics) {
    const l = d.span ? locate(d.span) : undefined;
    out.push(`- **${d.severity}** \`${d.code}\`${l ? ` ${show(l.file)}:${l.line}:${l.column}` : ''}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
  }
  out.push('');

  out.push('## Files', '', '| file | what |', '|---|---|');
  const what: Record<string, string> = {
    'cib.xml': 'the whole CIB, verified offline with crm_verify',
    'configuration.xml': 'the CIB configuration section alone',
    'pcs.sh': 'the same configuration as pcs commands on a copy of the CIB, pushed in one change',
    'crmsh.crm': 'the same configuration for `crm configure load update`',
    'corosync.conf': 'corosync configuration (knet, quorum, totem timing)',
    'ansible-ha_cluster.yml': 'variables for the linux-system-roles ha_cluster role',
  };
  for (const k of Object.keys(a.artifacts).sort()) if (what[k]) out.push(`| \`${k}\` | ${what[k]} |`);
  out.push('| `plan.json` | the plan, versioned, with checksums of its inputs and of these files |', '');
  return out.join('\n');
}

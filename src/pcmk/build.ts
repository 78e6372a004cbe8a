/**
 * Small constructors for model data, so a mapping reads as what it means
 * (`nvs({ ip: '192.0.2.10' })`, `parseAgent('ocf:heartbeat:IPaddr2')`).
 * Pure helpers: they build plain objects and nothing else.
 */
import type { Agent, NvPair, SourceRef } from './model.js';

/** Name/value pairs from a record, in the record's insertion order. */
export function nvs(record: Record<string, string | number | boolean>, source?: SourceRef): NvPair[] {
  return Object.entries(record).map(([name, value]) =>
    source ? { name, value: String(value), source } : { name, value: String(value) },
  );
}

/** `class:provider:type` or `class:type` → Agent; undefined when malformed. */
export function parseAgent(spec: string): Agent | undefined {
  const parts = spec.split(':');
  if (parts.length === 3 && parts[0] === 'ocf' && parts.every((p) => p !== '')) {
    return { class: 'ocf', provider: parts[1], type: parts[2] };
  }
  if (parts.length === 2 && parts[1] !== '') {
    const cls = parts[0];
    if (cls === 'systemd' || cls === 'lsb' || cls === 'service' || cls === 'stonith') return { class: cls, type: parts[1] };
  }
  return undefined;
}

/** The agent's standard name, as pcs and crmsh write it: `ocf:heartbeat:IPaddr2`. */
export function agentName(agent: Agent): string {
  return agent.class === 'ocf' ? `ocf:${agent.provider ?? 'heartbeat'}:${agent.type}` : `${agent.class}:${agent.type}`;
}

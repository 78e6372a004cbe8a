/**
 * Boot-time state on every node: keepalived stopped and disabled (it must
 * never come back and claim the VIP next to Pacemaker), corosync and
 * pacemaker enabled (a rebooted node rejoins the cluster).
 */
import { failedBy, item, type CheckContext } from './context.js';
import { Recorder } from './evidence.js';
import type { CheckItem } from './types.js';

/** systemctl is-enabled answers that start the unit at boot. */
const STARTS_AT_BOOT = new Set(['enabled', 'enabled-runtime', 'static', 'indirect', 'alias', 'generated']);

export async function serviceItems(ctx: CheckContext): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  for (const node of ctx.nodes) {
    const rec = new Recorder(ctx.runner);
    const title = `keepalived stopped on ${node}`;
    try {
      const active = await rec.run(node, ['systemctl', 'is-active', 'keepalived']);
      const pid = await rec.run(node, ['pidof', 'keepalived']);
      const running = active.stdout.trim() === 'active' || pid.code === 0;
      items.push(item(`keepalived-stopped:${node}`, title, running ? 'fail' : 'pass', running ? `keepalived is running (${active.stdout.trim()}${pid.code === 0 ? `, pid ${pid.stdout.trim()}` : ''})` : 'not running', rec.evidence));
    } catch (e) {
      items.push(failedBy(e, `keepalived-stopped:${node}`, title, rec.evidence));
    }
    const brec = new Recorder(ctx.runner);
    const btitle = `keepalived disabled at boot on ${node}`;
    try {
      const en = await brec.run(node, ['systemctl', 'is-enabled', 'keepalived']);
      const state = en.stdout.trim() || en.stderr.trim();
      const starts = STARTS_AT_BOOT.has(en.stdout.trim());
      items.push(item(`keepalived-disabled:${node}`, btitle, starts ? 'fail' : 'pass', starts ? `keepalived is ${state}: it would start at boot` : `keepalived is ${state || 'not installed'}`, brec.evidence));
    } catch (e) {
      items.push(failedBy(e, `keepalived-disabled:${node}`, btitle, brec.evidence));
    }
    const crec = new Recorder(ctx.runner);
    const ctitle = `corosync and pacemaker enabled at boot on ${node}`;
    try {
      const bad: string[] = [];
      for (const unit of ['corosync', 'pacemaker']) {
        const en = await crec.run(node, ['systemctl', 'is-enabled', unit]);
        if (!STARTS_AT_BOOT.has(en.stdout.trim())) bad.push(`${unit} ${en.stdout.trim() || en.stderr.trim() || 'unknown'}`);
      }
      items.push(item(`cluster-enabled:${node}`, ctitle, bad.length ? 'fail' : 'pass', bad.length ? `not enabled: ${bad.join(', ')}` : 'both enabled', crec.evidence));
    } catch (e) {
      items.push(failedBy(e, `cluster-enabled:${node}`, ctitle, crec.evidence));
    }
  }
  return items;
}

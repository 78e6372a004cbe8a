/**
 * Shared storage from the plan: the filesystem mounted on the VIP holder
 * and nowhere else (`findmnt --mountpoint`, run in each node's own view),
 * and its NFS exports only on the holder (`exportfs -v`).
 */
import type { StorageSpec } from '../map/types.js';
import { failedBy, item, type CheckContext } from './context.js';
import { Recorder } from './evidence.js';
import type { CheckItem } from './types.js';

export async function storageItems(ctx: CheckContext, s: StorageSpec, holder: string | undefined): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const title = `${s.directory} mounted only on the VIP holder`;
  if (!holder) return [item(`storage-mounted:${s.directory}`, title, 'fail', 'no single VIP holder to compare with', [])];
  const rec = new Recorder(ctx.runner);
  try {
    const mounted: string[] = [];
    for (const node of ctx.nodes) {
      const r = await rec.run(node, ['findmnt', '-rn', '-o', 'TARGET,SOURCE,FSTYPE', '--mountpoint', s.directory]);
      if (r.code === 0 && r.stdout.trim()) mounted.push(node);
    }
    const ok = mounted.length === 1 && mounted[0] === holder;
    items.push(item(`storage-mounted:${s.directory}`, title, ok ? 'pass' : 'fail', ok ? `mounted on ${holder} only` : `mounted on ${mounted.join(', ') || 'no node'}; the VIP holder is ${holder}`, rec.evidence));
  } catch (e) {
    items.push(failedBy(e, `storage-mounted:${s.directory}`, title, rec.evidence));
  }
  if (!s.exports.length) return items;
  const etitle = `exports of ${s.directory} only on the VIP holder`;
  const erec = new Recorder(ctx.runner);
  try {
    const exporting: string[] = [];
    let missing = 0;
    for (const node of ctx.nodes) {
      const r = await erec.run(node, ['exportfs', '-v'], [s.directory]);
      if (r.code === 127) missing++;
      const dirs = s.exports.map((x) => x.directory ?? s.directory);
      if (r.code === 0 && r.stdout.split('\n').some((l) => dirs.some((d) => l.split(/\s+/)[0] === d))) exporting.push(node);
    }
    if (missing === ctx.nodes.length) items.push(item(`storage-exports:${s.directory}`, etitle, 'skip', 'exportfs is not installed on any node', erec.evidence));
    else {
      const ok = exporting.length === 1 && exporting[0] === holder;
      items.push(item(`storage-exports:${s.directory}`, etitle, ok ? 'pass' : 'fail', ok ? `exported by ${holder} only` : `exported by ${exporting.join(', ') || 'no node'}; the VIP holder is ${holder}`, erec.evidence));
    }
  } catch (e) {
    items.push(failedBy(e, `storage-exports:${s.directory}`, etitle, erec.evidence));
  }
  return items;
}

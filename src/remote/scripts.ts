/**
 * The scripts a keepalived configuration runs (notify_*, notify, and each
 * vrrp_script's argv[0]): ka2pcmk reads them so the mapping can see what
 * they do, and records their checksums as preconditions.
 */
import type { KeepalivedConfig } from '../model/types.js';

/** Absolute paths of the programs the configuration runs, sorted, each once. */
export function referencedScripts(config: KeepalivedConfig): string[] {
  const calls = [...config.instances.flatMap((i) => Object.values(i.notify)), ...config.syncGroups.flatMap((g) => Object.values(g.notify)), ...config.scripts.map((s) => s.script)];
  const paths = new Set<string>();
  for (const c of calls) {
    const p = c?.argv[0];
    if (p && p.startsWith('/')) paths.add(p);
  }
  return [...paths].sort();
}

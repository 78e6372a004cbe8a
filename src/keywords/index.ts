/**
 * keepalived's whole keyword surface, as one tree of tables rooted at ROOT.
 *
 * The target is keepalived 2.2.7: a keyword with `since` newer than that is
 * known to a later keepalived only, and one with `removed` is known to an
 * older keepalived only (2.2.7 says "Unknown keyword"). Both are warnings for
 * the tool, never parse failures.
 */
import type { KeywordSpec, KeywordTable } from './types.js';
import { GLOBAL_ROOT } from './global.js';
import { VRRP_ROOT } from './vrrp.js';
import { STATIC_ROOT } from './static.js';
import { TRACK_ROOT } from './track.js';
import { CHECK_ROOT } from './check.js';
import { BFD_ROOT } from './bfd.js';

export type { ArgSpec, ArgType, BlockKind, KeywordSpec, KeywordTable, LineFormat, RefKind } from './types.js';

/** The keepalived release whose keyword set the tables describe. */
export const KEEPALIVED_TARGET_VERSION = '2.2.7';

/** Every root keyword (top level of keepalived.conf), in keepalived's install order. */
export const ROOT: KeywordTable = Object.freeze({
  ...GLOBAL_ROOT,
  ...VRRP_ROOT,
  ...STATIC_ROOT,
  ...TRACK_ROOT,
  ...CHECK_ROOT,
  ...BFD_ROOT,
});

/**
 * The table of the block reached by `path` (names of the enclosing keywords,
 * outermost first), or undefined when a step is unknown or opens no
 * `keywords` block. The empty path is ROOT.
 */
export function tableAt(path: readonly string[]): KeywordTable | undefined {
  let current: KeywordTable = ROOT;
  for (const step of path) {
    const spec: KeywordSpec | undefined = Object.hasOwn(current, step) ? current[step] : undefined;
    if (!spec?.children) return undefined;
    current = spec.children;
  }
  return current;
}

/**
 * The spec of keyword `name` inside the block reached by `path`, e.g.
 * `lookup(['vrrp_instance'], 'priority')` or
 * `lookup(['virtual_server', 'real_server', 'HTTP_GET', 'url'], 'status_code')`.
 * Keywords are case-sensitive, as in keepalived.
 */
export function lookup(path: readonly string[], name: string): KeywordSpec | undefined {
  const t = tableAt(path);
  return t && Object.hasOwn(t, name) ? t[name] : undefined;
}

/** True when keepalived 2.2.7 accepts the keyword (it is neither newer nor removed). */
export function knownToTarget(spec: KeywordSpec): boolean {
  return spec.removed === undefined && (spec.since === undefined || compareVersions(spec.since, KEEPALIVED_TARGET_VERSION) <= 0);
}

/** Compares dotted versions numerically: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * XML ids for CIB elements. The CIB schema types ids as `xsd:ID` (an XML
 * NCName); pcs accepts a narrower set, which is what we produce: ASCII
 * letters, digits, `_`, `.`, `-`, and a letter or `_` first. Ids must be
 * stable across runs (goldens, re-runs, diffs against a live CIB), so they are
 * derived from names, never from counters over unordered data.
 */

const INVALID = /[^A-Za-z0-9_.-]/g;

/** True when `id` is an id that Pacemaker and pcs both accept. */
export function isValidId(id: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(id);
}

/**
 * Build a readable, valid id from parts: `makeId('vip', 'VI_1')` is
 * `vip-VI_1`. Parts are joined with `-`; empty parts are skipped; each
 * character outside the allowed set becomes `_` (so `fd00::1` gives `fd00__1`);
 * an id that would start with a digit, `.` or `-` gets a `_` in front. The
 * result depends only on the parts, so it is stable.
 */
export function makeId(...parts: Array<string | number>): string {
  const joined = parts
    .map((p) => String(p).trim())
    .filter((p) => p !== '')
    .join('-')
    .replace(INVALID, '_');
  if (joined === '') return '_';
  return /^[A-Za-z_]/.test(joined) ? joined : `_${joined}`;
}

/**
 * Hands out unique ids deterministically: the first request for a name gets
 * it, later ones get `-1`, `-2`... (pcs's own scheme), so the result depends
 * only on the order of requests.
 */
export class IdRegistry {
  private readonly taken = new Set<string>();
  /** Per base, the last suffix tried: every one below it is taken (ids are never released). */
  private readonly lastSuffix = new Map<string, number>();

  constructor(reserved: Iterable<string> = []) {
    for (const id of reserved) this.taken.add(id);
  }

  /** True when `id` is already handed out or reserved. */
  has(id: string): boolean {
    return this.taken.has(id);
  }

  /** Mark an id as used (e.g. one that exists in a live CIB). */
  reserve(id: string): void {
    this.taken.add(id);
  }

  /** A fresh id built by `makeId(...parts)`, suffixed when taken. */
  unique(...parts: Array<string | number>): string {
    const base = makeId(...parts);
    let id = base;
    // Resumes where the last request for this base stopped: the same ids as
    // counting from 1 each time, without the quadratic search (5,000
    // instances asking for one base took 12 million lookups).
    let n = this.lastSuffix.get(base) ?? 0;
    if (n > 0) id = `${base}-${n}`;
    while (this.taken.has(id)) id = `${base}-${++n}`;
    if (n > 0) this.lastSuffix.set(base, n);
    this.taken.add(id);
    return id;
  }
}

/**
 * Small constructors that keep the keyword tables short and readable. Each
 * returns plain data of the types in ./types.ts; nothing here knows about
 * any keyword.
 */
import type { ArgSpec, KeywordSpec, KeywordTable, RefKind } from './types.js';

/** Flags for one argument. */
export interface ArgOptions {
  optional?: boolean;
  repeat?: boolean;
}

/**
 * keepalived's largest timer, TIMER_MAXIMUM (ULONG_MAX - 1 microseconds), in
 * seconds. read_timer() uses it when a handler passes max 0. A double cannot
 * hold it exactly; nobody writes delays of half a million years.
 */
export const TIMER_MAX = 18446744073709.55;

/** An integer in [min, max] (read_int / read_unsigned). */
export function int(name: string, min: number, max: number, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'int', min, max }, ...opts };
}

/** A decimal in [min, max] with at most `decimals` places (read_decimal_unsigned, read_timer). */
export function decimal(name: string, min: number, max: number, decimals: number, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'decimal', min, max, decimals }, ...opts };
}

/** One of the listed words; `ci` when keepalived compares with strcasecmp. */
export function oneOf(
  name: string,
  values: readonly string[],
  opts: ArgOptions & { ci?: boolean } = {},
): ArgSpec {
  const { ci, ...rest } = opts;
  return { name, arg: ci ? { type: 'enum', values, ci } : { type: 'enum', values }, ...rest };
}

/** An optional true/false, yes/no, on/off (check_true_false); the keyword alone means true. */
export function bool(name: string): ArgSpec {
  return { name, arg: { type: 'bool' }, optional: true };
}

/** An address without prefix. */
export function ip(name: string, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'ip' }, ...opts };
}

/** An address with an optional /prefix. */
export function ipPrefix(name: string, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'ipprefix' }, ...opts };
}

/** An interface name. */
export function ifname(name: string, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'ifname' }, ...opts };
}

/** A port number or service name. */
export function port(name: string, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'port' }, ...opts };
}

/** The name of another configuration object. */
export function ref(name: string, kind: RefKind, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'ref', ref: kind }, ...opts };
}

/** A file system path. */
export function path(name: string, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'path' }, ...opts };
}

/** A mail address. */
export function email(name: string, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'email' }, ...opts };
}

/** Any single word. */
export function word(name: string, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'word' }, ...opts };
}

/** A script command line (the rest of the line). */
export function script(name: string, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'script' }, ...opts };
}

/** The rest of the line, free form. */
export function rest(name: string, opts: ArgOptions = {}): ArgSpec {
  return { name, arg: { type: 'rest' }, ...opts };
}

/**
 * Builds a frozen table from specs, keyed by name. Invariant: names are
 * unique within a block (keepalived would only ever call the first one), so a
 * duplicate is a bug in the table and throws at module load.
 */
export function table(specs: readonly KeywordSpec[]): KeywordTable {
  const out: Record<string, KeywordSpec> = {};
  for (const spec of specs) {
    if (Object.hasOwn(out, spec.name)) throw new Error(`keyword table: duplicate keyword '${spec.name}'`);
    out[spec.name] = spec;
  }
  return Object.freeze(out);
}

/**
 * `--host [NAME=][user@]host[:port]` as the command line gives it. The
 * destination may also be an ssh_config alias; NAME, when given, is the
 * node's name (otherwise the host's `hostname -s`).
 */
import { parseHostSpec } from '../exec/ssh-config.js';

export interface HostArg {
  /** The node name given with NAME=, if any. */
  name?: string;
  /** The destination as written (what ssh connects to). */
  target: string;
}

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parses one --host value; throws an Error with a usage message when malformed. */
export function parseHostArg(spec: string): HostArg {
  const eq = spec.indexOf('=');
  const name = eq > 0 ? spec.slice(0, eq) : undefined;
  const target = eq > 0 ? spec.slice(eq + 1) : spec;
  if (name !== undefined && !NODE_NAME.test(name)) throw new Error(`--host ${spec}: '${name}' is not a valid node name`);
  try {
    parseHostSpec(target);
  } catch (e) {
    throw new Error(`--host ${spec}: ${(e as Error).message}`);
  }
  return { ...(name ? { name } : {}), target };
}

/** Parses every --host value; the same destination twice is an error. */
export function parseHostArgs(specs: readonly string[]): HostArg[] {
  const args = specs.map(parseHostArg);
  const seen = new Set<string>();
  for (const a of args) {
    if (seen.has(a.target)) throw new Error(`--host ${a.target} is given twice`);
    seen.add(a.target);
  }
  return args;
}

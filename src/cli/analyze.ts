/**
 * `ka2pcmk analyze [FILE...]`: reads keepalived configuration for one or
 * several nodes, prints what it means and every diagnostic.
 */
import { hostname } from 'node:os';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { type NodeInput, readNodes } from '../frontend.js';
import { LocalFileSystem } from '../source/files.js';
import { makeStyle } from '../ui/style.js';
import { analyzeJson, analyzeText } from '../view/analyze.js';
import { ExitCode, type Io, UsageError } from './io.js';

export interface AnalyzeOptions {
  files: string[];
  /** `NAME` or `NAME=FILE`, repeatable. */
  node?: string[];
  configId?: string;
  json?: boolean;
}

export const DEFAULT_CONFIG = '/etc/keepalived/keepalived.conf';

/** keepalived's default config-id: the short host name. */
export function defaultConfigId(): string {
  return hostname().split('.')[0];
}

/** Works out which file each node reads and with which config-id. */
export function nodeInputs(opts: AnalyzeOptions, cwd: string): NodeInput[] {
  const abs = (f: string) => (isAbsolute(f) ? f : resolve(cwd, f));
  const files = opts.files.length ? opts.files : [DEFAULT_CONFIG];
  if (opts.node?.length) {
    if (opts.configId) throw new UsageError('--config-id and --node cannot be used together: each node is evaluated with its own name as config-id');
    const shared = opts.files.length === 1 ? abs(opts.files[0]) : opts.files.length === 0 ? DEFAULT_CONFIG : undefined;
    const seen = new Set<string>();
    return opts.node.map((spec) => {
      const eq = spec.indexOf('=');
      const name = eq < 0 ? spec : spec.slice(0, eq);
      const file = eq < 0 ? shared : abs(spec.slice(eq + 1));
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new UsageError(`--node ${spec}: '${name}' is not a valid node name`);
      if (seen.has(name)) throw new UsageError(`--node ${name} is given twice`);
      seen.add(name);
      if (!file) throw new UsageError(`--node ${name} names no file, and ${opts.files.length} files were given: use --node ${name}=FILE`);
      return { name, entry: file, configId: name };
    });
  }
  if (files.length === 1) {
    const id = opts.configId ?? defaultConfigId();
    return [{ name: id, entry: abs(files[0]), configId: id }];
  }
  if (opts.configId) throw new UsageError('--config-id applies to one file; for several nodes use --node NAME=FILE');
  const names = new Set<string>();
  return files.map((f, k) => {
    let name = basename(f).replace(/[^A-Za-z0-9._-]/g, '_') || `node${k + 1}`;
    while (names.has(name)) name = `${name}-${k + 1}`;
    names.add(name);
    return { name, entry: abs(f), configId: defaultConfigId() };
  });
}

/** Paths under the working directory are shown relative to it. */
export function displayPath(cwd: string): (p: string) => string {
  return (p) => {
    const r = relative(cwd, p);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
  };
}

export async function analyze(opts: AnalyzeOptions, io: Io): Promise<number> {
  const inputs = nodeInputs(opts, io.cwd);
  const result = readNodes(inputs, new LocalFileSystem());
  const show = displayPath(io.cwd);
  if (opts.json) io.out(JSON.stringify(analyzeJson(result, show), null, 2));
  else io.out(analyzeText(result, makeStyle(io.color), show));
  return result.diagnostics.some((d) => d.severity === 'error') ? ExitCode.errors : ExitCode.ok;
}

/**
 * `ka2pcmk analyze [FILE...]`: reads keepalived configuration for one or
 * several nodes, prints what it means and every diagnostic.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { sortDiagnostics } from '../diag/diagnostic.js';
import { type FrontEndResult, type NodeInput, readNodes } from '../frontend.js';
import { mapToPacemaker } from '../map/index.js';
import type { MapOptions, MapResult } from '../map/types.js';
import { buildArtifacts } from '../plan/artifacts.js';
import { writePlanDir } from '../plan/write.js';
import { LocalFileSystem } from '../source/files.js';
import { makeStyle } from '../ui/style.js';
import { analyzeJson, analyzeText, mappingText } from '../view/analyze.js';
import { buildChanges, type ChangesInput, renderChanges } from '../view/diffs.js';
import { emitConfiguration } from '../emit/cib.js';
import { emitCorosyncConf } from '../emit/corosync.js';
import { plain } from '../ui/style.js';
import { ExitCode, type Io, UsageError } from './io.js';
import { parseFence, parseNodeAddress, parseStorage } from './options.js';
import { VERSION } from './version.js';

export interface AnalyzeOptions {
  files: string[];
  /** `NAME` or `NAME=FILE`, repeatable. */
  node?: string[];
  configId?: string;
  json?: boolean;
  /** Write the plan into this directory. */
  output?: string;
  /** false: the operator accepts running without fencing (--no-stonith). */
  stonith?: boolean;
  fence?: string;
  storage?: string[];
  lvs?: 'keepalived-checker' | 'ldirectord';
  clusterName?: string;
  nodeAddress?: string[];
  /** false (--no-map): only read and check the configuration, as `keepalived -t` does. */
  map?: boolean;
  /** Show the diffs of what changes on each node and in the CIB (also shown with -o). */
  diff?: boolean;
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

/** The mapping options the command line gives. */
export function mapOptions(opts: AnalyzeOptions, scripts: Record<string, string>): MapOptions {
  return {
    clusterName: opts.clusterName,
    stonithDisabled: opts.stonith === false,
    fence: opts.fence ? parseFence(opts.fence) : undefined,
    storage: opts.storage?.length ? opts.storage.map(parseStorage) : undefined,
    lvs: opts.lvs,
    scripts,
  };
}

/**
 * Scripts the configuration runs (notify_*, vrrp_script), read where they are
 * named or, failing that, next to the configuration file (a copy taken off
 * the host), so the mapping can see what they do.
 */
function readScripts(result: FrontEndResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of result.nodes) {
    const calls = [...n.config.instances.flatMap((i) => Object.values(i.notify)), ...n.config.syncGroups.flatMap((g) => Object.values(g.notify)), ...n.config.scripts.map((s) => s.script)];
    for (const c of calls) {
      const path = c?.argv[0];
      if (!path || path in out || !path.startsWith('/')) continue;
      for (const candidate of [path, join(dirname(n.entry), basename(path))]) {
        try {
          if (existsSync(candidate)) {
            out[path] = readFileSync(candidate, 'utf8');
            break;
          }
        } catch {
          /* unreadable: the mapping works without it */
        }
      }
    }
  }
  return out;
}

export async function analyze(opts: AnalyzeOptions, io: Io): Promise<number> {
  const inputs = nodeInputs(opts, io.cwd);
  const result = readNodes(inputs, new LocalFileSystem());
  return analyzeRead(result, opts, io, { scripts: () => readScripts(result) });
}

/** What a caller reading nodes elsewhere (over SSH: analyze-remote.ts) adds to the common path. */
export interface AnalyzeHooks {
  /** Script contents by path (notify, vrrp_script), for the mapping. */
  scripts: () => Record<string, string>;
  /** How file paths are shown (default: relative to the working directory). */
  show?: (p: string) => string;
  /** Adjusts the plan's files before they are written (plan.json stays last), given the plan directory. */
  beforeWrite?: (files: Record<string, string>, dir: string) => void;
  /** What is known of each node before the migration, and the live CIB (default: nothing, so assumed). */
  before?: () => Pick<ChangesInput, 'before' | 'cibBefore'>;
}

/** Maps the nodes read, prints the result, and writes the plan with -o. */
export async function analyzeRead(result: FrontEndResult, opts: Omit<AnalyzeOptions, 'files'>, io: Io, hooks: AnalyzeHooks): Promise<number> {
  const addresses = new Map((opts.nodeAddress ?? []).map(parseNodeAddress));
  for (const name of addresses.keys()) if (!result.nodes.some((n) => n.name === name)) throw new UsageError(`--node-address ${name}: no such node`);
  const show = hooks.show ?? displayPath(io.cwd);
  const frontErrors = result.diagnostics.some((d) => d.severity === 'error');
  let mapped: MapResult | undefined;
  let options: MapOptions | undefined;
  if (opts.map === false && opts.output) throw new UsageError('--no-map and -o cannot be used together: the plan is the mapping');
  if (!frontErrors && (opts.map !== false || opts.output)) {
    options = mapOptions(opts as AnalyzeOptions, hooks.scripts());
    mapped = mapToPacemaker(
      result.nodes.map((n) => ({ name: n.name, config: n.config, address: addresses.get(n.name) })),
      options,
      show,
    );
  }
  const diagnostics = sortDiagnostics([...result.diagnostics, ...(mapped?.diagnostics ?? [])]);
  const changes = mapped
    ? buildChanges({
        nodes: result.nodes.map((n) => n.name),
        keepalivedFiles: Object.fromEntries(result.nodes.map((n) => [n.name, n.files.map((f) => show(f.path))])),
        corosyncConf: emitCorosyncConf(mapped.model),
        configuration: emitConfiguration(mapped.model),
        shims: mapped.shims,
        ...(hooks.before?.() ?? { before: {} }),
      })
    : undefined;
  const all: FrontEndResult = { nodes: result.nodes, diagnostics };
  let written: string[] | undefined;
  let proofLine: string | undefined;
  if (opts.output) {
    if (!mapped || !options) {
      io.err(`ka2pcmk: not writing a plan to ${opts.output}: the configuration has errors (fix them first)`);
    } else {
      const verify = await verifyCib(mapped);
      const behaviour = verify ? await proveMapping(result, mapped, addresses) : undefined;
      if (behaviour) proofLine = behaviour.line;
      const art = buildArtifacts(result.nodes, mapped, options, diagnostics, show, `ka2pcmk ${VERSION}`, { verify, behaviour: behaviour?.table }, changes && renderChanges(changes, plain));
      const dir = resolve(io.cwd, opts.output);
      hooks.beforeWrite?.(art.files, dir);
      writePlanDir(dir, art.files);
      written = Object.keys(art.files).sort();
    }
  }
  if (opts.json) io.out(JSON.stringify({ ...analyzeJson(all, show), ...(mapped ? { mapping: mappingJson(mapped, show) } : {}), ...(written ? { written: { dir: opts.output, files: written } } : {}) }, null, 2));
  else {
    const style = makeStyle(io.color);
    const diffs = changes && (opts.output || opts.diff) ? `\n\n${style.bold('what changes (unified diffs, before -> after):')}\n\n${renderChanges(changes, style).replace(/\n+$/, '')}` : '';
    io.out(analyzeText(all, style, show) + (mapped ? '\n\n' + mappingText(mapped, style, show) : '') + (proofLine ? `\n\n${proofLine}` : '') + diffs + (written ? `\n\nplan written to ${opts.output}: ${written.join(', ')}` : ''));
  }
  return diagnostics.some((d) => d.severity === 'error') || (opts.output && !written) ? ExitCode.errors : ExitCode.ok;
}

function mappingJson(m: MapResult, show: (p: string) => string) {
  return {
    cluster: m.model.name,
    instances: m.instances,
    shims: m.shims,
    ledger: m.ledger.map((e) => {
      const f = e.span.file;
      const pos = f.position(e.span.start);
      return { fidelity: e.fidelity, keyword: e.keyword, owner: e.owner, text: e.text, file: show(f.path), line: pos.line, column: pos.column, target: e.target, reason: e.reason };
    }),
  };
}

/**
 * The behaviour proof (keepalived's election against crm_simulate on the
 * emitted CIB, for every failure that matters); only where Pacemaker's tools
 * are installed, as for crm_verify.
 */
async function proveMapping(result: FrontEndResult, m: MapResult, addresses: Map<string, string>): Promise<{ table: string; line: string } | undefined> {
  try {
    const { proveBehaviour } = await import('../prove/run.js');
    const { markdownTable } = await import('../prove/table.js');
    const proof = await proveBehaviour(
      result.nodes.map((n) => ({ name: n.name, config: n.config, address: addresses.get(n.name) })),
      m,
    );
    const count = (v: string) => proof.rows.filter((r) => r.verdict === v).length;
    return {
      table: markdownTable(proof.rows),
      line: `behaviour proof (crm_simulate): ${proof.scenarios.length} scenarios, ${proof.rows.length} rows: ${count('match')} match, ${count('explained')} explained, ${count('unexplained')} unexplained${proof.messages.length ? `; ${proof.messages.length} simulation problem(s), see report.md` : ''}`,
    };
  } catch {
    return undefined;
  }
}

/** crm_verify on the emitted CIB when Pacemaker's tools are installed here; undefined otherwise. */
async function verifyCib(m: MapResult): Promise<{ ok: boolean; messages: string[] } | undefined> {
  const { emitCib } = await import('../emit/cib.js');
  const { crmVerify } = await import('../tools/pacemaker.js');
  const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-verify-'));
  try {
    const file = join(dir, 'cib.xml');
    writeFileSync(file, emitCib(m.model));
    const r = await crmVerify(file);
    return r.messages.some((x) => /not found|ENOENT|No such file/.test(x)) && !r.ok ? undefined : r;
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The one place that runs Pacemaker's (and pcs's, crmsh's, corosync's) tools,
 * offline, against files: nothing here talks to a live cluster. Every tool is
 * spawned with an argv array, never through a shell string; failures come
 * back as values (`ok: false` with the tool's messages) because callers
 * report them rather than crash on them.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { agentName } from '../pcmk/build.js';
import type { Agent } from '../pcmk/model.js';
import { escapeAttr } from '../emit/xml.js';
import { parseXml, findElement, type XmlTree } from './xml.js';

export { compareConfigurations, formatDifference, type ConfigDifference } from './cib-compare.js';

/** What a tool run gave. `ok` is exit status 0 unless said otherwise. */
export interface ToolResult {
  ok: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
  argv: string[];
  ms: number;
}

/** Run one tool. Never throws: a tool that cannot start is `ok: false` with the reason in stderr. */
export function run(argv: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ToolResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => resolve({ ok: false, code: null, stdout, stderr: stderr + e.message, argv, ms: Date.now() - started }));
    child.on('close', (code) => resolve({ ok: code === 0, code, stdout, stderr, argv, ms: Date.now() - started }));
  });
}

/** A fresh temporary directory; the caller removes it with `removeDir`. */
export function tempDir(prefix = 'ka2pcmk-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Remove a directory made by `tempDir`. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** The text of an empty CIB as this Pacemaker writes it (`cibadmin --empty`). */
export async function emptyCib(): Promise<string> {
  const r = await run(['cibadmin', '--empty']);
  if (!r.ok) throw new Error(`cibadmin --empty failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Add nodes to a CIB file, as the cluster would when they join. */
export async function addNodes(cibFile: string, nodes: ReadonlyArray<{ name: string; nodeId: number }>): Promise<ToolResult[]> {
  const results: ToolResult[] = [];
  for (const n of nodes) {
    const xml = `<node id="${escapeAttr(String(n.nodeId))}" uname="${escapeAttr(n.name)}"/>`;
    results.push(await run(['cibadmin', '-o', 'nodes', '-C', '-X', xml], { env: { CIB_file: cibFile } }));
  }
  return results;
}

/** `crm_verify --xml-file`: ok when valid; messages are its output lines. */
export async function crmVerify(xmlFile: string): Promise<{ ok: boolean; messages: string[] }> {
  const r = await run(['crm_verify', '--xml-file', xmlFile, '-V']);
  const messages = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return { ok: r.ok, messages };
}

/** Whether an agent's metadata is available here (pcs refuses unknown agents without --force). */
export async function agentAvailable(agent: Agent): Promise<boolean> {
  return (await run(['crm_resource', '--show-metadata', agentName(agent)])).ok;
}

/** The real pcs on PATH (the shim below must not call itself). */
async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

// Stands in for pcs where the script needs a live cluster: `cluster cib` reads
// the target file, `cluster cib-push ... diff-against=` applies the diff to it
// as pcs does (crm_diff, then cibadmin --patch). All else is the real pcs.
const PCS_SHIM = `#!/bin/sh
set -e
if [ "$1" = cluster ] && [ "$2" = cib ]; then exec cp -- "$KA2PCMK_CIB_FILE" "$3"; fi
if [ "$1" = cluster ] && [ "$2" = cib-push ]; then
  orig=\${4#diff-against=}
  rc=0; crm_diff --no-version --original "$orig" --new "$3" > "$3.patch" || rc=$?
  [ "$rc" -le 1 ] || exit "$rc"
  [ "$rc" -eq 0 ] && exit 0
  CIB_file="$KA2PCMK_CIB_FILE" exec cibadmin --patch --xml-file "$3.patch"
fi
if [ "$KA2PCMK_FORCE" = 1 ] && [ "$1" = -f ] && [ "$3" = resource ] && [ "$4" = create ]; then
  exec "$KA2PCMK_PCS" "$@" --force
fi
exec "$KA2PCMK_PCS" "$@"
`;

/**
 * Run an emitted pcs script, unchanged, against a CIB file instead of a live
 * cluster: bash runs it in a scratch directory with a `pcs` shim first on
 * PATH (see above). The script's own quoting is therefore what is tested.
 * `force` adds `--force` to `resource create`, for agents not installed here
 * (pcs would otherwise refuse them); say so when reporting.
 */
export async function pcsScriptOnFile(script: string, cibFile: string, options: { force?: boolean } = {}): Promise<ToolResult> {
  const pcs = await findOnPath('pcs');
  if (!pcs) return { ok: false, code: null, stdout: '', stderr: 'pcs is not installed', argv: [], ms: 0 };
  const dir = await tempDir('ka2pcmk-pcs-');
  try {
    await writeFile(join(dir, 'pcs'), PCS_SHIM);
    await chmod(join(dir, 'pcs'), 0o755);
    await writeFile(join(dir, 'script.sh'), script);
    return await run(['bash', join(dir, 'script.sh')], {
      cwd: dir,
      env: { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`, KA2PCMK_CIB_FILE: cibFile, KA2PCMK_PCS: pcs, KA2PCMK_FORCE: options.force ? '1' : '0' },
    });
  } finally {
    await removeDir(dir);
  }
}

/**
 * `crm configure load update SCRIPT` against a CIB file (crmsh works offline
 * through CIB_file). `force` (`crm -F`) lets crmsh accept agents it cannot
 * find metadata for, as pcsScriptOnFile's `force` does.
 */
export async function crmshLoad(script: string, cibFile: string, options: { force?: boolean } = {}): Promise<ToolResult> {
  const dir = await tempDir('ka2pcmk-crm-');
  try {
    const file = join(dir, 'config.crm');
    await writeFile(file, script);
    return await run(['crm', ...(options.force ? ['-F'] : []), 'configure', 'load', 'update', file], { env: { CIB_file: cibFile } });
  } finally {
    await removeDir(dir);
  }
}

/** `corosync -t -c FILE`: corosync parses the file and exits. */
export async function corosyncCheck(confFile: string): Promise<ToolResult> {
  return run(['corosync', '-t', '-c', confFile]);
}

/** Where each resource runs: id → its instances' nodes and roles, sorted by node. */
export type Placement = Record<string, Array<{ node: string; role: string }>>;

/** What a simulation gave. */
export interface SimulationResult {
  ok: boolean;
  /** Placement once the `up` nodes are online and the cluster settled. */
  steady: Placement;
  /** Placement after `fail` and `ops` were applied to the steady state (same as `steady` without them). */
  placement: Placement;
  messages: string[];
}

/** Placement from `crm_simulate --output-as=xml`'s revised status; groups and clones get their members' union. */
function placementOf(tree: XmlTree): Placement {
  const out: Placement = {};
  const add = (id: string, node: string, role: string): void => {
    const list = (out[id] ??= []);
    if (!list.some((e) => e.node === node && e.role === role)) list.push({ node, role });
  };
  const visit = (el: XmlTree, parents: string[]): void => {
    if (el.name === 'resource') {
      // Clone instances may be named `id:N`; what callers know is `id`.
      const id = el.attrs.id.replace(/:\d+$/, '');
      if (el.attrs.active !== 'true') return;
      for (const n of el.children.filter((c) => c.name === 'node')) {
        for (const owner of [id, ...parents]) add(owner, n.attrs.name, el.attrs.role);
      }
      return;
    }
    const next = el.name === 'group' || el.name === 'clone' || el.name === 'bundle' ? [...parents, el.attrs.id] : parents;
    el.children.forEach((c) => visit(c, next));
  };
  visit(tree, []);
  for (const list of Object.values(out)) list.sort((a, b) => a.node.localeCompare(b.node) || a.role.localeCompare(b.role));
  return out;
}

async function simulateOnce(argv: string[], messages: string[]): Promise<Placement | undefined> {
  const r = await run(argv);
  const tree = parseXml(r.stdout);
  const revised = 'error' in tree ? undefined : findElement(tree, 'revised_cluster_status');
  if (!r.ok || !revised) {
    messages.push(`${argv.join(' ')} failed (exit ${r.code}): ${r.stderr.trim() || ('error' in tree ? tree.error : 'no revised status')}`);
    return undefined;
  }
  return placementOf(findElement(revised, 'resources') ?? revised);
}

/**
 * Where resources go: first bring the `up` nodes online and let the cluster
 * settle (with quorum), then fail the `fail` nodes and inject `ops`
 * (`crm_simulate --op-inject` specs, e.g. `vip_monitor_10000@node1=7`) into
 * that steady state. Two runs, because failover is about moving from where
 * things already are, stickiness included.
 */
export async function simulate(
  cibFile: string,
  scenario: { up: string[]; fail?: string[]; ops?: string[] },
): Promise<SimulationResult> {
  const messages: string[] = [];
  const dir = await tempDir('ka2pcmk-sim-');
  try {
    const settled = join(dir, 'up.xml');
    const upArgs = scenario.up.flatMap((n) => ['--node-up', n]);
    const steady = await simulateOnce(
      ['crm_simulate', '--xml-file', cibFile, '--quorum', '1', ...upArgs, '--simulate', '--save-output', settled, '--output-as=xml'],
      messages,
    );
    if (!steady) return { ok: false, steady: {}, placement: {}, messages };
    const failArgs = (scenario.fail ?? []).flatMap((n) => ['--node-fail', n]);
    const opArgs = (scenario.ops ?? []).flatMap((o) => ['--op-inject', o]);
    if (failArgs.length === 0 && opArgs.length === 0) return { ok: true, steady, placement: steady, messages };
    const after = await simulateOnce(['crm_simulate', '--xml-file', settled, '--quorum', '1', ...failArgs, ...opArgs, '--simulate', '--output-as=xml'], messages);
    return after ? { ok: true, steady, placement: after, messages } : { ok: false, steady, placement: {}, messages };
  } finally {
    await removeDir(dir);
  }
}

/** Read a file the tools wrote (a CIB after pcs or crmsh ran on it). */
export function readText(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

/** One transition of a stepped simulation (see `simulateSteps`). */
export interface SimulationStep {
  /** Nodes that come online (`--node-up`). */
  up?: string[];
  /** Nodes that fail (`--node-fail`). */
  fail?: string[];
  /** `--op-inject` specs, e.g. `nginx_monitor_10000@node1=7`. */
  ops?: string[];
  /** `--op-fail` specs: actions of this transition that fail, e.g. `nginx_start_0@node1=1`. */
  opFails?: string[];
  /** Node attributes set before the transition (permanent ones, as `crm_attribute --lifetime forever` writes them). */
  attributes?: Array<{ node: string; name: string; value: string }>;
  /**
   * Nodes whose resource history is erased before the transition. A node that
   * crashed and rejoins runs nothing, and the DC replaces its old history when
   * it joins; crm_simulate's `--node-up` keeps the history `--node-fail` left,
   * so without this the returning node looks as if it still ran its resources.
   */
  forget?: string[];
}

/** What a stepped simulation gave: the placement after each step that ran. */
export interface SteppedSimulation {
  ok: boolean;
  placements: Placement[];
  messages: string[];
  /** Tool runs made (crm_simulate and crm_attribute), for timings. */
  runs: number;
}

/**
 * Runs transitions one after the other, each from the state the previous one
 * saved, as a cluster lives through a sequence of events (a node fails, then
 * returns: stickiness only shows on the second step). The input file is not
 * changed; `saveAs` keeps the final state, so that scenarios sharing a
 * prefix (the settled cluster) simulate it once. Every run passes
 * `--quorum 1`: the question is placement, not quorum.
 */
export async function simulateSteps(cibFile: string, steps: readonly SimulationStep[], options: { saveAs?: string } = {}): Promise<SteppedSimulation> {
  const messages: string[] = [];
  const placements: Placement[] = [];
  let runs = 0;
  const dir = await tempDir('ka2pcmk-steps-');
  try {
    let state = join(dir, 'state-0.xml');
    await writeFile(state, await readFile(cibFile, 'utf8'));
    for (const [k, step] of steps.entries()) {
      for (const a of step.attributes ?? []) {
        runs++;
        // `--update=VALUE`, one word: a negative value given as its own word (`-20`, `-INFINITY`) is read as options.
        const r = await run(['crm_attribute', '--node', a.node, '--name', a.name, `--update=${a.value}`, '--lifetime', 'forever'], { env: { CIB_file: state } });
        if (!r.ok) messages.push(`crm_attribute ${a.node} ${a.name}=${a.value} failed (exit ${r.code}): ${r.stderr.trim()}`);
      }
      for (const node of step.forget ?? []) {
        runs++;
        const r = await run(['cibadmin', '--delete', '--xpath', `//node_state[@uname='${node.replace(/'/g, '')}']/lrm`], { env: { CIB_file: state } });
        if (!r.ok) messages.push(`cibadmin --delete (history of ${node}) failed (exit ${r.code}): ${r.stderr.trim()}`);
      }
      const next = join(dir, `state-${k + 1}.xml`);
      const argv = [
        'crm_simulate', '--xml-file', state, '--quorum', '1',
        ...(step.up ?? []).flatMap((n) => ['--node-up', n]),
        ...(step.fail ?? []).flatMap((n) => ['--node-fail', n]),
        ...(step.ops ?? []).flatMap((o) => ['--op-inject', o]),
        ...(step.opFails ?? []).flatMap((o) => ['--op-fail', o]),
        '--simulate', '--save-output', next, '--output-as=xml',
      ];
      runs++;
      const placement = await simulateOnce(argv, messages);
      if (!placement) return { ok: false, placements, messages, runs };
      placements.push(placement);
      state = next;
    }
    if (options.saveAs) await writeFile(options.saveAs, await readFile(state, 'utf8'));
    return { ok: messages.length === 0, placements, messages, runs };
  } finally {
    await removeDir(dir);
  }
}

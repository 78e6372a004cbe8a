/**
 * Helpers for the migrate lab tests: the ka2pcmk CLI run inside the lab's
 * client namespace (as an operator's bastion would run it: it reaches the
 * nodes at 192.0.2.11-13 over ssh and probes the VIP itself), and a Runner
 * over the lab's own nsenter exec for the test's assertions (never for the
 * migration itself).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult, HostRunner, Runner } from '../../src/exec/runner.js';
import type { Lab } from '../../src/lab/lab.js';
import { run, type RunResult } from '../../src/lab/proc.js';

/** The repository (jest runs from its root). */
const ROOT = process.cwd();
/** The bundled CLI (built by {@link buildCli}). */
export const CLI = join(ROOT, 'dist', 'ka2pcmk.cjs');

/** Builds dist/ka2pcmk.cjs from the working tree. */
export async function buildCli(): Promise<void> {
  const r = await run([process.execPath, join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, env: process.env });
  if (r.code !== 0) throw new Error(`bundle failed: ${r.stderr}`);
}

/** The ssh options that make the CLI trust the lab's host keys and use its client key. */
export function sshArgs(lab: Lab): string[] {
  const s = lab.ssh('node1');
  return ['--identity', s.privateKeyPath, '--known-hosts', s.knownHostsPath];
}

/** `--host nodeN=root@192.0.2.1N` for every node. */
export function hostArgs(lab: Lab): string[] {
  return lab.nodeNames().flatMap((n) => ['--host', `${n}=root@${lab.node(n).addr}`]);
}

/** Runs `node dist/ka2pcmk.cjs ARGS` in the client namespace; output is kept for the test's log. */
export function cli(lab: Lab, args: readonly string[], timeoutMs = 300_000): Promise<RunResult> {
  return lab.execClient([process.execPath, CLI, ...args], { timeoutMs, env: { ...process.env, NO_COLOR: '1', HOME: '/root' }, cwd: ROOT });
}

/** A Runner over `nsenter` into the lab's nodes: for assertions in test code only. */
export function labRunner(lab: Lab): Runner {
  const host = (node: string): HostRunner => ({
    node,
    async run(argv, opts): Promise<CommandResult> {
      const t = Date.now();
      const r = await lab.exec(node, argv, { timeoutMs: opts?.timeoutMs ?? 60_000, ...(opts?.stdin !== undefined ? { input: String(opts.stdin) } : {}) });
      return { code: r.code, stdout: r.stdout, stderr: r.stderr, durationMs: Date.now() - t };
    },
    async readFile(path) {
      const r = await lab.exec(node, ['base64', '-w0', '--', path]);
      return r.code === 0 ? Buffer.from(r.stdout, 'base64') : undefined;
    },
    async writeFile(path, data, mode) {
      const b64 = Buffer.from(data).toString('base64');
      const r = await lab.exec(node, ['sh', '-c', 'base64 -d > "$1.tmp" && chmod "$2" "$1.tmp" && mv "$1.tmp" "$1"', 'sh', path, mode.toString(8)], { input: b64 });
      if (r.code !== 0) throw new Error(`${node}: cannot write ${path}: ${r.stderr}`);
    },
    async close() {},
  });
  return { host, async closeAll() {} };
}

/** Who holds `addr` now, by `ip -o addr` in each node. */
export async function holders(lab: Lab, addr = '192.0.2.100'): Promise<string[]> {
  const out: string[] = [];
  for (const n of lab.nodeNames()) {
    const r = await lab.exec(n, ['ip', '-o', 'addr', 'show']);
    if (r.stdout.includes(` ${addr}/`)) out.push(n);
  }
  return out;
}

/** Poll until `f` returns a value (not undefined/false). */
export async function until<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A copy of a plan with one artifact edited and its checksum in plan.json updated (fault injection). */
export function editedPlanFiles(dir: string, artifact: string, edit: (text: string) => string): Record<string, string> {
  const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
  const text = edit(readFileSync(join(dir, artifact), 'utf8'));
  plan.artifacts[artifact] = createHash('sha256').update(text).digest('hex');
  const planText = JSON.stringify(plan, null, 2) + '\n';
  // An operator who edits a plan approves it again: plan.json is pinned by plan.json.sha256.
  return { [artifact]: text, 'plan.json': planText, 'plan.json.sha256': `${createHash('sha256').update(planText).digest('hex')}  plan.json\n` };
}

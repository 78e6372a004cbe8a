/**
 * Performs one action on one host through the Runner, and answers a step's
 * "is the effect already there?" check. Every remote command is an argv
 * array; nothing here builds a shell line. A failed action throws
 * StepFailed with the evidence that shows why.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HostRunner, Runner } from '../exec/runner.js';
import { sha256 } from '../plan/artifacts.js';
import { addedIds, children, clashes, mergeCib, planCib, removeFromCib } from './cib.js';
import { clip, type Evidence } from './journal.js';
import { parseAddresses } from './survey.js';
import type { Action, Check, WaitCondition } from './types.js';

/** What actions need besides the host. */
export interface ActionContext {
  runner: Runner;
  /** The plan directory (backups are copied under DIR/backup/<node>/). */
  dir: string;
  artifacts: Record<string, string>;
  /** The bytes of a named secret; generated once per run, never logged. */
  secret(name: 'authkey'): Buffer;
  /** A shim agent's text, by `ocf:provider:type`. */
  agent(shim: string): string;
  sleep(ms: number): Promise<void>;
  /** Poll interval of waits (ms). */
  pollMs?: number;
}

export class StepFailed extends Error {
  constructor(
    message: string,
    readonly evidence: Evidence,
  ) {
    super(message);
  }
}

const ev = (r: { code: number | null; stdout: string; stderr: string; durationMs?: number }, note?: string): Evidence => ({
  code: r.code,
  ...(clip(r.stdout) ? { stdout: clip(r.stdout) } : {}),
  ...(clip(r.stderr) ? { stderr: clip(r.stderr) } : {}),
  ...(note ? { note } : {}),
  ...(r.durationMs !== undefined ? { ms: Math.round(r.durationMs) } : {}),
});

async function must(h: HostRunner, argv: string[], what: string, okCodes = [0]): Promise<string> {
  const r = await h.run(argv, { timeoutMs: 120_000 });
  if (!okCodes.includes(r.code ?? -1)) throw new StepFailed(`${h.node}: ${what} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`, ev(r));
  return r.stdout;
}

/** Answers a step's check: is the action's effect present on the host? */
export async function effectPresent(runner: Runner, node: string, c: Check): Promise<boolean> {
  const r = await runner.host(node).run(c.argv, { timeoutMs: 30_000 });
  const yes = r.code === 0 && (!c.stdoutMatches || new RegExp(c.stdoutMatches, 'm').test(r.stdout));
  return c.negate ? !yes : yes;
}

/** crm_mon's XML: nodes online, resources with role and nodes, failures. */
export interface MonState {
  online: string[];
  resources: Map<string, { role: string; failed: boolean; nodes: string[] }>;
  failures: { opKey: string; node: string; status: string }[];
}

/** Parses `crm_mon --output-as=xml` (enough of it for the waits). */
export function parseCrmMon(xml: string): MonState {
  const online = [...xml.matchAll(/<node name="([^"]+)"[^>]*\sonline="true"/g)].map((m) => m[1]);
  const resources = new Map<string, { role: string; failed: boolean; nodes: string[] }>();
  for (const m of xml.matchAll(/<resource id="([^"]+)"([^>]*?)(\/>|>([\s\S]*?)<\/resource>)/g)) {
    const attrs = m[2];
    resources.set(m[1], {
      role: /\srole="([^"]*)"/.exec(attrs)?.[1] ?? '',
      failed: /\sfailed="true"/.test(attrs),
      nodes: [...(m[4] ?? '').matchAll(/<node name="([^"]+)"/g)].map((x) => x[1]),
    });
  }
  const failures = [...xml.matchAll(/<failure ([^>]*)\/?>/g)].map((m) => ({
    opKey: /op_key="([^"]*)"/.exec(m[1])?.[1] ?? '',
    node: /node="([^"]*)"/.exec(m[1])?.[1] ?? '',
    status: /status="([^"]*)"/.exec(m[1])?.[1] ?? /exitreason="([^"]*)"/.exec(m[1])?.[1] ?? '',
  }));
  return { online, resources, failures };
}

async function wait(ctx: ActionContext, h: HostRunner, until: WaitCondition, timeoutMs: number): Promise<Evidence> {
  const t0 = Date.now();
  let last = '';
  for (;;) {
    const r = await h.run(['crm_mon', '-1', '--output-as=xml'], { timeoutMs: 30_000 });
    last = r.stdout || r.stderr;
    if (r.code === 0) {
      const s = parseCrmMon(r.stdout);
      if (until.kind === 'online') {
        if (until.nodes.every((n) => s.online.includes(n))) return { note: `${until.nodes.join(', ')} online after ${Date.now() - t0} ms`, ms: Date.now() - t0 };
      } else {
        const failed = s.failures.filter((f) => until.resources.some((x) => f.opKey.startsWith(`${x.id}_`)));
        if (failed.length) throw new StepFailed(`Pacemaker reports failed actions: ${failed.map((f) => `${f.opKey} on ${f.node}${f.status ? ` (${f.status})` : ''}`).join(', ')}`, { stdout: clip(r.stdout, 4000) });
        const ok = until.resources.every((x) => {
          const res = s.resources.get(x.id);
          return res && res.role === 'Started' && !res.failed && (x.node ? res.nodes.length === 1 && res.nodes[0] === x.node : res.nodes.length === 1);
        });
        if (ok) return { note: `${until.resources.map((x) => `${x.id} started on ${s.resources.get(x.id)!.nodes[0]}`).join(', ')} after ${Date.now() - t0} ms`, ms: Date.now() - t0 };
      }
    }
    if (Date.now() - t0 > timeoutMs) throw new StepFailed(`timed out after ${timeoutMs / 1000} s waiting for ${until.kind === 'online' ? 'the nodes to be online' : 'Pacemaker to adopt the VIPs'}`, { stdout: clip(last, 4000) });
    await ctx.sleep(ctx.pollMs ?? 250);
  }
}

/** Pids of a process and all its descendants, read from /proc on the host. */
async function descendants(h: HostRunner, pid: number): Promise<number[]> {
  const out = [pid];
  for (let k = 0; k < out.length && out.length < 64; k++) {
    const r = await h.run(['cat', `/proc/${out[k]}/task/${out[k]}/children`]);
    if (r.code === 0) for (const p of r.stdout.trim().split(/\s+/).filter(Boolean)) out.push(Number(p));
  }
  return out;
}

async function killUnit(h: HostRunner, unit: string, signal: string): Promise<Evidence> {
  const show = await must(h, ['systemctl', 'show', '--property=MainPID', unit], `systemctl show ${unit}`);
  const pid = Number(/^MainPID=(\d+)/m.exec(show)?.[1] ?? 0);
  if (!pid) return { note: `${unit} has no main process: nothing to kill` };
  const pids = await descendants(h, pid);
  // Pids are read, then signalled: check each still is what we read (its comm), so a reused pid is never hit.
  const mine: number[] = [];
  for (const p of pids) {
    const comm = await h.run(['cat', `/proc/${p}/comm`]);
    if (comm.code === 0 && comm.stdout.trim() === unit) mine.push(p);
  }
  if (!mine.length) return { note: `${unit}'s processes are gone already` };
  // SIGSTOP first, all at once: keepalived's children ask for SIGTERM when their parent dies
  // (PR_SET_PDEATHSIG), and a VRRP child that sees it before its own SIGKILL lands releases the VIP
  // (seen once in the lab). A stopped process cannot act on anything; SIGKILL then ends them all.
  const stop = await h.run(['kill', '-s', 'STOP', ...mine.map(String)]);
  const r = await h.run(['kill', '-s', signal, ...mine.map(String)]);
  if (r.code !== 0) throw new StepFailed(`kill -s ${signal} ${mine.join(' ')} failed`, ev(r));
  return { note: `sent SIGSTOP${stop.code === 0 ? '' : ' (failed)'} then SIG${signal} to ${unit}: pids ${mine.join(' ')} (parent ${pid})`, code: 0 };
}

function localBackupPath(dir: string, node: string, path: string): string {
  return join(dir, 'backup', node, path.replace(/^\/+/, ''));
}

function writeLocal(file: string, data: Buffer | string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, data, { mode: 0o600 });
  chmodSync(file, 0o600);
}

async function backup(ctx: ActionContext, h: HostRunner, a: Extract<Action, { kind: 'backup' }>): Promise<Evidence> {
  await must(h, ['mkdir', '-p', '-m', '0700', a.remoteDir], `mkdir ${a.remoteDir}`);
  const manifest: { files: { path: string; sha256: string | null; mode: string | null }[]; enabled: string } = { files: [], enabled: '' };
  for (const path of a.files) {
    const data = await h.readFile(path);
    if (!data) {
      manifest.files.push({ path, sha256: null, mode: null });
      continue;
    }
    const mode = (await h.run(['stat', '-c', '%a', path])).stdout.trim() || null;
    const sum = sha256(data);
    writeLocal(localBackupPath(ctx.dir, h.node, path), data);
    const remote = `${a.remoteDir}${path.startsWith('/') ? '' : '/'}${path}`;
    await must(h, ['mkdir', '-p', '-m', '0700', dirname(remote)], `mkdir ${dirname(remote)}`);
    await h.writeFile(remote, data, 0o600);
    const check = await h.run(['sha256sum', '--', remote]);
    if (!check.stdout.startsWith(sum)) throw new StepFailed(`${h.node}: the backup copy of ${path} does not match (sha256)`, ev(check));
    manifest.files.push({ path, sha256: sum, mode });
  }
  const en = await h.run(['systemctl', 'is-enabled', a.unit]);
  manifest.enabled = en.stdout.trim() || 'unknown';
  const text = JSON.stringify(manifest, null, 2) + '\n';
  writeLocal(join(ctx.dir, 'backup', h.node, 'MANIFEST.json'), text);
  await h.writeFile(`${a.remoteDir}/MANIFEST.json`, text, 0o600);
  return { note: manifest.files.map((f) => `${f.path} ${f.sha256 ? f.sha256.slice(0, 12) + '…' : '(absent)'}`).join(', ') + `; ${a.unit} ${manifest.enabled}` };
}

async function restore(ctx: ActionContext, h: HostRunner, a: Extract<Action, { kind: 'restore' }>): Promise<Evidence> {
  const notes: string[] = [];
  let manifest: { files: { path: string; mode: string | null }[] } = { files: [] };
  const m = await h.readFile(`${a.remoteDir}/MANIFEST.json`);
  if (m) manifest = JSON.parse(m.toString('utf8'));
  for (const f of a.files) {
    if (f.sha256 === null) continue;
    const cur = await h.run(['sha256sum', '--', f.path]);
    if (cur.code === 0 && cur.stdout.startsWith(f.sha256)) {
      notes.push(`${f.path} unchanged`);
      continue;
    }
    const remote = `${a.remoteDir}${f.path.startsWith('/') ? '' : '/'}${f.path}`;
    let data = await h.readFile(remote);
    if (!data || sha256(data) !== f.sha256) {
      const { existsSync, readFileSync } = await import('node:fs');
      const local = localBackupPath(ctx.dir, h.node, f.path);
      data = existsSync(local) ? readFileSync(local) : undefined;
    }
    if (!data || sha256(data) !== f.sha256) throw new StepFailed(`${h.node}: no intact backup of ${f.path} (sha256 ${f.sha256.slice(0, 12)}…) on the host or in DIR/backup`, {});
    const mode = parseInt(manifest.files.find((x) => x.path === f.path)?.mode ?? '644', 8);
    await h.writeFile(f.path, data, mode);
    const after = await h.run(['sha256sum', '--', f.path]);
    if (!after.stdout.startsWith(f.sha256)) throw new StepFailed(`${h.node}: ${f.path} restored but its sha256 does not match`, ev(after));
    notes.push(`${f.path} restored`);
  }
  return { note: notes.join(', ') || 'nothing to restore' };
}

/** Writes live and new CIBs on the host, diffs them, and applies the patch: one change. */
async function patchCib(h: HostRunner, workDir: string, live: string, next: string, tag: string, verify = true): Promise<string> {
  await must(h, ['mkdir', '-p', '-m', '0700', workDir], `mkdir ${workDir}`);
  const [a, b, p] = [`${workDir}/${tag}-live.xml`, `${workDir}/${tag}-new.xml`, `${workDir}/${tag}-patch.xml`];
  await h.writeFile(a, live, 0o600);
  await h.writeFile(b, next, 0o600);
  // The removal is not verified: orphans in the status section make crm_verify warn, and a warning must not block an undo.
  if (verify) await must(h, ['crm_verify', '--xml-file', b], 'crm_verify of the merged CIB');
  const diff = await h.run(['crm_diff', '--no-version', '--original', a, '--new', b]);
  if (diff.code === 0) return 'no difference';
  if (diff.code !== 1) throw new StepFailed(`crm_diff failed (exit ${diff.code})`, ev(diff));
  await h.writeFile(p, diff.stdout, 0o600);
  await must(h, ['cibadmin', '--patch', '--xml-file', p], 'cibadmin --patch');
  return `patch of ${diff.stdout.length} bytes applied`;
}

async function cibPush(ctx: ActionContext, h: HostRunner, a: Extract<Action, { kind: 'cib-push' }>): Promise<Evidence> {
  const plan = planCib(ctx.artifacts[a.artifact]);
  const live = await must(h, ['cibadmin', '--query'], 'cibadmin --query');
  const clash = clashes(live, plan);
  if (clash.length === plan.resources.length + plan.constraints.length && clash.length) return { note: 'the plan is in the CIB already' };
  if (clash.length) throw new StepFailed(`the live CIB already has ${clash.join(', ')}: ka2pcmk will not overwrite resources it did not create`, {});
  const note = await patchCib(h, a.workDir, live, mergeCib(live, plan, a.prefer), 'push');
  return { note: `${note}: ${plan.resources.map((e) => e.id).join(', ')}; ${plan.constraints.length + a.prefer.length} constraints` };
}

async function cibRemove(ctx: ActionContext, h: HostRunner, a: Extract<Action, { kind: 'cib-remove' }>): Promise<Evidence> {
  const active = await h.run(['systemctl', 'is-active', 'pacemaker']);
  if (active.stdout.trim() !== 'active') {
    // A cluster ka2pcmk created is stopped and its CIB deleted by the steps before; one that existed needs its resources removed.
    if (!a.endMaintenance) return { note: 'pacemaker is not running: its CIB goes with the cluster' };
    throw new StepFailed(`${h.node}: pacemaker is not running, so ka2pcmk cannot remove its resources from the CIB`, ev(active));
  }
  const plan = planCib(ctx.artifacts[a.artifact]);
  const ids = new Set([...addedIds(plan), ...a.extraIds]);
  // Maintenance first: deleting a running resource must not make Pacemaker stop it (that would drop the VIP keepalived holds again).
  await must(h, ['crm_attribute', '--type', 'crm_config', '--name', 'maintenance-mode', '--update', 'true'], 'maintenance-mode on');
  const live = await must(h, ['cibadmin', '--query'], 'cibadmin --query');
  const next = removeFromCib(live, ids);
  const left = [...children(next, 'resources'), ...children(next, 'constraints')].filter((e) => ids.has(e.id));
  if (left.length) throw new StepFailed(`cannot remove ${left.map((e) => e.id).join(', ')}`, {});
  const note = next === live ? 'nothing of the plan in the CIB' : await patchCib(h, a.workDir, live, next, 'remove', false);
  await must(h, ['crm_resource', '--cleanup'], 'crm_resource --cleanup');
  if (a.endMaintenance) await must(h, ['crm_attribute', '--type', 'crm_config', '--name', 'maintenance-mode', '--delete'], 'maintenance-mode off');
  return { note: `${note}; removed ${[...ids].join(', ')}` };
}

async function clock(h: HostRunner, maxSkewMs: number): Promise<Evidence> {
  const before = Date.now();
  const r = await h.run(['date', '+%s%N']);
  const after = Date.now();
  const remote = Number(r.stdout.trim()) / 1e6;
  if (r.code !== 0 || !Number.isFinite(remote)) throw new StepFailed(`${h.node}: cannot read its clock`, ev(r));
  const skew = Math.round(remote - (before + after) / 2);
  const e = { note: `clock ${skew >= 0 ? '+' : ''}${skew} ms from ours (round trip ${after - before} ms)` };
  if (Math.abs(skew) > maxSkewMs + (after - before) / 2) throw new StepFailed(`${h.node}: its clock is ${skew} ms off ours (at most ${maxSkewMs}): synchronise the clocks (chrony/ntp) first`, e);
  return e;
}

async function vipHome(ctx: ActionContext, a: Extract<Action, { kind: 'vip-home' }>): Promise<Evidence> {
  const t0 = Date.now();
  let where: Record<string, string[]> = {};
  for (;;) {
    where = Object.fromEntries(a.vips.map((v) => [v.address, [] as string[]]));
    for (const n of a.nodes) {
      const r = await ctx.runner.host(n).run(['ip', '-o', 'addr', 'show']);
      for (const x of parseAddresses(r.stdout)) if (x.address in where) where[x.address].push(n);
    }
    if (a.vips.every((v) => where[v.address].length === 1 && where[v.address][0] === v.node)) return { note: a.vips.map((v) => `${v.address} on ${v.node}`).join(', ') + ` after ${Date.now() - t0} ms`, ms: Date.now() - t0 };
    if (Date.now() - t0 > a.timeoutMs) throw new StepFailed(`the VIPs are not back on their original holders: ${a.vips.map((v) => `${v.address} on ${where[v.address].join(' and ') || 'no node'} (expected ${v.node})`).join(', ')}`, {});
    await ctx.sleep(ctx.pollMs ?? 250);
  }
}

/** Performs an action on `node`; throws StepFailed on failure. */
export async function perform(ctx: ActionContext, node: string, a: Action): Promise<Evidence> {
  const h = ctx.runner.host(node);
  switch (a.kind) {
    case 'run': {
      const r = await h.run(a.argv, { timeoutMs: a.timeoutMs ?? 120_000 });
      const e = ev(r);
      if (!(a.okCodes ?? [0]).includes(r.code ?? -1)) throw new StepFailed(`${node}: \`${a.argv.join(' ')}\` exited ${r.code}${a.expect ? `: ${a.expect.meaning}` : ''}${r.stderr.trim() ? ` (${r.stderr.trim().split('\n').slice(-2).join(' | ')})` : ''}`, e);
      const x = a.expect;
      if (x) {
        let ok = true;
        if (x.stdoutMatches && !new RegExp(x.stdoutMatches, 'm').test(r.stdout)) ok = false;
        if (x.stdoutEmpty && r.stdout.trim()) ok = false;
        if (x.minAvailKb !== undefined) {
          const avail = Number(r.stdout.trim().split('\n').at(-1)?.split(/\s+/)[3]);
          if (!(avail >= x.minAvailKb)) ok = false;
        }
        if (!ok) throw new StepFailed(`${node}: ${x.meaning} (\`${a.argv.join(' ')}\` said: ${r.stdout.trim().split('\n').slice(0, 4).join(' | ')})`, e);
      }
      return e;
    }
    case 'write': {
      const c = a.content;
      const data = 'artifact' in c ? Buffer.from(ctx.artifacts[c.artifact] ?? '') : 'secret' in c ? ctx.secret(c.secret) : Buffer.from(ctx.agent(c.agent));
      await h.writeFile(a.path, data, a.mode);
      const r = await h.run(['sha256sum', '--', a.path]);
      if (!r.stdout.startsWith(sha256(data))) throw new StepFailed(`${node}: ${a.path} does not read back as written`, { code: r.code });
      // The sha256 of a secret is not the secret, but there is no reason to publish it either.
      return { note: `${a.path} written (${data.length} bytes${'secret' in c ? '' : `, sha256 ${sha256(data).slice(0, 12)}…`})` };
    }
    case 'wait':
      return wait(ctx, h, a.until, a.timeoutMs);
    case 'kill-unit':
      return killUnit(h, a.unit, a.signal);
    case 'backup':
      return backup(ctx, h, a);
    case 'restore':
      return restore(ctx, h, a);
    case 'cib-push':
      return cibPush(ctx, h, a);
    case 'cib-remove':
      return cibRemove(ctx, h, a);
    case 'clock':
      return clock(h, a.maxSkewMs);
    case 'vip-home':
      return vipHome(ctx, a);
    case 'seq': {
      const notes: string[] = [];
      for (const x of a.actions) {
        const e = await perform(ctx, node, x);
        notes.push(e.note ?? `${x.kind === 'run' ? x.argv.join(' ') : x.kind}: ok`);
      }
      return { note: notes.join('; ') };
    }
  }
}

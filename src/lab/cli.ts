#!/usr/bin/env node
/**
 * Command line for the lab (npm run lab:up / lab:down / lab:shell):
 *
 *   up [--nodes N] [--cluster ready|installed|none] [--keepalived FILE...] [--shared-disk]
 *   down
 *   status [--json]
 *   shell NODE [--print]
 *
 * Every command takes --dir (default /run/ka2pcmk-lab, or $KA2PCMK_LAB_DIR).
 * Exit codes: 0 ok, 1 the lab failed, 2 usage.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { Lab, type ClusterMode } from './lab.js';
import { clearStaleLock, TEST_LOCK } from './lock.js';
import { isAlive } from './proc.js';
import { DEFAULT_LAB_DIR, DEFAULT_PREFIX } from './state.js';
import { down } from './teardown.js';

const defaultDir = process.env.KA2PCMK_LAB_DIR ?? DEFAULT_LAB_DIR;

function intArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function clusterArg(v: string): ClusterMode {
  if (v !== 'ready' && v !== 'installed' && v !== 'none') throw new InvalidArgumentError('expected ready, installed or none');
  return v;
}

/** Shell-quote one word for a line printed to a human (never executed by us). */
function quote(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

function attachOrFail(dir: string): Lab {
  const lab = Lab.attach(dir);
  if (!lab) throw new Error(`no lab in ${dir}; run \`npm run lab:up\``);
  return lab;
}

async function cmdUp(o: { nodes: number; cluster: ClusterMode; keepalived?: string[]; keepalivedArgs?: string; sharedDisk?: boolean; dir: string; prefix: string; replace?: boolean; token?: number; consensus?: number }): Promise<void> {
  const keepalived: Record<string, string> = {};
  (o.keepalived ?? []).forEach((file, i) => (keepalived[`node${i + 1}`] = readFileSync(file, 'utf8')));
  const args = o.keepalivedArgs ? o.keepalivedArgs.split(/\s+/).filter(Boolean) : undefined;
  const lab = await Lab.up({
    nodes: o.nodes,
    cluster: o.cluster,
    keepalived,
    keepalivedArgs: args ? Object.fromEntries(Object.keys(keepalived).map((n) => [n, args])) : undefined,
    sharedDisk: o.sharedDisk,
    dir: o.dir,
    prefix: o.prefix,
    replaceExisting: o.replace,
    totem: { token: o.token, consensus: o.consensus },
  });
  const t = lab.timings;
  console.log(`lab up in ${lab.dir}: booted in ${t.bootedMs} ms${t.onlineMs !== undefined ? `, ${lab.nodeNames().length} nodes online in ${t.onlineMs} ms` : ''}`);
  for (const n of lab.nodeNames()) {
    const s = lab.ssh(n);
    console.log(`  ${n} ${s.host}${s.forward ? `  ssh forward 127.0.0.1:${s.forward.port}` : ''}`);
    console.log(`    ${lab.enterArgv(n).map(quote).join(' ')} bash`);
  }
  const s = lab.ssh(lab.nodeNames()[0]);
  console.log(`  ssh key ${s.privateKeyPath}, known_hosts ${s.knownHostsPath}`);
  if (lab.sharedDisk) console.log(`  shared disk ${lab.sharedDisk}`);
  console.log(`  client: ip netns exec ${lab.state.client.ns} CMD`);
}

async function cmdDown(o: { dir: string }): Promise<void> {
  const r = await down(o.dir);
  // An interrupted test run also leaves its lock file; remove it once its holder is gone.
  if (clearStaleLock()) console.log(`removed stale ${TEST_LOCK}`);
  if (!r.hadLab) console.log(`no lab in ${o.dir}`);
  else if (r.problems.length) throw new Error(`down left things behind:\n  ${r.problems.join('\n  ')}`);
  else console.log(`lab in ${o.dir} down in ${r.ms} ms`);
}

async function cmdStatus(o: { dir: string; json?: boolean }): Promise<void> {
  const lab = Lab.attach(o.dir);
  if (!lab) {
    console.log(o.json ? JSON.stringify({ up: false }) : `no lab in ${o.dir}`);
    return;
  }
  const nodes = [];
  for (const n of lab.state.nodes) {
    const running = !!n.init && isAlive(n.init);
    const units: Record<string, string> = {};
    if (running) {
      for (const u of ['ssh', 'lab-http', 'keepalived', 'corosync', 'pacemaker']) {
        units[u] = (await lab.exec(n.name, ['systemctl', 'is-active', u])).stdout.trim();
      }
    }
    const addrs = running ? (await lab.exec(n.name, ['ip', '-br', '-4', 'addr', 'show', 'dev', 'eth0'])).stdout.trim() : '';
    nodes.push({ name: n.name, addr: n.addr, running, initPid: n.init?.pid, units, addrs });
  }
  const cluster = await lab.clusterStatus().catch(() => undefined);
  if (o.json) {
    console.log(JSON.stringify({ up: true, dir: lab.dir, nodes, cluster: cluster && { dc: cluster.dc, online: cluster.online, resources: Object.fromEntries(cluster.resources) } }, null, 2));
    return;
  }
  console.log(`lab in ${lab.dir} (namespaces ${lab.state.namespaces.join(' ')})`);
  for (const n of nodes) {
    const u = Object.entries(n.units).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`  ${n.name} ${n.running ? `running (init ${n.initPid})` : 'DOWN'}  ${u}\n    ${n.addrs}`);
  }
  if (cluster) console.log(`  cluster: DC ${cluster.dc ?? '-'}, online ${cluster.online.join(' ') || '-'}`);
}

async function cmdShell(node: string, o: { dir: string; print?: boolean }, rest: string[]): Promise<void> {
  const lab = attachOrFail(o.dir);
  const cmd = rest[0] === '--' ? rest.slice(1) : rest;
  const argv = [...lab.enterArgv(node), ...(cmd.length ? cmd : ['bash', '-l'])];
  if (o.print) {
    console.log(argv.map(quote).join(' '));
    return;
  }
  const child = spawn(argv[0], argv.slice(1), { stdio: 'inherit' });
  await new Promise<void>((resolve) => child.on('close', (code) => ((process.exitCode = code ?? 1), resolve())));
}

/** Build the program (a fresh Command per call, so tests can drive it). */
export function buildProgram(): Command {
  const p = new Command('ka2pcmk-lab').description('the ka2pcmk HA lab in Linux namespaces').showHelpAfterError().enablePositionalOptions();
  const dirOpt = (c: Command) => c.option('--dir <dir>', 'lab folder', defaultDir);
  dirOpt(p.command('up').description('bring the lab up'))
    .option('--nodes <n>', 'number of nodes (1-3)', intArg, 2)
    .option('--cluster <mode>', 'ready | installed | none', clusterArg, 'none')
    .option('--keepalived <file...>', 'keepalived.conf for node1, node2, ... in order')
    .option('--keepalived-args <flags>', 'extra keepalived flags, e.g. "-V"')
    .option('--shared-disk', 'attach an ext4 loop device visible to every node')
    .option('--token <ms>', 'corosync totem token', intArg)
    .option('--consensus <ms>', 'corosync totem consensus', intArg)
    .option('--prefix <p>', 'namespace name prefix', DEFAULT_PREFIX)
    .option('--replace', 'tear down a lab already in --dir first')
    .action(cmdUp);
  dirOpt(p.command('down').description('tear the lab down (works after a crash)')).action(cmdDown);
  dirOpt(p.command('status').description('show nodes, units and cluster')).option('--json', 'machine-readable').action(cmdStatus);
  dirOpt(p.command('shell').description('a shell (or CMD) inside NODE').argument('<node>').argument('[cmd...]'))
    .option('--print', 'print the nsenter command instead of running it')
    .passThroughOptions()
    .action((node: string, rest: string[], o: { dir: string; print?: boolean }) => cmdShell(node, o, rest));
  return p;
}

async function main(): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message: string };
    if (err.code?.startsWith('commander.')) {
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
      return;
    }
    console.error(`lab: ${err.message}`);
    process.exitCode = 1;
  }
}

// Run only as a program, not when imported (tests build their own program).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

// Issue 5's figure: the VIP's downtime in one run on the lab, side by side:
//   1. ka2pcmk's cutover (`ka2pcmk migrate`: backups stopped, the IPaddr2
//      adopted on the holder in one CIB change, keepalived SIGKILLed there);
//   2. the naive runbook: stop keepalived everywhere, then create the IPaddr2;
//   3. keepalived's own failover when its master's keepalived stops (SIGTERM).
// Each is measured by the lab's HTTP prober in the client namespace (every
// 10 ms, a probe lost after 0.9 s); ka2pcmk's own TCP probe is shown too.
// Needs root and the lab's packages (docs/LAB.md). Run: node bench/cutover.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
// The lab library is TypeScript: compile it (type errors elsewhere in the tree do not stop the emit).
spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
if (spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) throw new Error('bundle failed');
if (!existsSync(join(ROOT, 'build/src/lab/lab.js'))) throw new Error('build/src/lab/lab.js missing: run `npx tsc -p tsconfig.json`');
const { Lab } = await import(join(ROOT, 'build/src/lab/lab.js'));
const { acquireLock } = await import(join(ROOT, 'build/src/lab/lock.js'));

const VIP = '192.0.2.100';
const conf = (node, priority) => `global_defs {
    router_id ${node}
}
vrrp_instance VI_1 {
    state ${priority > 100 ? 'MASTER' : 'BACKUP'}
    interface eth0
    virtual_router_id 51
    priority ${priority}
    advert_int 1
    virtual_ipaddress {
        ${VIP}/24 dev eth0
    }
}
`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, f, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function holders(lab) {
  const out = [];
  for (const n of lab.nodeNames()) if ((await lab.exec(n, ['ip', '-o', 'addr', 'show'])).stdout.includes(` ${VIP}/`)) out.push(n);
  return out;
}

/** Runs fn under the lab's prober; returns the longest gap (ms) and the report. */
async function measured(lab, name, fn, settleMs = 1500) {
  const prober = lab.startProber({ name });
  await sleep(300);
  const t0 = Date.now();
  const extra = await fn();
  await sleep(settleMs);
  const rep = await prober.stop(t0);
  return { ms: Math.round(rep.longestGap?.downtimeMs ?? 0), lost: rep.lost, probes: rep.probes, extra };
}

const release = await acquireLock();
const work = mkdtempSync(join(tmpdir(), 'ka2pcmk-bench-cutover-'));
let lab;
const rows = [];
try {
  lab = await Lab.up({ nodes: 2, keepalived: { node1: conf('node1', 150), node2: conf('node2', 100) }, cluster: 'ready', totem: { token: 1000, consensus: 1200 }, dir: '/run/ka2pcmk-bench-cutover', prefix: 'ka2bc', replaceExisting: true });
  await waitFor('node1 holding the VIP', async () => (await holders(lab)).join() === 'node1');
  const s = lab.ssh('node1');
  const ssh = ['--identity', s.privateKeyPath, '--known-hosts', s.knownHostsPath];
  const cli = (args) => lab.execClient([process.execPath, join(ROOT, 'dist/ka2pcmk.cjs'), ...args], { timeoutMs: 300_000, env: { ...process.env, NO_COLOR: '1' }, cwd: ROOT });

  // 1. ka2pcmk's cutover.
  const plan = join(work, 'plan');
  const a = await cli(['analyze', '--host', 'node1=root@192.0.2.11', '--host', 'node2=root@192.0.2.12', ...ssh, '--no-stonith', '-o', plan]);
  if (a.code !== 0) throw new Error(`analyze failed: ${a.stderr}`);
  const m = await measured(lab, 'bench-ka2pcmk', async () => {
    const r = await cli(['migrate', plan, ...ssh]);
    if (r.code !== 0) throw new Error(`migrate failed (${r.code}):\n${r.stdout}${r.stderr}`);
    return /cutover downtime (\d+) ms/.exec(r.stdout)?.[1];
  });
  rows.push(["ka2pcmk migrate (adopt, then SIGKILL keepalived)", m, `ka2pcmk's own TCP probe: ${m.extra} ms`]);
  const rb = await cli(['rollback', plan, ...ssh]);
  if (rb.code !== 0) throw new Error(`rollback failed:\n${rb.stdout}${rb.stderr}`);
  await waitFor('keepalived back on both nodes, VIP on node1', async () => (await holders(lab)).join() === 'node1' && (await lab.systemctl('node2', 'is-active', 'keepalived')).stdout.trim() === 'active');
  await sleep(4000); // node2 settles as backup

  // 2. The naive runbook: stop keepalived everywhere, then create the resource.
  const naive = await measured(lab, 'bench-naive', async () => {
    await lab.systemctl('node2', 'stop', 'keepalived');
    await lab.systemctl('node1', 'stop', 'keepalived');
    const t = Date.now();
    const r = await lab.exec('node1', ['pcs', 'resource', 'create', 'bench-vip', 'ocf:heartbeat:IPaddr2', `ip=${VIP}`, 'cidr_netmask=24', 'nic=eth0']);
    if (r.code !== 0) throw new Error(`pcs resource create failed: ${r.stderr}`);
    await waitFor('the VIP answering again', async () => (await holders(lab)).length === 1, 30_000);
    return Date.now() - t;
  });
  rows.push(['naive runbook (stop keepalived, then pcs resource create)', naive, `pcs call + start: ${naive.extra} ms`]);
  await lab.exec('node1', ['pcs', 'resource', 'delete', 'bench-vip']);
  await waitFor('the VIP gone', async () => (await holders(lab)).length === 0, 30_000);
  await lab.systemctl('node1', 'start', 'keepalived');
  await lab.systemctl('node2', 'start', 'keepalived');
  await waitFor('node1 holding the VIP again', async () => (await holders(lab)).join() === 'node1', 30_000);
  await sleep(4000);

  // 3. keepalived's own failover: the master's keepalived stopped (SIGTERM).
  const ka = await measured(lab, 'bench-keepalived', async () => {
    await lab.systemctl('node1', 'stop', 'keepalived');
    await waitFor('node2 holding the VIP', async () => (await holders(lab)).join() === 'node2', 30_000);
  });
  rows.push(["keepalived failover (master's keepalived stopped)", ka, 'node2 took over']);
} finally {
  await lab?.down();
  rmSync(work, { recursive: true, force: true });
  release();
}

console.log('\nVIP downtime during the cutover, one run on the lab (HTTP probe every 10 ms from the client namespace):\n');
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`${'sequence'.padEnd(w)}  ${'downtime'.padStart(9)}  ${'lost/probes'.padStart(12)}  note`);
for (const [name, r, note] of rows) console.log(`${name.padEnd(w)}  ${`${Math.round(r.ms)} ms`.padStart(9)}  ${`${r.lost}/${r.probes}`.padStart(12)}  ${note}`);

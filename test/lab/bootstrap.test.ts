/**
 * A lab with corosync + pacemaker installed but not configured, bootstrapped
 * over ssh the way `migrate` will do it (write corosync.conf + authkey, then
 * the systemctl stand-in enables and starts the daemons); plus the fault
 * helpers (link cut, sshd stopped, resource failure). Ends with (c).
 */
import { corosyncConf } from '../../src/lab/cluster.js';
import { Lab } from '../../src/lab/lab.js';
import { acquireLock } from '../../src/lab/lock.js';
import type { RunResult } from '../../src/lab/proc.js';
import { diffSnapshots, snapshot, survivors, type MachineSnapshot } from './machine.js';

const DIR = '/run/ka2pcmk-lab-test-bootstrap';
let lab: Lab | undefined;
let before: MachineSnapshot;
let release: (() => void) | undefined;

beforeAll(async () => {
  release = await acquireLock();
  before = await snapshot();
  lab = await Lab.up({ nodes: 2, cluster: 'installed', dir: DIR, prefix: 'ka2tc', replaceExisting: true });
}, 120_000);

afterAll(async () => {
  try {
    await lab?.down();
  } finally {
    release?.();
  }
}, 120_000);

/** Run a remote command with the ssh client from the client namespace, verifying the host key. */
function ssh(node: string, command: string, input?: string): Promise<RunResult> {
  const s = lab!.ssh(node);
  return lab!.execClient(
    ['ssh', '-i', s.privateKeyPath, '-o', `UserKnownHostsFile=${s.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=2', `${s.user}@${s.host}`, command],
    { input, timeoutMs: 60_000 },
  );
}

test('installed, not configured: nothing runs, nothing enabled', async () => {
  for (const n of lab!.nodeNames()) {
    expect(await ssh(n, 'systemctl is-enabled corosync')).toMatchObject({ code: 1, stdout: 'disabled\n' });
    // Like the real unit's ConditionPathExists: no corosync.conf, no start, no error.
    expect((await ssh(n, 'systemctl start corosync; systemctl is-active corosync pacemaker')).stdout).toBe('inactive\ninactive\n');
    expect((await ssh(n, 'test -e /etc/corosync/corosync.conf; echo $?')).stdout).toBe('1\n');
  }
}, 60_000);

test('bootstrap over ssh: corosync.conf + authkey, enable --now → two nodes online', async () => {
  const l = lab!;
  const conf = corosyncConf(l.state.nodes, { token: 1000, consensus: 1200 });
  const key = (await l.exec('node1', ['sh', '-c', 'head -c 256 /dev/urandom | base64 -w0'])).stdout;
  const t0 = Date.now();
  for (const n of l.nodeNames()) {
    expect((await ssh(n, 'cat > /etc/corosync/corosync.conf', conf)).code).toBe(0);
    expect((await ssh(n, 'base64 -d > /etc/corosync/authkey && chmod 400 /etc/corosync/authkey', key)).code).toBe(0);
  }
  for (const n of l.nodeNames()) {
    const r = await ssh(n, 'systemctl enable --now corosync pacemaker && systemctl is-enabled corosync pacemaker');
    expect(r).toMatchObject({ code: 0, stdout: 'enabled\nenabled\n' });
  }
  await l.waitOnline(['node1', 'node2'], 120_000);
  console.log(`LAB figure: bootstrap over ssh (unseeded CIB, default dc-deadtime) to "2 nodes online" in ${Date.now() - t0} ms`);
}, 180_000);

test('faults: resource failure, link cut and restore, sshd stopped and started', async () => {
  const l = lab!;
  // A Dummy resource, then a failure injected on its node.
  await l.exec('node1', ['crm_attribute', '--type', 'crm_config', '--name', 'stonith-enabled', '--update', 'false']);
  const dummy = '<primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy"><operations><op id="dummy-mon" name="monitor" interval="2s"/></operations></primitive>';
  expect((await l.exec('node1', ['cibadmin', '--create', '-o', 'resources', '--xml-text', dummy])).code).toBe(0);
  const on = await pollFor(async () => (await l.clusterStatus('node1'))?.resources.get('dummy')?.[0]);
  expect((await l.failResource('dummy', on)).code).toBe(0);
  await pollFor(async () => {
    const r = await l.exec(on, ['crm_failcount', '--query', '--resource', 'dummy', '--node', on]);
    return /value=(?!0\b)\d+|INFINITY/.test(r.stdout) || undefined;
  });

  // Link cut: node2 unreachable, carrier still up; restored: reachable again.
  await l.cutLink('node2');
  expect((await ssh('node2', 'true')).code).not.toBe(0);
  expect((await l.exec('node2', ['cat', '/sys/class/net/eth0/carrier'])).stdout.trim()).toBe('1');
  await l.restoreLink('node2');
  expect((await ssh('node2', 'hostname')).stdout).toBe('node2\n');

  // sshd stopped: connection refused; started again: back.
  await l.setSshd('node1', false);
  expect((await ssh('node1', 'true')).code).toBe(255);
  await l.setSshd('node1', true);
  expect((await ssh('node1', 'hostname')).stdout).toBe('node1\n');

  // Nothing left as a zombie inside a node: its init reaps orphans.
  const ps = await l.exec('node1', ['ps', '-eo', 'stat=']);
  expect(ps.stdout.split('\n').filter((s) => s.startsWith('Z'))).toEqual([]);
}, 180_000);

test('(c) teardown leaves the machine as it found it', async () => {
  const l = lab!;
  const r = await l.down();
  expect(r.problems).toEqual([]);
  expect(survivors(l.state)).toEqual([]);
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
}, 120_000);

async function pollFor<T>(f: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

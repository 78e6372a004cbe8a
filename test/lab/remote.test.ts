/**
 * The remote layer against the real lab: a 2-node keepalived pair reached
 * through real sshd with host keys verified against the lab's known_hosts.
 * `analyze --host` reads configuration, includes and scripts from each node
 * and records the running state (the VIP holder is the keepalived master); a
 * changed host key stops the run with OpenSSH's message; accept-new appends;
 * ProxyJump through one node reaches the other; hostile argv values arrive
 * as data; atomic writes and reads; `check` fails keepalived's items here.
 * Ends by checking that the lab left nothing behind.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { SshRunner } from '../../src/exec/ssh.js';
import { Lab } from '../../src/lab/lab.js';
import { acquireLock } from '../../src/lab/lock.js';
import { pollUntil } from '../../src/lab/proc.js';
import type { PlanDocument } from '../../src/plan/artifacts.js';
import { diffSnapshots, snapshot, survivors, vrrpConf, type MachineSnapshot } from './machine.js';

const DIR = '/run/ka2pcmk-lab-test-remote';
let lab: Lab | undefined;
let before: MachineSnapshot;
let release: (() => void) | undefined;
let tmp: string;

const NOTIFY = ['notify_master "/etc/keepalived/notify.sh master"'];
const INCLUDE = 'include /etc/keepalived/conf.d/*.conf\n';
const EXTRA = 'vrrp_script chk_web {\n    script "/etc/keepalived/check.sh"\n    interval 2\n}\n';

/** The loopback destination of a node (the in-process client runs on the host). */
const dest = (node: string) => `root@127.0.0.1:${lab!.ssh(node).forward!.port}`;
const sshArgs = (knownHosts = lab!.ssh('node1').knownHostsPath) => ['--identity', lab!.ssh('node1').privateKeyPath, '--known-hosts', knownHosts, '--ssh-config', '/dev/null', '--connect-timeout', '10'];

beforeAll(async () => {
  release = await acquireLock();
  before = await snapshot();
  lab = await Lab.up({
    nodes: 2,
    keepalived: { node1: INCLUDE + vrrpConf('node1', 150, NOTIFY), node2: INCLUDE + vrrpConf('node2', 100, NOTIFY) },
    dir: DIR,
    prefix: 'ka2tr',
    replaceExisting: true,
  });
  for (const n of ['node1', 'node2']) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(lab.hostPath(n, '/etc/keepalived/conf.d'), { recursive: true });
    writeFileSync(lab.hostPath(n, '/etc/keepalived/conf.d/extra.conf'), EXTRA);
    writeFileSync(lab.hostPath(n, '/etc/keepalived/check.sh'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    writeFileSync(lab.hostPath(n, '/etc/keepalived/notify.sh'), `#!/bin/sh\n# ${n}\nexit 0\n`, { mode: 0o755 });
  }
  await pollUntil('the VIP on node1', async () => ((await lab!.exec('node1', ['ip', '-br', 'addr', 'show', 'eth0'])).stdout.includes('192.0.2.100') ? true : undefined), 20_000, 100);
  tmp = mkdtempSync(join(tmpdir(), 'ka2pcmk-remote-test-'));
}, 120_000);

afterAll(async () => {
  try {
    rmSync(tmp, { recursive: true, force: true });
    await lab?.down();
  } finally {
    release?.();
  }
}, 120_000);

test('analyze --host reads both nodes over ssh: config, includes, scripts, running state; VIP holder = the keepalived master', async () => {
  const out = join(tmp, 'plan');
  const io = captureIo({ cwd: tmp });
  const code = await run(['analyze', '--host', dest('node1'), '--host', dest('node2'), ...sshArgs(), '--no-stonith', '-o', out], io);
  expect(io.stderr).not.toMatch(/HOST IDENTIFICATION|verification failed/);
  expect(code).toBe(0);
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as PlanDocument;
  expect(plan.cluster.nodes.map((n) => n.name)).toEqual(['node1', 'node2']);
  expect(plan.hosts!.node1).toEqual({ target: dest('node1'), hostName: '127.0.0.1', user: 'root', port: lab!.ssh('node1').forward!.port, proxyJump: [] });
  const pre = plan.preconditions!;
  expect(pre.vips.VI_1).toEqual({ addresses: { '192.0.2.100': ['node1'] }, holders: ['node1'] });
  expect(pre.keepalived.node1).toMatchObject({ active: true, enabled: true });
  expect(pre.keepalived.node1.pids.length).toBeGreaterThan(0);
  expect(pre.cib).toBe('no cluster');
  expect(pre.packages.node1.keepalived).toMatch(/\d/);
  expect(Object.keys(pre.files.node1)).toEqual(['/etc/keepalived/check.sh', '/etc/keepalived/conf.d/extra.conf', '/etc/keepalived/keepalived.conf', '/etc/keepalived/notify.sh']);
  // Checksums are of the bytes on the host; the copy under inputs/ is private and identical.
  const copy = join(out, 'inputs', 'node2', 'etc', 'keepalived', 'notify.sh');
  expect(readFileSync(copy, 'utf8')).toBe('#!/bin/sh\n# node2\nexit 0\n');
  expect(statSync(copy).mode & 0o777).toBe(0o600);
  const { createHash } = await import('node:crypto');
  expect(pre.files.node2['/etc/keepalived/notify.sh']).toBe(createHash('sha256').update('#!/bin/sh\n# node2\nexit 0\n').digest('hex'));
  expect(io.stdout).toMatch(/node1: keepalived running \(pid \d+/);
}, 120_000);

test('a changed host key stops the run, naming the known_hosts line', async () => {
  const real = readFileSync(lab!.ssh('node1').knownHostsPath, 'utf8').split('\n').filter(Boolean);
  const key = (node: string) => real.find((l) => l.startsWith(`${node},`))!.split(' ').slice(1).join(' ');
  // node2's loopback entry carries node1's key: what a man in the middle would present.
  const port2 = lab!.ssh('node2').forward!.port;
  const forged = real.map((l) => (l.startsWith(`[127.0.0.1]:${port2} `) ? `[127.0.0.1]:${port2} ${key('node1')}` : l));
  const line = forged.findIndex((l) => l.startsWith(`[127.0.0.1]:${port2} `)) + 1;
  const kh = join(tmp, 'forged_known_hosts');
  writeFileSync(kh, forged.join('\n') + '\n');
  const io = captureIo({ cwd: tmp });
  const code = await run(['analyze', '--host', dest('node1'), '--host', dest('node2'), ...sshArgs(kh), '--no-stonith', '-o', join(tmp, 'never')], io);
  expect(code).toBe(1);
  expect(io.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED!');
  expect(io.stderr).toContain(`The ssh-ed25519 host key for [127.0.0.1]:${port2} does not match the one in ${kh}:${line} (offending line).`);
  expect(() => statSync(join(tmp, 'never'))).toThrow();
  // accept-new never replaces a changed key either.
  const again = captureIo({ cwd: tmp });
  expect(await run(['analyze', '--host', dest('node2'), ...sshArgs(kh), '--accept-new-host-keys', '--no-stonith'], again)).toBe(1);
  expect(again.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED!');
  expect(readFileSync(kh, 'utf8')).toBe(forged.join('\n') + '\n');
}, 120_000);

test('unknown host: refused when strict; --accept-new-host-keys appends the key and connects', async () => {
  const kh = join(tmp, 'empty_known_hosts');
  writeFileSync(kh, '');
  const strict = captureIo({ cwd: tmp });
  expect(await run(['analyze', '--host', dest('node1'), ...sshArgs(kh), '--no-stonith'], strict)).toBe(1);
  expect(strict.stderr).toMatch(/host key verification failed: no ssh-ed25519 host key is known for \[127\.0\.0\.1\]:\d+/);
  const io = captureIo({ cwd: tmp });
  expect(await run(['analyze', '--host', dest('node1'), '--host', dest('node2'), ...sshArgs(kh), '--accept-new-host-keys', '--no-stonith'], io)).toBe(0);
  const added = readFileSync(kh, 'utf8').split('\n').filter(Boolean);
  const real = readFileSync(lab!.ssh('node1').knownHostsPath, 'utf8').split('\n');
  for (const node of ['node1', 'node2']) {
    const want = real.find((l) => l.startsWith(`[127.0.0.1]:${lab!.ssh(node).forward!.port} `));
    expect(added).toContain(want);
  }
  expect(added).toHaveLength(2);
  expect(io.stderr).toMatch(/permanently added '\[127\.0\.0\.1\]:\d+' \(ssh-ed25519, SHA256:/);
}, 120_000);

test('ProxyJump through node1 reaches node2 at its lab address, host keys checked for both', async () => {
  const cfg = join(tmp, 'ssh_config');
  writeFileSync(cfg, `Host lab-node2\n    HostName 192.0.2.12\n    User root\n    ProxyJump ${dest('node1')}\n`);
  const s = lab!.ssh('node1');
  const runner = new SshRunner({ targets: { node2: 'lab-node2' }, sshConfigPath: cfg, knownHostsPath: s.knownHostsPath, identityFiles: [s.privateKeyPath], agent: false });
  try {
    const r = await runner.host('node2').run(['hostname', '-s']);
    expect(r).toMatchObject({ code: 0, stdout: 'node2\n' });
  } finally {
    await runner.closeAll();
  }
}, 60_000);

test('hostile values travel as data; timeouts kill; atomic write and read; one connection reused', async () => {
  const s = lab!.ssh('node1');
  const runner = new SshRunner({ targets: { node1: dest('node1') }, sshConfigPath: null, knownHostsPath: s.knownHostsPath, identityFiles: [s.privateKeyPath], agent: false });
  try {
    const h = runner.host('node1');
    const hostile = ['192.0.2.1; touch /tmp/pwned', '$(touch /tmp/pwned)', '`touch /tmp/pwned`', 'a\nb', `it's "quoted"`, '', '*', '~root', '-n'];
    const r = await h.run(['printf', '[%s]\n', ...hostile]);
    expect(r.stdout).toBe(hostile.map((x) => `[${x}]\n`).join(''));
    expect((await lab!.exec('node1', ['test', '-e', '/tmp/pwned'])).code).toBe(1);

    const slow = await h.run(['sleep', '30'], { timeoutMs: 500 });
    expect(slow).toMatchObject({ code: null, timedOut: true });
    expect(slow.durationMs).toBeLessThan(5_000);
    // The channel is dropped at once. The lab's sshd does not act on the KILL signal request, so
    // (as with OpenSSH's own client) a command that neither reads nor writes may outlive it.
    await lab!.exec('node1', ['pkill', '-x', 'sleep']);

    const data = Buffer.from([0, 1, 2, 255, 10, 0x27, 0x22]);
    await h.writeFile('/etc/keepalived/odd name; $(x).bin', data, 0o600);
    expect(await h.readFile('/etc/keepalived/odd name; $(x).bin')).toEqual(data);
    expect(statSync(lab!.hostPath('node1', '/etc/keepalived/odd name; $(x).bin')).mode & 0o777).toBe(0o600);
    expect(await h.readFile('/etc/keepalived/absent')).toBeUndefined();
    const left = await h.run(['find', '/etc/keepalived', '-name', '*.ka2pcmk-*']);
    expect(left.stdout).toBe('');

    // Concurrent commands share one ssh connection: sshd logs one accepted login.
    const many = await Promise.all(Array.from({ length: 12 }, (_, k) => h.run(['echo', String(k)])));
    expect(many.map((x) => x.stdout.trim())).toEqual(Array.from({ length: 12 }, (_, k) => String(k)));
  } finally {
    await runner.closeAll();
  }
}, 60_000);

test('check on a keepalived pair: keepalived items fail, the exit code is 1', async () => {
  const io = captureIo({ cwd: tmp });
  const code = await run(['check', '--host', dest('node1'), '--host', dest('node2'), ...sshArgs(), '--json', '--no-standby'], io);
  expect(code).toBe(1);
  const r = JSON.parse(io.stdout) as { ok: boolean; items: { id: string; status: string; detail: string }[] };
  const status = (id: string) => r.items.find((i) => i.id === id)?.status;
  expect(r.ok).toBe(false);
  expect(status('keepalived-stopped:node1')).toBe('fail');
  expect(status('keepalived-stopped:node2')).toBe('fail');
  expect(status('keepalived-disabled:node1')).toBe('fail');
  expect(status('cluster-online')).toBe('fail');
}, 120_000);

test('teardown leaves the machine as it found it', async () => {
  const l = lab!;
  const r = await l.down();
  expect(r.problems).toEqual([]);
  expect(survivors(l.state)).toEqual([]);
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
}, 120_000);

/**
 * (a) A keepalived pair in the lab: the VIP is on the master; when the
 * master's keepalived is stopped (SIGTERM) the backup answers. Also proves
 * the ssh details (key auth with host key verification) and that the lab
 * leaves the machine as it found it.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import { describeGap } from '../../src/lab/analysis.js';
import { Lab } from '../../src/lab/lab.js';
import { acquireLock } from '../../src/lab/lock.js';
import { diffSnapshots, snapshot, survivors, vrrpConf, type MachineSnapshot } from './machine.js';

const DIR = '/run/ka2pcmk-lab-test-keepalived';
let lab: Lab | undefined;
let before: MachineSnapshot;
let release: (() => void) | undefined;

beforeAll(async () => {
  release = await acquireLock();
  before = await snapshot();
  lab = await Lab.up({
    nodes: 2,
    keepalived: { node1: vrrpConf('node1', 150), node2: vrrpConf('node2', 100) },
    dir: DIR,
    prefix: 'ka2ta',
    replaceExisting: true,
  });
  console.log(`LAB figure: 2-node keepalived lab up (booted) in ${lab.timings.bootedMs} ms`);
}, 120_000);

afterAll(async () => {
  try {
    await lab?.down();
  } finally {
    release?.();
  }
}, 120_000);

test('ssh: key authentication with host key verification, in the client namespace and through the loopback forward', async () => {
  const s = lab!.ssh('node2');
  const r = await lab!.execClient([
    'ssh', '-i', s.privateKeyPath, '-o', `UserKnownHostsFile=${s.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', `${s.user}@${s.host}`, 'hostname; systemctl is-active keepalived',
  ]);
  expect(r).toMatchObject({ code: 0, stdout: 'node2\nactive\n' });

  // ssh2 in this (host) process via the forward; the host key must match known_hosts.
  const known = readFileSync(s.knownHostsPath, 'utf8');
  const line = known.split('\n').find((l) => l.startsWith(`[127.0.0.1]:${s.forward!.port} `))!;
  const expectedKey = Buffer.from(line.split(' ')[2], 'base64');
  const out = await new Promise<string>((resolve, reject) => {
    const c = new Client();
    c.on('ready', () => {
      c.exec('hostname', (err, stream) => {
        if (err) return reject(err);
        let data = '';
        stream.on('data', (d: Buffer) => (data += d.toString()));
        stream.on('close', () => (c.end(), resolve(data)));
      });
    });
    c.on('error', reject);
    c.connect({
      host: s.forward!.host,
      port: s.forward!.port,
      username: s.user,
      privateKey: readFileSync(s.privateKeyPath),
      hostVerifier: (key: Buffer) => key.equals(expectedKey),
      readyTimeout: 10_000,
    });
  });
  expect(out.trim()).toBe('node2');
}, 60_000);

test('VIP on the master; master keepalived stopped (SIGTERM) → the backup answers', async () => {
  const l = lab!;
  const watcher = await l.startWatcher();
  const prober = l.startProber();
  try {
    // The master takes the VIP after keepalived's start-up (about 3 adverts).
    await prober.waitForAnswer(['node1'], 0, 20_000);
    const steady = Date.now();
    await prober.waitForAnswer(['node1'], steady + 300, 5_000); // still answering
    expect(watcher.holders()).toEqual(['node1']);

    const stopAt = Date.now();
    await l.signalKeepalived('node1', 'TERM', 'main');
    await prober.waitForAnswer(['node2'], stopAt, 20_000);
    const after = Date.now();
    await prober.waitForAnswer(['node2'], after + 300, 5_000);

    // Measure from the steady state: the start-up (before the first election) is not a failover.
    const report = await prober.stop(steady);
    await watcher.stop();
    console.log(describeGap('LAB figure: keepalived master stopped (SIGTERM) → backup answers', report.longestGap));
    expect(report.switches.map((x) => `${x.from}->${x.to}`)).toEqual(['node1->node2']);
    expect(report.longestGap!.downtimeMs).toBeLessThan(5_000);
    expect(watcher.overlaps()).toEqual([]);
    expect(watcher.holders()).toEqual(['node2']);
    expect((await l.systemctl('node1', 'is-active', 'keepalived')).stdout.trim()).toBe('inactive');
  } finally {
    await prober.stop();
    await watcher.stop();
  }
}, 120_000);

test('(c) teardown leaves the machine as it found it', async () => {
  const l = lab!;
  const r = await l.down();
  expect(r.problems).toEqual([]);
  console.log(`LAB figure: lab down in ${r.ms} ms`);
  expect(survivors(l.state)).toEqual([]);
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
}, 120_000);

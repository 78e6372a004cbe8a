/**
 * `ka2pcmk check` against a ready 2-node Pacemaker cluster holding an IPaddr2
 * VIP, over real ssh: the VIP on exactly one node and where Pacemaker says,
 * it moves on standby and when its node's cluster stack stops (then comes
 * back), quorum, no failed actions, keepalived stopped and disabled, the
 * cluster enabled at boot. Fencing is off in the lab, so it fails unless the
 * operator accepts it (--no-stonith). Ends with nothing left behind.
 */
import { captureIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import type { ChecklistResult } from '../../src/check/types.js';
import { Lab } from '../../src/lab/lab.js';
import { acquireLock } from '../../src/lab/lock.js';
import { pollUntil } from '../../src/lab/proc.js';
import { diffSnapshots, snapshot, survivors, type MachineSnapshot } from './machine.js';

const DIR = '/run/ka2pcmk-lab-test-check';
const VIP_XML =
  '<primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">' +
  '<instance_attributes id="vip-ia"><nvpair id="vip-ip" name="ip" value="192.0.2.100"/><nvpair id="vip-mask" name="cidr_netmask" value="24"/><nvpair id="vip-nic" name="nic" value="eth0"/></instance_attributes>' +
  '<operations><op id="vip-monitor" name="monitor" interval="2s" timeout="20s"/></operations>' +
  '</primitive>';

let lab: Lab | undefined;
let before: MachineSnapshot;
let release: (() => void) | undefined;

const dest = (node: string) => `root@127.0.0.1:${lab!.ssh(node).forward!.port}`;
const sshArgs = () => ['--identity', lab!.ssh('node1').privateKeyPath, '--known-hosts', lab!.ssh('node1').knownHostsPath, '--ssh-config', '/dev/null'];

beforeAll(async () => {
  release = await acquireLock();
  before = await snapshot();
  lab = await Lab.up({ nodes: 2, cluster: 'ready', totem: { token: 1000, consensus: 1200 }, dir: DIR, prefix: 'ka2tc', replaceExisting: true });
  expect((await lab.exec('node1', ['cibadmin', '--create', '-o', 'resources', '--xml-text', VIP_XML])).code).toBe(0);
  await pollUntil('the VIP running on one node', async () => {
    const s = await lab!.clusterStatus('node1');
    return s?.resources.get('vip')?.length === 1 ? true : undefined;
  }, 60_000, 200);
}, 180_000);

afterAll(async () => {
  try {
    await lab?.down();
  } finally {
    release?.();
  }
}, 120_000);

test('check --host on a ready cluster: VIP, standby move, failover move, quorum, services pass; fencing off fails unless accepted', async () => {
  const io = captureIo();
  const code = await run(['check', '--host', dest('node1'), '--host', dest('node2'), ...sshArgs(), '--json', '--failover', '--move-timeout', '30'], io);
  const r = JSON.parse(io.stdout) as ChecklistResult;
  const byId = new Map(r.items.map((i) => [i.id, i]));
  const status = (id: string) => byId.get(id)?.status;
  for (const i of r.items) console.log(`CHECK ${i.status} ${i.id}: ${i.detail}`);
  for (const id of [
    'vip-one-holder:vip:192.0.2.100',
    'vip-pacemaker:vip:192.0.2.100',
    'cluster-online',
    'quorum',
    'no-failed-actions',
    'keepalived-stopped:node1',
    'keepalived-stopped:node2',
    'keepalived-disabled:node1',
    'keepalived-disabled:node2',
    'cluster-enabled:node1',
    'cluster-enabled:node2',
    'standby-moves-vip:vip:192.0.2.100',
    'failover-moves-vip:vip:192.0.2.100',
  ])
    expect([id, status(id)]).toEqual([id, 'pass']);
  expect(byId.get('standby-moves-vip:vip:192.0.2.100')!.measuredMs).toBeGreaterThan(0);
  expect(byId.get('failover-moves-vip:vip:192.0.2.100')!.measuredMs).toBeGreaterThan(0);
  // Evidence names the command and what it said.
  expect(byId.get('vip-pacemaker:vip:192.0.2.100')!.evidence[0]).toMatchObject({ argv: ['crm_resource', '--locate', '--resource', 'vip'], code: 0 });
  expect(byId.get('vip-pacemaker:vip:192.0.2.100')!.evidence[0].output).toMatch(/resource vip is running on: node[12]/);
  expect(status('stonith')).toBe('fail');
  expect(code).toBe(1);

  // The cluster is left as found: both nodes online, none in standby, the VIP on one node.
  const s = await lab!.waitOnline(['node1', 'node2'], 60_000);
  expect(s.resources.get('vip')).toHaveLength(1);
  const accepted = captureIo();
  expect(await run(['check', '--host', dest('node1'), '--host', dest('node2'), ...sshArgs(), '--no-stonith', '--no-standby'], accepted)).toBe(0);
  expect(accepted.stdout).toMatch(/PASS {2}fencing is enabled and configured: stonith-enabled=false, which the operator accepted/);
}, 300_000);

test('teardown leaves the machine as it found it', async () => {
  const l = lab!;
  const r = await l.down();
  expect(r.problems).toEqual([]);
  expect(survivors(l.state)).toEqual([]);
  expect(diffSnapshots(before, await snapshot())).toEqual([]);
}, 120_000);

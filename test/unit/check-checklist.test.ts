/**
 * The checklist driven through a scripted FakeRunner: the exact commands
 * (argv) each item runs, in order, and the verdicts and evidence they give.
 */
import { runChecklist, type ChecklistPlan } from '../../src/check/run.js';
import { checklistText } from '../../src/check/render.js';
import { FakeRunner, type Expectation } from '../../src/exec/fake.js';
import { plain } from '../../src/ui/style.js';
import { CRM_MON } from '../helpers/crm-mon.js';

const PLAN: ChecklistPlan = {
  cluster: { name: 'c', nodes: [{ name: 'node1', nodeId: 1, addresses: ['192.0.2.11'] }, { name: 'node2', nodeId: 2, addresses: ['192.0.2.12'] }] },
  instances: [{ instance: 'VI_1', group: 'g_VI_1', vips: [{ address: '192.0.2.100', prefix: 24, resource: 'vip' }], scores: {}, stickiness: 0 } as never],
  options: { stonithDisabled: true, fenceAgent: null, lvs: 'keepalived-checker', storage: null },
};
const ip = (...addrs: string[]) => JSON.stringify([{ ifname: 'eth0', addr_info: addrs.map((a) => ({ family: 'inet', local: a, prefixlen: 24 })) }]);
/** The same status with node2 out of standby and no failures. */
const HEALTHY = CRM_MON.replace('standby="true"', 'standby="false"').replace(/<failures>[\s\S]*<\/failures>/, '');

function services(node: string, keepalived: 'active' | 'inactive'): Expectation[] {
  return [
    { node, argv: ['systemctl', 'is-active', 'keepalived'], result: { stdout: `${keepalived}\n`, code: keepalived === 'active' ? 0 : 3 } },
    { node, argv: ['pidof', 'keepalived'], result: keepalived === 'active' ? { stdout: '811\n' } : { code: 1 } },
    { node, argv: ['systemctl', 'is-enabled', 'keepalived'], result: { stdout: 'disabled\n', code: 1 } },
    { node, argv: ['systemctl', 'is-enabled', 'corosync'], result: { stdout: 'enabled\n' } },
    { node, argv: ['systemctl', 'is-enabled', 'pacemaker'], result: { stdout: 'enabled\n' } },
  ];
}

test('a healthy cluster passes every item, with the commands as evidence', async () => {
  const runner = new FakeRunner([
    ...services('node1', 'inactive'),
    ...services('node2', 'inactive'),
    { node: 'node1', argv: ['crm_mon', '-1', '--output-as=xml'], result: { stdout: HEALTHY } },
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.11', '192.0.2.100') } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.12') } },
    { node: 'node1', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node1\n' } },
  ]);
  const r = await runChecklist(runner, PLAN, { standby: false });
  expect(runner.pending).toEqual([]);
  expect(r.items.filter((i) => i.status !== 'pass').map((i) => `${i.id} ${i.status}`)).toEqual(['standby-moves-vip:VI_1:192.0.2.100 skip', 'failover-moves-vip:VI_1:192.0.2.100 skip']);
  expect(r.ok).toBe(true);
  const stonith = r.items.find((i) => i.id === 'stonith')!;
  expect(stonith.detail).toBe('stonith-enabled=false, which the operator accepted (--no-stonith)');
  const vp = r.items.find((i) => i.id === 'vip-pacemaker:VI_1:192.0.2.100')!;
  expect(vp.evidence).toEqual([{ node: 'node1', argv: ['crm_resource', '--locate', '--resource', 'vip'], code: 0, output: 'resource vip is running on: node1', durationMs: 0 }]);
  expect(checklistText(r, plain)).toMatch(/^PASS {2}keepalived stopped on node1: not running$/m);
});

test('keepalived still running, the VIP on two nodes, a failure and a standby node: each item says so', async () => {
  const runner = new FakeRunner([
    ...services('node1', 'active'),
    ...services('node2', 'inactive'),
    { node: 'node1', argv: ['crm_mon', '-1', '--output-as=xml'], result: { stdout: CRM_MON } },
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.11', '192.0.2.100') } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.12', '192.0.2.100') } },
    { node: 'node1', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node1\n' } },
  ]);
  const r = await runChecklist(runner, { ...PLAN!, options: { ...PLAN!.options, stonithDisabled: false } }, { standby: false });
  const get = (id: string) => r.items.find((i) => i.id === id)!;
  expect(r.ok).toBe(false);
  expect(get('keepalived-stopped:node1')).toMatchObject({ status: 'fail', detail: 'keepalived is running (active, pid 811)' });
  expect(get('cluster-online')).toMatchObject({ status: 'fail', detail: 'in standby: node2' });
  expect(get('stonith')).toMatchObject({ status: 'fail', detail: 'stonith-enabled=false: a split brain can put the VIP on two nodes' });
  expect(get('no-failed-actions')).toMatchObject({ status: 'fail', detail: 'vip_monitor_2000 on node2: not running' });
  expect(get('vip-one-holder:VI_1:192.0.2.100')).toMatchObject({ status: 'fail', detail: 'held by 2 nodes at once: node1, node2' });
  expect(get('vip-pacemaker:VI_1:192.0.2.100')).toMatchObject({ status: 'fail', detail: 'Pacemaker says node1; the address is on node1, node2' });
  // Failures print their evidence, quoted as the host's shell received it.
  expect(checklistText(r, plain)).toContain("node1$ systemctl is-active keepalived  → exit 0");
});

test('standby: the holder goes to standby, the move is timed, and standby is switched off again', async () => {
  const runner = new FakeRunner([
    ...services('node1', 'inactive'),
    ...services('node2', 'inactive'),
    { node: 'node1', argv: ['crm_mon', '-1', '--output-as=xml'], result: { stdout: HEALTHY } },
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.100') } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip() } },
    { node: 'node1', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node1\n' } },
    { node: 'node1', argv: ['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'on'] },
    { node: 'node2', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node1\n' } },
    { node: 'node2', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node2\n' } },
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip() } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.100') } },
    { node: 'node1', argv: ['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'off'] },
    { node: 'node1', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node2\n' } },
  ]);
  const r = await runChecklist(runner, PLAN, { pollMs: 1 });
  expect(runner.pending).toEqual([]);
  const s = r.items.find((i) => i.id === 'standby-moves-vip:VI_1:192.0.2.100')!;
  expect(s.status).toBe('pass');
  expect(s.detail).toMatch(/^moved to node2 in \d+ ms$/);
  expect(s.measuredMs).toBeGreaterThanOrEqual(0);
});

test('standby: Pacemaker names the new node before the address is there (a start under way): the item waits for the address', async () => {
  const runner = new FakeRunner([
    ...services('node1', 'inactive'),
    ...services('node2', 'inactive'),
    { node: 'node1', argv: ['crm_mon', '-1', '--output-as=xml'], result: { stdout: HEALTHY } },
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.100') } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip() } },
    { node: 'node1', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node1\n' } },
    { node: 'node1', argv: ['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'on'] },
    // First look: located on node2, the address on no node yet (as the demo once saw).
    { node: 'node2', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node2\n' } },
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip() } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip() } },
    // Next look: the address is on node2.
    { node: 'node2', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node2\n' } },
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip() } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.100') } },
    { node: 'node1', argv: ['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'off'] },
    { node: 'node1', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node2\n' } },
  ]);
  const r = await runChecklist(runner, PLAN, { pollMs: 1 });
  expect(runner.pending).toEqual([]);
  const s = r.items.find((i) => i.id === 'standby-moves-vip:VI_1:192.0.2.100')!;
  expect(s.status).toBe('pass');
  expect(s.detail).toMatch(/^moved to node2 in \d+ ms$/);
});

test('standby: an address that never reaches the node Pacemaker names fails the item when the time is up', async () => {
  const located = { node: 'node2', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node2\n' } };
  const nowhere: Expectation[] = [
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip() } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip() } },
  ];
  const runner = new FakeRunner([
    ...services('node1', 'inactive'),
    ...services('node2', 'inactive'),
    { node: 'node1', argv: ['crm_mon', '-1', '--output-as=xml'], result: { stdout: HEALTHY } },
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.100') } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip() } },
    { node: 'node1', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node1\n' } },
    { node: 'node1', argv: ['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'on'] },
    // moveTimeoutMs 0: one look, then the deadline has passed.
    located,
    ...nowhere,
    { node: 'node1', argv: ['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'off'] },
    { node: 'node1', argv: ['crm_resource', '--locate', '--resource', 'vip'], result: { stdout: 'resource vip is running on: node2\n' } },
  ]);
  const r = await runChecklist(runner, PLAN, { pollMs: 1, moveTimeoutMs: 0 });
  const s = r.items.find((i) => i.id === 'standby-moves-vip:VI_1:192.0.2.100')!;
  expect(s.status).toBe('fail');
  expect(s.detail).toBe('Pacemaker moved it to node2, but the address is on no node');
});

test('without a plan, the VIPs come from the CIB; an unreachable node fails its items instead of stopping the run', async () => {
  const cib = '<resources><primitive id="ip1" class="ocf" provider="heartbeat" type="IPaddr2"><instance_attributes id="i"><nvpair id="a" name="ip" value="192.0.2.100"/></instance_attributes></primitive></resources>';
  const runner = new FakeRunner([
    { node: 'node1', argv: ['cibadmin', '-Q', '-o', 'resources'], result: { stdout: cib } },
    ...services('node1', 'inactive'),
    { node: 'node2', argv: ['systemctl', 'is-active', 'keepalived'], fail: 'lost' },
    { node: 'node2', argv: ['systemctl', 'is-enabled', 'keepalived'], fail: 'lost' },
    { node: 'node2', argv: ['systemctl', 'is-enabled', 'corosync'], fail: 'lost' },
    { node: 'node1', argv: ['crm_mon', '-1', '--output-as=xml'], result: { stdout: HEALTHY } },
    { node: 'node1', argv: ['ip', '-j', 'addr', 'show'], result: { stdout: ip('192.0.2.100') } },
    { node: 'node2', argv: ['ip', '-j', 'addr', 'show'], fail: 'lost' },
  ]);
  const r = await runChecklist(runner, undefined, { nodes: ['node1', 'node2'], standby: false });
  expect(runner.pending).toEqual([]);
  const get = (id: string) => r.items.find((i) => i.id === id)!;
  expect(get('keepalived-stopped:node2')).toMatchObject({ status: 'fail', detail: 'cannot check: node2: connection dropped (scripted)' });
  expect(get('vip-one-holder:ip1:192.0.2.100')).toMatchObject({ status: 'fail', detail: 'cannot reach node2' });
  expect(get('vip-pacemaker:ip1:192.0.2.100').status).toBe('skip');
});

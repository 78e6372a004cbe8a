/**
 * keepalived's election model (src/prove/keepalived.ts): weights, reverse,
 * FAULT, clamping, the address owner, ties by address, nopreempt, sync
 * groups; and the weights read from a configuration (views.ts).
 */
import { MemoryFileSystem } from '../../src/source/files.js';
import { readNodes } from '../../src/frontend.js';
import { compareAddresses, effectivePriority, elect, electAll, type InstanceView, type NodeInstance, type TrackedCheck, type World } from '../../src/prove/keepalived.js';
import { replayKeepalived, scenarios } from '../../src/prove/scenarios.js';
import { instanceViews } from '../../src/prove/views.js';

const check = (kind: TrackedCheck['kind'], name: string, weight: number, reverse = false): TrackedCheck => ({ kind, name, weight, reverse });
const node = (name: string, priority: number, extra: Partial<NodeInstance> = {}): NodeInstance => ({ node: name, priority, nopreempt: false, checks: [], ...extra });
const view = (...nodes: NodeInstance[]): InstanceView => ({ instance: 'VI', nodes });
const world = (down: string[] = [], failing: Record<string, string[]> = {}): World => ({
  down: new Set(down),
  failing: new Map(Object.entries(failing).map(([n, k]) => [n, new Set(k)])),
});

describe('effective priority', () => {
  const n = node('a', 100, { checks: [check('script', 'up', 20), check('script', 'down', -30)] });
  it('adds a positive weight while the check succeeds, a negative one while it fails', () => {
    expect(effectivePriority(n, new Set())).toEqual({ priority: 120, clamped: false });
    expect(effectivePriority(n, new Set(['script:up']))).toEqual({ priority: 100, clamped: false });
    expect(effectivePriority(n, new Set(['script:down']))).toEqual({ priority: 90, clamped: false });
  });
  it('reverse: a positive weight is subtracted while the check succeeds', () => {
    const r = node('a', 100, { checks: [check('script', 's', 20, true)] });
    expect(effectivePriority(r, new Set())).toEqual({ priority: 80, clamped: false });
    expect(effectivePriority(r, new Set(['script:s']))).toEqual({ priority: 100, clamped: false });
  });
  it('weight 0 is a FAULT while the check fails (while it succeeds, with reverse)', () => {
    expect(effectivePriority(node('a', 100, { checks: [check('interface', 'eth1', 0)] }), new Set(['interface:eth1']))).toHaveProperty('fault');
    expect(effectivePriority(node('a', 100, { checks: [check('interface', 'eth1', 0, true)] }), new Set())).toHaveProperty('fault');
  });
  it('clamps to 1..254, and an address owner keeps 255 whatever the weights', () => {
    expect(effectivePriority(node('a', 250, { checks: [check('script', 's', 20)] }), new Set())).toEqual({ priority: 254, clamped: true });
    expect(effectivePriority(node('a', 10, { checks: [check('script', 's', -50)] }), new Set(['script:s']))).toEqual({ priority: 1, clamped: true });
    expect(effectivePriority(node('a', 255, { checks: [check('script', 's', -50)] }), new Set(['script:s']))).toEqual({ priority: 255, clamped: false });
  });
  it('a tracked file adds value x weight; "failing" reads 1; -254 or less is a FAULT', () => {
    expect(effectivePriority(node('a', 100, { checks: [check('file', 'f', 10)] }), new Set(['file:f']))).toEqual({ priority: 110, clamped: false });
    expect(effectivePriority(node('a', 100, { checks: [check('file', 'f', -254)] }), new Set(['file:f']))).toHaveProperty('fault');
  });
});

describe('election', () => {
  it('the highest effective priority wins a fresh election', () => {
    const e = elect(view(node('a', 100), node('b', 150), node('c', 120)), world());
    expect(e.holder).toBe('b');
    expect(e.reason).toMatch(/highest effective priority 150/);
  });
  it('a tie goes to the higher primary address, and says so', () => {
    const e = elect(view(node('a', 100, { address: '192.0.2.20' }), node('b', 100, { address: '192.0.2.3' })), world());
    expect(e.holder).toBe('a');
    expect(e.tieBy).toBe('address');
    expect(e.reason).toMatch(/tie: decided by address|decided by address/);
  });
  it('a tie without known addresses is left undecided, with the tied nodes', () => {
    const e = elect(view(node('a', 100), node('b', 100)), world());
    expect(e.holder).toBeUndefined();
    expect(e.tied).toEqual(['a', 'b']);
  });
  it('compares IPv6 addresses numerically', () => {
    expect(compareAddresses('2001:db8::10', '2001:db8::9')).toBeGreaterThan(0);
    expect(compareAddresses('192.0.2.1', '2001:db8::1')).toBeUndefined();
  });
  it('a master keeps the VIP against an equal priority', () => {
    expect(elect(view(node('a', 100, { address: '192.0.2.1' }), node('b', 100, { address: '192.0.2.2' })), world(), 'a').holder).toBe('a');
  });
  it('a higher priority preempts, unless it has nopreempt (state BACKUP)', () => {
    const v = (np: boolean, state: 'MASTER' | 'BACKUP' = 'BACKUP') => view(node('a', 150, { nopreempt: np, state }), node('b', 100, { nopreempt: np, state }));
    expect(elect(v(false), world(), 'b').holder).toBe('a');
    const kept = elect(v(true), world(), 'b');
    expect(kept.holder).toBe('b');
    expect(kept.reason).toMatch(/nopreempt/);
    // keepalived clears nopreempt with state MASTER.
    expect(elect(v(true, 'MASTER'), world(), 'b').holder).toBe('a');
  });
  it('the address owner (255) always takes the VIP back', () => {
    expect(elect(view(node('a', 255, { nopreempt: true }), node('b', 100, { nopreempt: true })), world(), 'b').holder).toBe('a');
  });
  it('a FAULT node cannot be master; with every node in FAULT nobody is', () => {
    const v = view(node('a', 150, { checks: [check('interface', 'eth1', 0)] }), node('b', 100, { checks: [check('interface', 'eth1', 0)] }));
    expect(elect(v, world([], { a: ['interface:eth1'] }), 'a').holder).toBe('b');
    const none = elect(v, world([], { a: ['interface:eth1'], b: ['interface:eth1'] }));
    expect(none.holder).toBeUndefined();
    expect(none.reason).toMatch(/no node can be master/);
  });
  it('a negative weight on the master moves the VIP, unless the others have nopreempt', () => {
    const v = (np: boolean) => view(node('a', 150, { nopreempt: np, checks: [check('script', 's', -60)] }), node('b', 100, { nopreempt: np }));
    expect(elect(v(false), world([], { a: ['script:s'] }), 'a').holder).toBe('b');
    expect(elect(v(true), world([], { a: ['script:s'] }), 'a').holder).toBe('a');
  });
  it('sync group: a FAULT in one member faults every member on that node', () => {
    const one: InstanceView = { instance: 'V1', syncGroup: 'G', nodes: [node('a', 150, { checks: [check('interface', 'eth1', 0)] }), node('b', 100)] };
    const two: InstanceView = { instance: 'V2', syncGroup: 'G', nodes: [node('a', 150), node('b', 100)] };
    const r = electAll([one, two], world([], { a: ['interface:eth1'] }), { V1: 'a', V2: 'a' });
    expect(r.V1.holder).toBe('b');
    expect(r.V2.holder).toBe('b');
    expect(r.V2.reason).toMatch(/sync group G/);
  });
});

describe('reading the configuration', () => {
  const conf = `
vrrp_script chk { script "/bin/true"
  weight -30 }
vrrp_sync_group G {
  group {
    V1
    V2
  }
}
vrrp_instance V1 { state BACKUP
  interface eth0
  virtual_router_id 1
@a priority 150
@b priority 100
  virtual_ipaddress { 192.0.2.100 }
  track_script { chk }
  track_interface { eth1 weight -20 }
}
vrrp_instance V2 { state BACKUP
  interface eth0
  virtual_router_id 2
@a priority 150
@b priority 100
  virtual_ipaddress { 192.0.2.101 }
}
vrrp_instance V3 { state BACKUP
  interface eth0
  virtual_router_id 3
@a priority 255
@b priority 100
  nopreempt
  virtual_ipaddress { 192.0.2.102 }
  track_script { chk }
}
`;
  const fs = MemoryFileSystem.of({ '/k.conf': conf });
  const nodes = readNodes([{ name: 'a', entry: '/k.conf', configId: 'a' }, { name: 'b', entry: '/k.conf', configId: 'b' }], fs).nodes.map((n) => ({ name: n.name, config: n.config }));
  const views = instanceViews(nodes);

  it('in a sync group a weighted script is ignored and a weighted interface becomes weight 0 (keepalived load rules)', () => {
    const v1 = views.find((v) => v.instance === 'V1')!;
    expect(v1.syncGroup).toBe('G');
    expect(v1.nodes[0].checks).toEqual([{ kind: 'interface', name: 'eth1', weight: 0, reverse: false }]);
  });
  it('an address owner ignores weighted scripts; its nopreempt is not honoured', () => {
    const v3 = views.find((v) => v.instance === 'V3')!;
    expect(v3.nodes[0].checks).toEqual([]);
    expect(v3.nodes[1].checks).toEqual([{ kind: 'script', name: 'chk', weight: -30, reverse: false }]);
  });
  it('scenarios: baseline, each node down, each check on each node, the old masters returning', () => {
    const ids = scenarios(views, [], ['a', 'b']).map((s) => s.id);
    expect(ids).toEqual([
      'baseline',
      'node-down:a',
      'node-down:b',
      'check-fail:interface:eth1@a',
      'check-fail:interface:eth1@b',
      'check-fail:script:chk@b',
      'return:a',
      'recover:interface:eth1@a',
    ]);
  });
  it('replay: the old master returning takes the VIP back (no nopreempt), and V1/V2 move together', () => {
    const s = scenarios(views, [], ['a', 'b']);
    const back = replayKeepalived(views, s.find((x) => x.id === 'return:a')!);
    expect(back.map((r) => r.V1.holder)).toEqual(['a', 'b', 'a']);
    const fault = replayKeepalived(views, s.find((x) => x.id === 'check-fail:interface:eth1@a')!);
    expect(fault[1].V2.holder).toBe('b');
  });
});

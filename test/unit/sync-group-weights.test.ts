/**
 * A vrrp_sync_group's own trackers with a weight, as keepalived 2.2.7 applies
 * them (vrrp/vrrp.c sync_group_tracking_init, add_vrrp_to_track_script,
 * add_vrrp_to_interface, add_vrrp_to_track_process; trackers/track_file.c
 * add_obj_to_track_file): each member instance gets the reference's weight,
 * with or without sync_group_tracking_weight; only weight 0 faults the group.
 * The weight is cleared for every member when a member on that node is the
 * address owner; an interface the member already tracks unweighted stays at
 * weight 0; a member tracking the object itself keeps one tracker. Checked in
 * the emitted location rules, the ledger, the diagnostics and the behaviour
 * proof's model (prove/views.ts).
 */
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import { instanceViews } from '../../src/prove/views.js';
import { MemoryFileSystem } from '../../src/source/files.js';

/** VI_A and VI_B in sync group SG on eth0; `group` goes inside SG, `a` inside VI_A. */
function conf(group: string, a = '', extra = ''): string {
  const inst = (name: string, vrid: number, address: string, inside: string) =>
    `vrrp_instance ${name} {\n    interface eth0\n    virtual_router_id ${vrid}\n@node1    priority 150\n@node2    priority 100\n    virtual_ipaddress {\n        ${address}/24\n    }\n${inside}}\n`;
  return [
    'vrrp_script chk {\n    script "/usr/local/bin/chk"\n}',
    'track_file tf {\n    file /var/run/keepalived/tf\n}',
    'vrrp_track_process tp {\n    process mydaemon\n    quorum 2\n}',
    extra,
    `vrrp_sync_group SG {\n    group {\n        VI_A\n        VI_B\n    }\n${group}}`,
    inst('VI_A', 1, '192.0.2.1', a),
    inst('VI_B', 2, '192.0.2.2', ''),
  ].join('\n');
}

function read(text: string) {
  const fe = readNodes(['node1', 'node2'].map((name) => ({ name, entry: '/k.conf', configId: name })), MemoryFileSystem.of({ '/k.conf': text }));
  return { fe, nodes: fe.nodes.map((n) => ({ name: n.name, config: n.config })) };
}

function map(text: string) {
  const { fe, nodes } = read(text);
  const r = mapToPacemaker(nodes, { stonithDisabled: true });
  const rules = r.model.cib.constraints.flatMap((c) => (c.kind === 'location' && 'rule' in c ? [{ rsc: c.rsc, ...c.rule }] : []));
  const diags = [...fe.diagnostics, ...r.diagnostics].filter((d) => d.severity !== 'info').map((d) => `${d.code}: ${d.message}`);
  return { r, rules, diags, nodes };
}

/** Each member's checks on each node, as the behaviour proof's keepalived model sees them. */
const checks = (text: string) =>
  Object.fromEntries(instanceViews(read(text).nodes).map((v) => [v.instance, v.nodes.map((n) => n.checks.map(({ kind, name, weight, reverse }) => ({ kind, name, weight, reverse })))]));

const block = (kind: string, line: string) => `    ${kind} {\n        ${line}\n    }\n`;

describe("a sync group's weighted trackers (keepalived 2.2.7 sync_group_tracking_init)", () => {
  it('track_script { chk weight -20 }: -20 on each member where the check fails, not -INFINITY', () => {
    const { r, rules, diags } = map(conf(block('track_script', 'chk weight -20')));
    expect(rules).toEqual([
      expect.objectContaining({ rsc: 'VI_A', score: -20, expressions: [{ op: 'ne', attribute: 'ka2pcmk_chk', value: '1' }] }),
      expect.objectContaining({ rsc: 'VI_B', score: -20, expressions: [{ op: 'ne', attribute: 'ka2pcmk_chk', value: '1' }] }),
    ]);
    const e = r.ledger.find((x) => x.owner === 'vrrp_sync_group:SG' && x.text === 'chk weight -20');
    expect(e).toMatchObject({ fidelity: 'shim', target: 'loc-VI_A-ka2pcmk_chk, loc-VI_B-ka2pcmk_chk' });
    expect(e?.reason).toContain('-20 where ka2pcmk_chk is not 1');
    expect(e?.reason).toContain('to each member (VI_A, VI_B) with its weight');
    expect(diags.filter((d) => /^(sync-group|tracked-twice|unmapped)/.test(d))).toEqual([]);
    expect(checks(conf(block('track_script', 'chk weight -20')))).toEqual({
      VI_A: [[{ kind: 'script', name: 'chk', weight: -20, reverse: false }], [{ kind: 'script', name: 'chk', weight: -20, reverse: false }]],
      VI_B: [[{ kind: 'script', name: 'chk', weight: -20, reverse: false }], [{ kind: 'script', name: 'chk', weight: -20, reverse: false }]],
    });
  });

  it('without a weight the script\'s own (0 here) applies: the group faults, as before', () => {
    const { rules } = map(conf(block('track_script', 'chk')));
    expect(rules.map((x) => [x.rsc, x.score])).toEqual([
      ['VI_A', '-INFINITY'],
      ['VI_B', '-INFINITY'],
    ]);
  });

  it('track_file { tf }: the file\'s default weight 1 is kept (value x 1 added), unlike an instance\'s own tf in a sync group', () => {
    const { rules } = map(conf(block('track_file', 'tf')));
    expect(rules).toEqual([
      expect.objectContaining({ rsc: 'VI_A', scoreAttribute: 'ka2pcmk_file_tf_w1' }),
      expect.objectContaining({ rsc: 'VI_B', scoreAttribute: 'ka2pcmk_file_tf_w1' }),
    ]);
    expect(checks(conf(block('track_file', 'tf'))).VI_B[0]).toEqual([{ kind: 'file', name: 'tf', weight: 1, reverse: false }]);
  });

  it('track_interface { eth1 weight -10 }: -10 on each member; { eth0 weight -10 }, the members\' own interface, stays weight 0', () => {
    expect(map(conf(block('track_interface', 'eth1 weight -10'))).rules.map((x) => [x.rsc, x.score])).toEqual([
      ['VI_A', -10],
      ['VI_B', -10],
    ]);
    const own = map(conf(block('track_interface', 'eth0 weight -10')));
    expect(own.rules.map((x) => [x.rsc, x.score])).toEqual([
      ['VI_A', '-INFINITY'],
      ['VI_B', '-INFINITY'],
    ]);
    expect(own.r.ledger.find((x) => x.text === 'eth0 weight -10')?.reason).toContain('already tracks eth0 unweighted');
    expect(checks(conf(block('track_interface', 'eth0 weight -10'))).VI_A[0]).toEqual([{ kind: 'interface', name: 'eth0', weight: 0, reverse: false }]);
  });

  it('sync_group_tracking_weight does not change the group\'s own weights', () => {
    const { rules } = map(conf(`    sync_group_tracking_weight\n${block('track_script', 'chk weight -20')}`));
    expect(rules.map((x) => [x.rsc, x.score])).toEqual([
      ['VI_A', -20],
      ['VI_B', -20],
    ]);
  });

  it('an address owner among the members on a node clears the weight there, for every member: weight 0 (FAULT) on that node only', () => {
    const text = conf(block('track_script', 'chk weight -20')).replace('@node1    priority 150\n@node2    priority 100\n    virtual_ipaddress {\n        192.0.2.1', '@node1    priority 255\n@node2    priority 100\n    virtual_ipaddress {\n        192.0.2.1');
    const { rules, diags } = map(text);
    const rule = (rsc: string, node: string) => rules.find((x) => x.rsc === rsc && x.expressions.some((e) => e.attribute === '#uname' && 'value' in e && e.value === node))?.score;
    expect([rule('VI_A', 'node1'), rule('VI_A', 'node2'), rule('VI_B', 'node1'), rule('VI_B', 'node2')]).toEqual(['-INFINITY', -20, '-INFINITY', -20]);
    expect(diags).toContain(
      `sync-group-owner-weight: keepalived says "(SG) Cannot have weighted track script 'chk' with member having priority 255 - clearing weight": VI_A is the address owner, so the script faults every member instead of changing its priority`,
    );
    expect(checks(text).VI_B.map((n) => n[0].weight)).toEqual([0, -20]);
  });

  it('a member that tracks the object itself with weight 0 keeps that tracker; the other member gets the group\'s weight', () => {
    const text = conf(block('track_script', 'chk weight -20'), block('track_script', 'chk'));
    const { r, rules, diags } = map(text);
    expect(rules.map((x) => [x.rsc, x.score])).toEqual([
      ['VI_A', '-INFINITY'],
      ['VI_B', -20],
    ]);
    expect(diags).toContain(
      `tracked-twice: vrrp_instance 'VI_A' and its vrrp_sync_group 'SG' both track script chk; keepalived says "(VI_A) track_script chk is configured on VRRP instance and sync group. Remove vrrp instance config" and keeps one tracker, with the group's weight unless the instance's is 0`,
    );
    expect(r.ledger.find((x) => x.owner === 'vrrp_sync_group:SG' && x.text === 'chk weight -20')?.reason).toContain('VI_A tracks chk itself with weight 0');
    expect(r.diagnostics.filter((d) => d.code === 'unmapped-directive')).toEqual([]);
    expect(checks(text).VI_A[0]).toEqual([{ kind: 'script', name: 'chk', weight: 0, reverse: false }]);
  });

  it('a member\'s own weighted process is replaced by the group\'s weight, keeping the member\'s reverse (add_vrrp_to_track_process)', () => {
    const text = conf(block('track_process', 'tp weight -30'), block('track_process', 'tp weight 10 reverse'));
    const { r, rules } = map(text);
    expect(rules.map((x) => [x.rsc, x.score, x.expressions[0].op])).toEqual([
      ['VI_A', 30, 'ne'],
      ['VI_B', -30, 'ne'],
    ]);
    expect(r.ledger.find((x) => x.owner === 'vrrp_instance:VI_A' && x.text === 'tp weight 10 reverse')).toMatchObject({ fidelity: 'dropped' });
    expect(checks(text).VI_A[0]).toEqual([{ kind: 'process', name: 'tp', weight: -30, reverse: true }]);
  });

  it('sync_group_tracking_weight and global_tracking are in the ledger, not left unmapped', () => {
    for (const kw of ['sync_group_tracking_weight', 'global_tracking']) {
      const { r } = map(conf(`    ${kw}\n`));
      expect(r.ledger.find((x) => x.keyword === kw)).toMatchObject({ fidelity: 'exact' });
      expect(r.diagnostics.filter((d) => d.code === 'unmapped-directive')).toEqual([]);
    }
  });
});

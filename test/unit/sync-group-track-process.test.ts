/**
 * `track_process` inside a vrrp_sync_group: keepalived 2.2.7 accepts it
 * (vrrp/vrrp_parser.c installs it for vrrp_sync_group under
 * _WITH_TRACK_PROCESS_; vrrp/vrrp.c sync_group_tracking_init adds it to every
 * member). It is in the model, and mapped as the sync group's other trackers
 * are: with its weight on every member. tp has none (a vrrp_track_process's
 * default is 0), so the whole group faults.
 */
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import { instanceViews } from '../../src/prove/views.js';
import { MemoryFileSystem } from '../../src/source/files.js';

const instance = (name: string, vrid: number, address: string) =>
  `vrrp_instance ${name} {\n    interface eth0\n    virtual_router_id ${vrid}\n    priority 100\n    virtual_ipaddress {\n        ${address}/24\n    }\n}\n`;

const conf = [
  'vrrp_track_process tp {\n    process mydaemon\n    quorum 2\n}',
  'vrrp_sync_group SG {\n    group {\n        VI_A\n        VI_B\n    }\n    track_process {\n        tp\n    }\n}',
  instance('VI_A', 1, '192.0.2.1'),
  instance('VI_B', 2, '192.0.2.2'),
].join('\n');

function read(text: string) {
  const fe = readNodes([{ name: 'n1', entry: '/k.conf' }], MemoryFileSystem.of({ '/k.conf': text }));
  return { fe, nodes: fe.nodes.map((n) => ({ name: n.name, config: n.config })) };
}

describe('track_process in a vrrp_sync_group', () => {
  it('is in the model', () => {
    const { nodes } = read(conf);
    expect(nodes[0].config.syncGroups[0]).toMatchObject({ name: 'SG', trackProcesses: [expect.objectContaining({ name: 'tp' })] });
  });

  it('faults every member in the mapping (weight 0), recorded in the ledger, not left unmapped', () => {
    const r = mapToPacemaker(read(conf).nodes, { stonithDisabled: true });
    const rules = r.model.cib.constraints.flatMap((c) => (c.kind === 'location' && 'rule' in c ? [{ rsc: c.rsc, ...c.rule }] : []));
    expect(rules).toEqual([
      expect.objectContaining({ rsc: 'VI_A', score: '-INFINITY', expressions: [{ op: 'ne', attribute: 'ka2pcmk_tp', value: '1' }] }),
      expect.objectContaining({ rsc: 'VI_B', score: '-INFINITY', expressions: [{ op: 'ne', attribute: 'ka2pcmk_tp', value: '1' }] }),
    ]);
    expect(r.ledger.find((e) => e.owner === 'vrrp_sync_group:SG' && e.text === 'tp')).toMatchObject({ fidelity: 'shim' });
    expect(r.diagnostics.filter((d) => d.code === 'unmapped-directive')).toEqual([]);
  });

  it("is one of each member's checks in the behaviour proof", () => {
    const views = instanceViews(read(conf).nodes);
    expect(views.map((v) => v.nodes[0].checks)).toEqual([
      [{ kind: 'process', name: 'tp', weight: 0, reverse: false }],
      [{ kind: 'process', name: 'tp', weight: 0, reverse: false }],
    ]);
  });

  it('an undefined process is reported as for an instance', () => {
    const { fe } = read(conf.replace('    track_process {\n        tp\n', '    track_process {\n        nope\n'));
    expect(fe.diagnostics.map((d) => `${d.code}: ${d.message}`)).toContain("unknown-reference: vrrp_sync_group 'SG': vrrp_track_process 'nope' is not defined; keepalived ignores it");
  });
});

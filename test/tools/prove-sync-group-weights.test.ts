/**
 * The behaviour proof for a sync group's own weighted trackers: keepalived
 * 2.2.7 (vrrp.c sync_group_tracking_init) gives each member the reference's
 * weight, so a failing check lowers the members' priorities instead of
 * faulting the group; with an address owner among the members it clears the
 * weight, and the check faults the group on that node. keepalived's model and
 * the emitted CIB (run by crm_simulate) must agree, and the model must move
 * (or keep) the VIPs as these weights do.
 *
 * SG: VI_A and VI_B, node1 150 / node2 100. chk weight -20: node1 keeps both
 * at 130 when chk fails there (a FAULT would hand them to node2); eth1 weight
 * -60: node1 drops to 90 and node2 takes both. SG_OWN: VI_O is the address
 * owner on node1 (255), so chk's weight -20 is cleared there: chk failing on
 * node1 faults VI_O and VI_P on node1, and node2 takes them.
 */
import { jest } from '@jest/globals';
import { proveTwoNodeConf } from '../helpers/prove-conf.js';
import { markdownTable, summary } from '../../src/prove/table.js';

jest.setTimeout(120_000);

const instance = (name: string, vrid: number, address: string, prio1: number) => `vrrp_instance ${name} {
    interface eth0
    virtual_router_id ${vrid}
@node1  priority ${prio1}
@node2  priority 100
@node1  unicast_src_ip 192.0.2.11
@node2  unicast_src_ip 192.0.2.12
    virtual_ipaddress {
        ${address}/24
    }
}
`;

const conf = `vrrp_script chk {
    script "/usr/local/bin/chk"
    interval 2
}
vrrp_sync_group SG {
    group {
        VI_A
        VI_B
    }
    track_script {
        chk weight -20
    }
    track_interface {
        eth1 weight -60
    }
}
vrrp_sync_group SG_OWN {
    group {
        VI_O
        VI_P
    }
    track_script {
        chk weight -20
    }
}
${instance('VI_A', 51, '192.0.2.100', 150)}${instance('VI_B', 52, '192.0.2.101', 150)}${instance('VI_O', 53, '192.0.2.102', 255)}${instance('VI_P', 54, '192.0.2.103', 150)}`;

describe("behaviour proof: a sync group's weighted trackers", () => {
  it('each member gets the weight; an address owner in the group turns it into a FAULT on its node; no unexplained row', async () => {
    const p = await proveTwoNodeConf(conf);
    const s = summary(p.rows);
    console.log(`sync-group weights: ${p.rows.length} rows, ${s.match} match, ${s.explained} explained, ${s.unexplained} unexplained (${p.scenarios.length} scenarios, ${p.runs} tool runs, ${p.ms} ms)\n\n${markdownTable(p.rows)}`);
    expect(p.messages).toEqual([]);
    expect(p.rows.filter((r) => r.verdict === 'unexplained')).toEqual([]);
    const row = (scenario: string, instance: string) => p.rows.find((r) => r.scenario === scenario && r.instance === instance);
    // -20: 130 on node1 still beats node2's 100, in keepalived and in Pacemaker.
    for (const i of ['VI_A', 'VI_B']) {
      expect(row('check-fail:script:chk@node1', i)).toMatchObject({ keepalived: { holder: 'node1', why: expect.stringContaining('node1=130') }, pacemaker: { holder: 'node1' }, verdict: 'match' });
      expect(row('check-fail:interface:eth1@node1', i)).toMatchObject({ keepalived: { holder: 'node2', why: expect.stringContaining('node1=90') }, pacemaker: { holder: 'node2' }, verdict: 'match' });
    }
    // The owner clears the group's weight on node1: chk faults VI_O and VI_P there.
    for (const i of ['VI_O', 'VI_P']) {
      expect(row('check-fail:script:chk@node1', i)).toMatchObject({ keepalived: { holder: 'node2', why: expect.stringContaining('FAULT') }, pacemaker: { holder: 'node2' }, verdict: 'match' });
    }
  });
});

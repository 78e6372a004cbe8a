/**
 * The behaviour proof for references that inherit their definition's
 * `reverse` while giving their own weight (keepalived 2.2.7 keeps it; see
 * map/weights.ts refReverse): keepalived's model and the emitted CIB must
 * agree, and the model must move (or keep) the VIP as a reversed weight does.
 */
import { jest } from '@jest/globals';
import { proveTwoNodeConf } from '../helpers/prove-conf.js';
import { markdownTable } from '../../src/prove/table.js';

jest.setTimeout(120_000);

// VI_F tracks a file whose definition says `weight 5 reverse` with `weight 10`: keepalived adds
// -10 x the value. VI_S tracks a script whose definition says `weight 5 reverse` with `weight 60`:
// -60 while it succeeds, so node1 (150) keeps VI_S when its script fails (150 > 100 - 60), where an
// unreversed +60 would hand it to node2 (150 < 100 + 60). Sync group SG tracks a file whose
// definition says `weight 0 reverse`: its member VI_G faults while the file holds 0 (as it does
// from the start), not while it holds anything else.
const conf = `vrrp_track_file tf {
    file /var/run/keepalived/tf
    weight 5 reverse
    init_file 0 overwrite
}
vrrp_track_file tf0 {
    file /var/run/keepalived/tf0
    weight 0 reverse
}
vrrp_sync_group SG {
    group {
        VI_G
    }
    track_file {
        tf0
    }
}
vrrp_script chk {
    script "/usr/local/bin/chk"
    interval 2
    weight 5 reverse
}
vrrp_instance VI_F {
@node1  state MASTER
@node2  state BACKUP
    interface eth0
    virtual_router_id 51
@node1  priority 150
@node2  priority 100
@node1  unicast_src_ip 192.0.2.11
@node2  unicast_src_ip 192.0.2.12
    virtual_ipaddress {
        192.0.2.100/24
    }
    track_file {
        tf weight 10
    }
}
vrrp_instance VI_S {
@node1  state MASTER
@node2  state BACKUP
    interface eth0
    virtual_router_id 52
@node1  priority 150
@node2  priority 100
@node1  unicast_src_ip 192.0.2.11
@node2  unicast_src_ip 192.0.2.12
    virtual_ipaddress {
        192.0.2.101/24
    }
    track_script {
        chk weight 60
    }
}
vrrp_instance VI_G {
@node1  state MASTER
@node2  state BACKUP
    interface eth0
    virtual_router_id 53
@node1  priority 150
@node2  priority 100
@node1  unicast_src_ip 192.0.2.11
@node2  unicast_src_ip 192.0.2.12
    virtual_ipaddress {
        192.0.2.102/24
    }
}
`;

describe('behaviour proof: a reference with its own weight keeps the definition\'s reverse', () => {
  it('track_file { tf weight 10 }, track_script { chk weight 60 }, a sync group\'s track_file { tf0 }: no unexplained row', async () => {
    const p = await proveTwoNodeConf(conf);
    console.log(`reverse inheritance: ${p.scenarios.length} scenarios, ${p.runs} tool runs, ${p.ms} ms\n\n${markdownTable(p.rows)}`);
    expect(p.messages).toEqual([]);
    expect(p.rows.filter((r) => r.verdict === 'unexplained')).toEqual([]);
    const row = (scenario: string, instance: string) => p.rows.find((r) => r.scenario === scenario && r.instance === instance);
    expect(row('check-fail:script:chk@node1', 'VI_S')).toMatchObject({ keepalived: { holder: 'node1' }, pacemaker: { holder: 'node1' } });
    // The value a file "fails" with is the one that faults a -10 tracker: positive.
    const fail = p.scenarios.find((s) => s.id === 'check-fail:file:tf@node1');
    expect(fail?.steps).toEqual([expect.objectContaining({ value: 26 })]);
    expect(row('check-fail:file:tf@node1', 'VI_F')).toMatchObject({ keepalived: { holder: 'node2' }, pacemaker: { holder: 'node2' } });
    expect(row('baseline', 'VI_G')).toMatchObject({ keepalived: { holder: undefined }, pacemaker: { holder: undefined }, verdict: 'match' });
    expect(row('baseline', 'VI_G')?.keepalived.why).toContain('file tf0 reads 0, weight 0 reverse: FAULT');
  });
});

/**
 * The behaviour proof with a tracked file's `init_file VALUE` and a sync
 * group's `track_process`: keepalived's model and the emitted CIB (run by
 * crm_simulate) must agree. The file starts at 7 on both sides (keepalived's
 * model from init_file; Pacemaker's from the agent's emitted init_file), so
 * node1, the only node that tracks it, has 100 + 10 x 7 = 170 and beats
 * node2's 150 from the start (at 0 it would not).
 */
import { jest } from '@jest/globals';
import { proveTwoNodeConf } from '../helpers/prove-conf.js';
import { markdownTable } from '../../src/prove/table.js';

jest.setTimeout(120_000);

const conf = `vrrp_track_file tf {
    file /var/run/keepalived/tf
    weight 10
    init_file 7 overwrite
}
vrrp_track_process tp {
    process mydaemon
    quorum 2
}
vrrp_sync_group SG {
    group {
        VI_G
    }
    track_process {
        tp
    }
}
vrrp_instance VI_F {
@node1  state BACKUP
@node2  state MASTER
    interface eth0
    virtual_router_id 51
@node1  priority 100
@node2  priority 150
@node1  unicast_src_ip 192.0.2.11
@node2  unicast_src_ip 192.0.2.12
    virtual_ipaddress {
        192.0.2.100/24
    }
@node1  track_file {
@node1      tf
@node1  }
}
vrrp_instance VI_G {
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
}
`;

describe('behaviour proof: init_file VALUE and a sync group\'s track_process', () => {
  it('the file starts at init_file\'s value on both sides; the process faults the group; no unexplained row', async () => {
    const p = await proveTwoNodeConf(conf);
    console.log(`init_file and sync-group track_process: ${p.scenarios.length} scenarios, ${p.runs} tool runs, ${p.ms} ms\n\n${markdownTable(p.rows)}`);
    expect(p.messages).toEqual([]);
    expect(p.rows.filter((r) => r.verdict === 'unexplained')).toEqual([]);
    const row = (scenario: string, instance: string) => p.rows.find((r) => r.scenario === scenario && r.instance === instance);
    expect(row('baseline', 'VI_F')).toMatchObject({ keepalived: { holder: 'node1' }, pacemaker: { holder: 'node1' } });
    expect(row('check-fail:process:tp@node1', 'VI_G')).toMatchObject({ keepalived: { holder: 'node2' }, pacemaker: { holder: 'node2' } });
  });
});

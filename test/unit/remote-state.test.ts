/** Parsers of what hosts report (ip -j, dpkg-query, crm_mon, cibadmin) and the --host syntax. */
import { cibVips, parseCibEpoch, parseCrmMon } from '../../src/remote/crm.js';
import { parseIpJson, parsePackages, readHostState } from '../../src/remote/state.js';
import { parseHostArg, parseHostArgs } from '../../src/remote/targets.js';
import { FakeRunner } from '../../src/exec/fake.js';
import { CRM_MON } from '../helpers/crm-mon.js';

test('crm_mon XML: DC, quorum, options, nodes, resources in groups, failures', () => {
  const s = parseCrmMon(CRM_MON);
  expect(s).toEqual({
    dc: 'node2',
    quorate: true,
    stonithEnabled: false,
    noQuorumPolicy: 'stop',
    nodes: [
      { name: 'node1', online: true, standby: false, unclean: false },
      { name: 'node2', online: true, standby: true, unclean: false },
    ],
    resources: [{ id: 'vip', agent: 'ocf:heartbeat:IPaddr2', role: 'Started', active: true, failed: false, nodes: ['node1'], parent: 'g_VI_1' }],
    failures: [{ opKey: 'vip_monitor_2000', node: 'node2', exitStatus: 'not running', exitReason: '' }],
  });
  expect(parseCrmMon('<cib/>')).toEqual({ error: 'not crm_mon output (root <cib>)' });
});

test('CIB version triple and IPaddr2 primitives', () => {
  const cib = '<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="7" num_updates="3" admin_epoch="0"><configuration><resources><primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2"><instance_attributes id="i"><nvpair id="a" name="ip" value="192.0.2.100"/><nvpair id="b" name="cidr_netmask" value="24"/></instance_attributes></primitive><primitive id="web" class="systemd" type="nginx"/></resources></configuration></cib>';
  expect(parseCibEpoch(cib, 'node1')).toEqual({ adminEpoch: 0, epoch: 7, numUpdates: 3, node: 'node1' });
  expect(parseCibEpoch('<x/>', 'node1')).toBeUndefined();
  expect(cibVips(cib)).toEqual([{ resource: 'vip', address: '192.0.2.100', prefix: 24 }]);
});

test('ip -j addr and dpkg-query output', () => {
  const ip = JSON.stringify([{ ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] }, { ifname: 'eth0', addr_info: [{ family: 'inet', local: '192.0.2.11', prefixlen: 24 }, { family: 'inet', local: '192.0.2.100', prefixlen: 24 }, { family: 'inet6', local: 'fe80::1', prefixlen: 64 }] }]);
  expect(parseIpJson(ip).map((a) => `${a.ifname} ${a.address}/${a.prefix}`)).toEqual(['lo 127.0.0.1/8', 'eth0 192.0.2.11/24', 'eth0 192.0.2.100/24', 'eth0 fe80::1/64']);
  expect(parseIpJson('not json')).toEqual([]);
  expect(parsePackages('corosync\t3.1.7-1\tii \npcs\t0.11.5\trc \nkeepalived\t1:2.2.7-1\tii \n', ['keepalived', 'corosync', 'pacemaker', 'pcs'])).toEqual({ keepalived: '1:2.2.7-1', corosync: '3.1.7-1', pacemaker: null, pcs: null });
});

test('readHostState asks with argv only, in order, and reads a keepalived node with no cluster', async () => {
  const n = 'h';
  const runner = new FakeRunner([
    { node: n, argv: ['hostname', '-s'], result: { stdout: 'node1\n' } },
    { node: n, argv: ['ip', '-j', 'addr', 'show'], result: { stdout: '[]' } },
    { node: n, argv: ['systemctl', 'is-active', 'keepalived'], result: { stdout: 'active\n' } },
    { node: n, argv: ['systemctl', 'is-enabled', 'keepalived'], result: { stdout: 'enabled\n' } },
    { node: n, argv: ['pidof', 'keepalived'], result: { stdout: '812 811\n' } },
    { node: n, argv: ['dpkg-query', '-W', '-f', '${Package}\\t${Version}\\t${db:Status-Abbrev}\\n', 'keepalived', 'corosync', 'pacemaker', 'pcs'], result: { code: 1, stdout: 'keepalived\t1:2.2.7\tii \n' } },
    { node: n, argv: ['crm_mon', '-1', '--output-as=xml'], result: { code: 102, stderr: 'crm_mon: Connection to cluster failed' } },
    { node: n, argv: ['test', '-e', '/etc/corosync/corosync.conf'], result: { code: 1 } },
  ]);
  const s = await readHostState(runner.host(n));
  expect(s).toEqual({ shortName: 'node1', addresses: [], keepalived: { active: true, enabled: true, pids: [811, 812] }, packages: { keepalived: '1:2.2.7', corosync: null, pacemaker: null, pcs: null }, cluster: { state: 'none' } });
  expect(runner.pending).toEqual([]);
});

test('--host syntax: NAME=, user@, :port, aliases; bad names and duplicates refused', () => {
  expect(parseHostArg('root@192.0.2.11')).toEqual({ target: 'root@192.0.2.11' });
  expect(parseHostArg('node1=root@127.0.0.1:4022')).toEqual({ name: 'node1', target: 'root@127.0.0.1:4022' });
  expect(parseHostArg('db-alias')).toEqual({ target: 'db-alias' });
  expect(() => parseHostArg('bad name=h')).toThrow(/not a valid node name/);
  expect(() => parseHostArg('h:99999')).toThrow(/not \[user@\]host/);
  expect(() => parseHostArgs(['a', 'n=a'])).toThrow(/given twice/);
});

/**
 * Hand-built Pacemaker models, standing for what the keepalived mapping will
 * produce for typical setups. Shared by the emitter goldens and the real-tool
 * tests, so every golden file is also proven by crm_verify, pcs and crmsh.
 */
import { nvs } from '../../src/pcmk/build.js';
import type { ClusterModel, ClusterNode, CorosyncModel, Operation, Primitive, SourceRef } from '../../src/pcmk/model.js';

const at = (line: number, column: number, text: string): SourceRef => ({ file: 'keepalived.conf', line, column, text });

const twoNodes: ClusterNode[] = [
  { name: 'node1', nodeId: 1, addresses: ['10.0.0.1'], source: at(3, 5, 'unicast_src_ip 10.0.0.1') },
  { name: 'node2', nodeId: 2, addresses: ['10.0.0.2'], source: at(5, 9, '10.0.0.2') },
];

const knet2: CorosyncModel = {
  transport: 'knet',
  crypto: { cipher: 'aes256', hash: 'sha256' },
  quorum: { twoNode: true },
};

const monitor = (interval: string, timeout: string, extra: Partial<Operation> = {}): Operation => ({ name: 'monitor', interval, timeout, ...extra });

function ipaddr2(id: string, params: Record<string, string>, source: SourceRef): Primitive {
  return {
    kind: 'primitive',
    id,
    agent: { class: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
    instanceAttributes: nvs(params, source),
    operations: [monitor('10s', '20s', { onFail: 'restart' })],
    source,
  };
}

const vip4 = ipaddr2(
  'vip-VI_1-192.0.2.10',
  {
    ip: '192.0.2.10',
    cidr_netmask: '24',
    nic: 'eth0',
    iflabel: 'vip1',
    broadcast: '192.0.2.255',
    arp_count: '5',
    arp_interval: '200',
    arp_count_refresh: '3',
  },
  at(14, 9, '192.0.2.10/24 brd 192.0.2.255 dev eth0 label eth0:vip1'),
);
const vip6 = ipaddr2('vip-VI_1-2001_db8__10', { ip: '2001:db8::10', cidr_netmask: '128', nic: 'eth0' }, at(15, 9, '2001:db8::10 dev eth0'));

/** Two nodes, one VRRP instance with an IPv4 and an IPv6 VIP, priorities, nopreempt, an alert. */
export const vipGroup: ClusterModel = {
  name: 'web',
  nodes: twoNodes,
  corosync: knet2,
  cib: {
    properties: [
      { name: 'stonith-enabled', value: 'false', description: 'no fence device given: accepted by the user' },
      { name: 'cluster-recheck-interval', value: '5min' },
    ],
    rscDefaults: [{ name: 'resource-stickiness', value: '200', source: at(12, 5, 'nopreempt') }],
    resources: [
      {
        kind: 'group',
        id: 'g-VI_1',
        members: [vip4, vip6],
        description: 'VRRP instance VI_1',
        source: at(8, 1, 'vrrp_instance VI_1'),
      },
    ],
    constraints: [
      { kind: 'location', id: 'loc-g-VI_1-node1', rsc: 'g-VI_1', node: 'node1', score: 150, source: at(11, 5, 'priority 150') },
      { kind: 'location', id: 'loc-g-VI_1-node2', rsc: 'g-VI_1', node: 'node2', score: 100, source: at(11, 5, 'priority 100') },
    ],
    alerts: [
      {
        id: 'alert-notify',
        path: '/usr/local/bin/ka-notify.sh',
        description: 'was notify_master',
        metaAttributes: nvs({ timeout: '30s' }),
        instanceAttributes: nvs({ instance: 'VI_1' }),
        recipients: [{ id: 'alert-notify-ops', value: 'ops@example.com' }],
        source: at(16, 5, 'notify_master "/usr/local/bin/ka-notify.sh MASTER"'),
      },
    ],
  },
};

/** The VIP group following a cloned systemd service, and an ethmonitor clone with a rule on its attribute. */
export const serviceClone: ClusterModel = {
  name: 'web',
  nodes: [
    { ...twoNodes[0], attributes: nvs({ 'ka-site': 'a' }) },
    { ...twoNodes[1], attributes: nvs({ 'ka-site': 'b' }) },
  ],
  corosync: knet2,
  cib: {
    properties: nvs({ 'stonith-enabled': 'false' }),
    resources: [
      { kind: 'group', id: 'g-VI_1', members: [{ ...vip4, id: 'vip-VI_1' }], source: at(8, 1, 'vrrp_instance VI_1') },
      {
        kind: 'clone',
        id: 'nginx-clone',
        metaAttributes: nvs({ interleave: 'true' }),
        child: {
          kind: 'primitive',
          id: 'nginx',
          agent: { class: 'systemd', type: 'nginx' },
          operations: [monitor('30s', '100s')],
          source: at(20, 5, 'script "killall -0 nginx"'),
        },
        source: at(19, 1, 'vrrp_script chk_nginx'),
      },
      {
        kind: 'clone',
        id: 'ethmon-eth0-clone',
        metaAttributes: nvs({ interleave: 'true' }),
        child: {
          kind: 'primitive',
          id: 'ethmon-eth0',
          agent: { class: 'ocf', provider: 'heartbeat', type: 'ethmonitor' },
          instanceAttributes: nvs({ interface: 'eth0', name: 'ethmonitor-eth0' }),
          operations: [monitor('10s', '60s')],
        },
        source: at(13, 5, 'track_interface eth0'),
      },
    ],
    constraints: [
      { kind: 'colocation', id: 'col-g-VI_1-nginx', rsc: 'g-VI_1', withRsc: 'nginx-clone', score: 'INFINITY', source: at(21, 5, 'track_script chk_nginx') },
      { kind: 'order', id: 'ord-nginx-g-VI_1', first: 'nginx-clone', then: 'g-VI_1', orderKind: 'Mandatory', source: at(21, 5, 'track_script chk_nginx') },
      {
        kind: 'location',
        id: 'loc-g-VI_1-eth0',
        rsc: 'g-VI_1',
        rule: {
          score: '-INFINITY',
          booleanOp: 'or',
          expressions: [
            { op: 'not_defined', attribute: 'ethmonitor-eth0' },
            { op: 'ne', attribute: 'ethmonitor-eth0', value: '1', type: 'integer' },
          ],
        },
        source: at(13, 5, 'track_interface eth0'),
      },
      {
        kind: 'location',
        id: 'loc-g-VI_1-health',
        rsc: 'g-VI_1',
        rule: { id: 'loc-g-VI_1-health-rule', score: -50, expressions: [{ op: 'lt', attribute: 'ka-chk_disk', value: '1', type: 'integer' }] },
        source: at(24, 5, 'vrrp_script chk_disk weight -50'),
      },
      {
        kind: 'location',
        id: 'loc-g-VI_1-uname',
        rsc: 'g-VI_1',
        rule: { score: 100, expressions: [{ op: 'eq', attribute: '#uname', value: 'node1' }] },
        source: at(11, 5, 'priority 150'),
      },
    ],
  },
};

const fs = (id: string, params: Record<string, string>): Primitive => ({
  kind: 'primitive',
  id,
  agent: { class: 'ocf', provider: 'heartbeat', type: 'Filesystem' },
  instanceAttributes: nvs(params),
  operations: [monitor('20s', '40s')],
});

/** NFS served from the VIP holder: Filesystem → nfsserver → exportfs → IPaddr2 in one group. */
export const nfsGroup: ClusterModel = {
  name: 'nfs',
  nodes: twoNodes,
  corosync: knet2,
  cib: {
    properties: nvs({ 'stonith-enabled': 'false' }),
    opDefaults: nvs({ timeout: '60s' }),
    resources: [
      {
        kind: 'group',
        id: 'g-nfs',
        source: at(30, 1, 'notify_master "/etc/keepalived/nfs-up.sh"'),
        members: [
          fs('nfs-fs', { device: '/dev/vg0/nfs', directory: '/srv/nfs', fstype: 'xfs' }),
          {
            kind: 'primitive',
            id: 'nfs-daemon',
            agent: { class: 'ocf', provider: 'heartbeat', type: 'nfsserver' },
            instanceAttributes: nvs({ nfs_shared_infodir: '/srv/nfs/nfsinfo' }),
            operations: [monitor('10s', '20s')],
          },
          {
            kind: 'primitive',
            id: 'nfs-export',
            agent: { class: 'ocf', provider: 'heartbeat', type: 'exportfs' },
            instanceAttributes: nvs({ clientspec: '10.0.0.0/24', directory: '/srv/nfs/export', fsid: '1', options: 'rw,sync,no_root_squash' }),
            operations: [monitor('10s', '20s')],
          },
          { ...vip4, id: 'nfs-vip' },
        ],
      },
    ],
    constraints: [
      { kind: 'location', id: 'loc-g-nfs-node1', rsc: 'g-nfs', node: 'node1', score: 100 },
      { kind: 'location', id: 'loc-g-nfs-node2', rsc: 'g-nfs', node: 'node2', score: 50 },
    ],
  },
};

/** DRBD as a promotable clone, a filesystem on the Promoted side. */
export const drbd: ClusterModel = {
  name: 'data',
  nodes: twoNodes,
  corosync: knet2,
  cib: {
    properties: nvs({ 'stonith-enabled': 'false' }),
    resources: [
      {
        kind: 'clone',
        id: 'drbd-r0-clone',
        promotable: true,
        metaAttributes: nvs({ 'promoted-max': '1', 'promoted-node-max': '1', 'clone-max': '2', 'clone-node-max': '1', notify: 'true' }),
        child: {
          kind: 'primitive',
          id: 'drbd-r0',
          agent: { class: 'ocf', provider: 'linbit', type: 'drbd' },
          instanceAttributes: nvs({ drbd_resource: 'r0' }),
          operations: [monitor('29s', '20s', { role: 'Promoted' }), monitor('31s', '20s', { role: 'Unpromoted' })],
        },
      },
      fs('data-fs', { device: '/dev/drbd0', directory: '/srv/data', fstype: 'ext4' }),
    ],
    constraints: [
      { kind: 'colocation', id: 'col-fs-drbd', rsc: 'data-fs', withRsc: 'drbd-r0-clone', score: 'INFINITY', withRscRole: 'Promoted' },
      { kind: 'order', id: 'ord-drbd-fs', first: 'drbd-r0-clone', firstAction: 'promote', then: 'data-fs', thenAction: 'start' },
    ],
  },
};

/** Three nodes on two knet links, tuned totem, wait_for_all; one VIP with a preference order. */
export const threeNode: ClusterModel = {
  name: 'tri',
  nodes: [
    { name: 'node1', nodeId: 1, addresses: ['10.0.0.1', '10.1.0.1'] },
    { name: 'node2', nodeId: 2, addresses: ['10.0.0.2', '10.1.0.2'] },
    { name: 'node3', nodeId: 3, addresses: ['10.0.0.3', '10.1.0.3'] },
  ],
  corosync: {
    transport: 'knet',
    links: [
      { linknumber: 0, options: nvs({ knet_link_priority: '2' }) },
      { linknumber: 1, options: nvs({ knet_link_priority: '1' }) },
    ],
    totem: { token: 3000, consensus: 3600, tokenCoefficient: 650, source: at(4, 5, 'advert_int 1') },
    crypto: { cipher: 'aes256', hash: 'sha256' },
    quorum: { waitForAll: true },
  },
  cib: {
    properties: nvs({ 'stonith-enabled': 'false' }),
    resources: [{ ...vip4, id: 'vip' }],
    constraints: [
      { kind: 'location', id: 'loc-vip-node1', rsc: 'vip', node: 'node1', score: 150 },
      { kind: 'location', id: 'loc-vip-node2', rsc: 'vip', node: 'node2', score: 100 },
      { kind: 'location', id: 'loc-vip-node3', rsc: 'vip', node: 'node3', score: 50 },
    ],
  },
};

/** Values chosen to break naive quoting and escaping in every output. */
export const HOSTILE = `it's "quoted" <b>&amp; $(touch /tmp/pwned) \`id\` $HOME;\nrm -rf / # tab\there \\ end-`;

/** pcs 0.11.5 crashes (XPathEvalError) on a recipient value with a quote (see validateModel),
 * and recipients are compared by value, which Pacemaker would store with a literal \n for a newline. */
export const HOSTILE_RECIPIENT = HOSTILE.replace(/["'\n\t]/g, '');

/** A model whose values, descriptions and sources are all hostile. */
export const hostile: ClusterModel = {
  name: 'hostile',
  nodes: twoNodes,
  corosync: knet2,
  cib: {
    properties: nvs({ 'stonith-enabled': 'false' }),
    resources: [
      {
        kind: 'primitive',
        id: 'dummy',
        agent: { class: 'ocf', provider: 'pacemaker', type: 'Dummy' },
        instanceAttributes: nvs({ fake: HOSTILE }),
        metaAttributes: nvs({ 'target-role': 'Started' }),
        operations: [monitor('10s', '20s')],
        description: HOSTILE,
        source: { file: 'keepalived -- "odd".conf', line: 1, column: 1, text: HOSTILE },
      },
    ],
    constraints: [
      {
        kind: 'location',
        id: 'loc-dummy',
        rsc: 'dummy',
        rule: { score: 10, expressions: [{ op: 'eq', attribute: 'site', value: "it's" }] },
        source: { file: 'k.conf', line: 2, column: 1, text: '\n$(reboot)\n' },
      },
    ],
    alerts: [{ id: 'alert-hostile', path: '/usr/local/bin/a.sh', description: HOSTILE, recipients: [{ id: 'alert-hostile-r', value: HOSTILE_RECIPIENT }] }],
  },
};

/** Every fixture by name, in a stable order. */
export const FIXTURES: Record<string, ClusterModel> = { vipGroup, serviceClone, nfsGroup, drbd, threeNode, hostile };

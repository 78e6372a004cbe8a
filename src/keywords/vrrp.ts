/**
 * VRRP keywords (vrrp_parser.c): vrrp_instance, vrrp_sync_group, vrrp_script, vrrp_track_process, garp_group, linkbeat.
 *
 * Generated from keepalived 2.2.7's parsers (ranges from the read_* calls in each handler) and checked
 * against newer releases; edit by hand, there is no generator in this repository.
 */
import type { KeywordTable } from './types.js';
import { int, decimal, oneOf, bool, ip, ifname, path, word, script, rest, table } from './args.js';

/** Keywords of a `vrrp_sync_group` block (vrrp_sync_group). */
export const VRRP_SYNC_GROUP_KEYWORDS: KeywordTable = table([
  {
    name: 'group',
    block: 'lines',
    line: 'instance-ref',
    repeatable: true,
    doc: 'The VRRP instances of the sync group, one per line.',
  },
  {
    name: 'track_interface',
    block: 'lines',
    line: 'track-interface',
    repeatable: true,
    doc: 'Interfaces tracked by the whole sync group.',
  },
  {
    name: 'track_script',
    block: 'lines',
    line: 'track-script',
    repeatable: true,
    doc: 'vrrp_scripts tracked by the whole sync group.',
  },
  {
    name: 'track_file',
    block: 'lines',
    line: 'track-file',
    repeatable: true,
    doc: 'Track files tracked by the whole sync group.',
  },
  {
    name: 'track_process',
    block: 'lines',
    line: 'track-process',
    repeatable: true,
    since: '2.0.11',
    doc: 'Process to monitor, weight is added to effective priority.',
  },
  {
    name: 'track_bfd',
    block: 'lines',
    line: 'track-bfd',
    repeatable: true,
    doc: 'BFD instances tracked by the whole sync group.',
  },
  { name: 'notify_backup', args: [script('command')], doc: 'To BACKUP transition.' },
  { name: 'notify_master', args: [script('command')], doc: 'Script run on transition to MASTER.' },
  { name: 'notify_fault', args: [script('command')], doc: 'FAULT transition.' },
  { name: 'notify_stop', args: [script('command')], doc: 'Executed when stopping vrrp.' },
  { name: 'notify', args: [script('command')], doc: 'For ANY state transition.' },
  {
    name: 'smtp_alert',
    args: [bool('enabled')],
    doc: 'Send email notification during state transition, using addresses in global_defs above (default no, unless global...',
  },
  {
    name: 'global_tracking',
    deprecated: { note: 'deprecated: use track_* on the sync group', replacement: 'sync_group_tracking_weight' },
    doc: 'DEPRECATED. Use track_interface, track_script and track_file on vrrp_sync_groups instead.',
  },
  { name: 'sync_group_tracking_weight', doc: 'Allow sync groups to use differing weights.' },
  {
    name: 'notify_priority_changes',
    args: [bool('enabled')],
    since: '2.2.0',
    doc: 'Send FIFO notifies for vrrp priority changes.',
  },
]);

/** Keywords of a `garp_group` block (garp_group). */
export const GARP_GROUP_KEYWORDS: KeywordTable = table([
  {
    name: 'garp_interval',
    args: [decimal('garp interval', 0, 2147.483647, 6)],
    doc: 'Sets the interval between Gratuitous ARP (in seconds, resolution microseconds).',
  },
  {
    name: 'gna_interval',
    args: [decimal('gna interval', 0, 2147.483647, 6)],
    doc: 'Sets the default interval between unsolicited NA (in seconds, resolution microseconds).',
  },
  { name: 'interface', args: [ifname('interface')], doc: 'The physical interface to which the intervals apply.' },
  {
    name: 'interfaces',
    block: 'lines',
    line: 'words',
    repeatable: true,
    doc: 'A list of interfaces across which the delays are aggregated.',
  },
]);

/** Keywords of a `authentication` block (vrrp_instance/authentication). */
export const AUTHENTICATION_KEYWORDS: KeywordTable = table([
  {
    name: 'auth_type',
    args: [oneOf('type', ['PASS', 'AH'])],
    doc: 'Authentication type: PASS (simple password) or AH (IPsec AH).',
  },
  { name: 'auth_pass', args: [word('password (at most 8 characters used)')], doc: 'Password for accessing vrrpd.' },
]);

/** Keywords of a `auth_hmac` block (vrrp_instance/auth_hmac). */
export const AUTH_HMAC_KEYWORDS: KeywordTable = table([
  {
    name: 'key',
    args: [int('key id', 1, 255), word('key (hex:..., file:PATH or string)')],
    repeatable: true,
    since: '2.4.0',
    doc: 'A signing key: id 1-255 and the key.',
  },
  { name: 'active_key', args: [int('active key', 1, 255)], since: '2.4.0', doc: 'Key id used when sending.' },
  {
    name: 'time_window',
    args: [int('time window', 1, 300)],
    since: '2.4.0',
    doc: 'Freshness window in seconds, 1 to 300 (time mode only).',
  },
  { name: 'anti_replay', args: [oneOf('method', ['time', 'monotonic'])], since: '2.4.0', doc: 'Anti replay mode.' },
  {
    name: 'mode',
    args: [oneOf('mode', ['enforce', 'permissive', 'receive-only'])],
    since: '2.4.0',
    doc: 'HMAC authentication mode: enforce, permissive or receive-only.',
  },
]);

/** Keywords of a `vrrp_instance` block (vrrp_instance). */
export const VRRP_INSTANCE_KEYWORDS: KeywordTable = table([
  {
    name: 'use_vmac',
    args: [word('interface name or MAC', { optional: true }), word('MAC or interface name', { optional: true })],
    doc: 'Use VRRP Virtual MAC (macvlan).',
  },
  { name: 'use_vmac_addr', since: '2.2.0', doc: 'Create VMAC interfaces for each VIP interface that uses VMAC.' },
  { name: 'vmac_xmit_base', doc: 'Send and receive adverts on the base interface instead of the VMAC interface.' },
  {
    name: 'use_ipvlan',
    args: [rest('[INTERFACE_NAME] [IP_ADDRESS] [bridge|private|vepa]', { optional: true })],
    since: '2.0.17',
    doc: 'Use IPVLAN interface.',
  },
  {
    name: 'unicast_peer',
    block: 'lines',
    line: 'address',
    repeatable: true,
    doc: 'Send adverts by unicast to these peers instead of multicast.',
  },
  {
    name: 'unicast_fault_no_peer',
    since: '2.2.5',
    doc: 'Go to FAULT when unicast is configured but there are no peers.',
  },
  { name: 'check_unicast_src', since: '2.1.0', doc: 'Accept adverts only from configured unicast peers.' },
  {
    name: 'old_unicast_checksum',
    args: [oneOf('mode', ['never'], { optional: true })],
    doc: 'Use the pre-1.3.6 VRRPv3 unicast checksum ("never" to disable).',
  },
  {
    name: 'native_ipv6',
    deprecated: { note: 'deprecated: the addresses decide the family' },
    doc: 'Force instance to use IPv6 (this option is deprecated since the virtual ip addresses determine whether IPv4 or IPv6 is used).',
  },
  {
    name: 'state',
    args: [oneOf('state', ['MASTER', 'BACKUP'])],
    doc: 'Initial state, MASTER or BACKUP; the election decides after startup.',
  },
  { name: 'interface', args: [ifname('interface')], doc: 'Interface for inside_network, bound by vrrp.' },
  {
    name: 'vrf',
    args: [ifname('VRF')],
    since: '2.2.5',
    doc: 'VRF to operate in when unicasting without an interface.',
  },
  { name: 'dont_track_primary', doc: 'Ignore VRRP interface faults (default unset).' },
  {
    name: 'track_interface',
    block: 'lines',
    line: 'track-interface',
    repeatable: true,
    doc: 'Interfaces whose state changes the priority or faults the instance.',
  },
  {
    name: 'track_script',
    block: 'lines',
    line: 'track-script',
    repeatable: true,
    doc: 'vrrp_scripts whose result changes the priority or faults the instance.',
  },
  {
    name: 'track_file',
    block: 'lines',
    line: 'track-file',
    repeatable: true,
    doc: 'Track files whose value changes the priority.',
  },
  {
    name: 'track_process',
    block: 'lines',
    line: 'track-process',
    repeatable: true,
    since: '2.0.11',
    doc: 'vrrp_track_processes whose state changes the priority.',
  },
  {
    name: 'track_bfd',
    block: 'lines',
    line: 'track-bfd',
    repeatable: true,
    doc: 'BFD instances whose state changes the priority.',
  },
  { name: 'mcast_src_ip', args: [ip('address')], doc: 'Default IP for binding vrrpd is the primary IP on interface.' },
  { name: 'unicast_src_ip', args: [ip('address')], doc: 'Source address of unicast adverts.' },
  {
    name: 'mcast_dst_ip',
    args: [ip('multicast address')],
    since: '2.2.5',
    doc: 'Specify an alternative multicast address to use as the destination of VRRP adverts and for listening for adverts.',
  },
  {
    name: 'track_src_ip',
    doc: 'If the configured src_ip doesn\'t exist or is removed put the instance into fault state.',
  },
  {
    name: 'virtual_router_id',
    args: [int('VRID', 1, 255)],
    doc: 'Virtual router id, 1-255; the same on every node of the instance.',
  },
  {
    name: 'unicast_ttl',
    args: [int('unicast ttl', 0, 255)],
    since: '2.1.0',
    doc: 'Specify the unicast TTL/HLIM for sending unicast adverts.',
  },
  {
    name: 'version',
    args: [int('version', 2, 3)],
    doc: 'VRRP version of the instance (default: global vrrp_version; IPv6 always uses 3).',
  },
  {
    name: 'priority',
    args: [int('priority', 1, 255)],
    doc: 'Election priority, 1-255; 255 is the address owner; the highest effective priority wins.',
  },
  {
    name: 'advert_int',
    args: [decimal('advert int', 0.01, 255, 6)],
    doc: 'Advert interval in seconds (resolution 10 ms for VRRPv3).',
  },
  {
    name: 'virtual_ipaddress',
    block: 'lines',
    line: 'vip',
    repeatable: true,
    doc: 'The virtual addresses this instance holds while MASTER.',
  },
  {
    name: 'virtual_ipaddress_excluded',
    block: 'lines',
    line: 'vip',
    repeatable: true,
    doc: 'VRRP IP excluded from VRRP optional.',
  },
  {
    name: 'promote_secondaries',
    doc: 'Set the promote_secondaries flag on the interface to stop other addresses in the same CIDR being removed when 1 of them is removed.',
  },
  {
    name: 'linkbeat_use_polling',
    deprecated: { note: 'deprecated in vrrp_instance', replacement: 'linkbeat_interfaces' },
    doc: 'Poll link state instead of using netlink.',
  },
  {
    name: 'virtual_routes',
    block: 'lines',
    line: 'route',
    repeatable: true,
    doc: 'Routes add|del when changing to MASTER, to BACKUP.',
  },
  {
    name: 'virtual_rules',
    block: 'lines',
    line: 'rule',
    repeatable: true,
    doc: 'Rules add|del when changing to MASTER, to BACKUP.',
  },
  { name: 'accept', doc: 'Accept packets addressed to the VIPs when not the address owner (VRRPv3 Accept Mode).' },
  { name: 'no_accept', doc: 'Drop packets to non address-owner.' },
  {
    name: 'skip_check_adv_addr',
    args: [bool('enabled')],
    doc: 'Skip checking the addresses in adverts from the same master.',
  },
  { name: 'strict_mode', args: [bool('enabled')], doc: 'Strict RFC compliance for this instance.' },
  { name: 'preempt', doc: 'Preempt (the default); kept for backwards compatibility.' },
  {
    name: 'nopreempt',
    doc: 'A higher priority VRRP instance will normally preempt a lower priority instance when it comes online.',
  },
  {
    name: 'preempt_delay',
    args: [decimal('preempt delay', 0, 1000, 6)],
    doc: 'Seconds of delay until preemption after getting the advertisement timeout at startup or when seeing a lower priority master.',
  },
  { name: 'debug', args: [int('debug', 0, 4)], doc: 'Debug level, not implemented yet.' },
  { name: 'notify_backup', args: [script('command')], doc: 'To BACKUP transition.' },
  { name: 'notify_master', args: [script('command')], doc: 'Script run on transition to MASTER.' },
  { name: 'notify_fault', args: [script('command')], doc: 'FAULT transition.' },
  { name: 'notify_stop', args: [script('command')], doc: 'Executed when stopping vrrp.' },
  {
    name: 'notify_deleted',
    args: [script('command', { optional: true })],
    since: '2.1.0',
    doc: 'Notify_deleted causes DELETED to be sent to notifies rather than the default FAULT after a vrrp instance is deleted during a reload.',
  },
  { name: 'notify', args: [script('command')], doc: 'For ANY state transition.' },
  {
    name: 'notify_master_rx_lower_pri',
    args: [script('command')],
    since: '2.0.6',
    doc: 'The notify_master_rx_lower_pri script is executed if a master receives an advert with priority lower than the master\'s priority.',
  },
  { name: 'smtp_alert', args: [bool('enabled')], doc: 'Send SMTP alerts.' },
  {
    name: 'notify_priority_changes',
    args: [bool('enabled')],
    since: '2.0.16',
    doc: 'Send vrrp instance priority notifications on notify FIFOs.',
  },
  {
    name: 'lvs_sync_daemon_interface',
    args: [ifname('interface')],
    deprecated: { note: 'deprecated after 1.2.19 in vrrp_instance', replacement: 'lvs_sync_daemon' },
    doc: 'Old per-instance form of global lvs_sync_daemon.',
  },
  {
    name: 'garp_master_delay',
    args: [int('garp master delay', 0, 4294)],
    doc: 'Seconds after becoming MASTER before the second set of gratuitous ARPs.',
  },
  {
    name: 'garp_master_refresh',
    args: [int('garp master refresh', 0, 4294967295)],
    doc: 'Seconds between gratuitous ARP refreshes while MASTER (0 = none).',
  },
  {
    name: 'garp_master_repeat',
    args: [int('garp master repeat', 0, 4294967295)],
    doc: 'Number of gratuitous ARPs sent at a time on becoming MASTER.',
  },
  {
    name: 'garp_master_refresh_repeat',
    args: [int('garp master refresh repeat', 0, 4294967295)],
    doc: 'Number of gratuitous ARPs sent at each refresh.',
  },
  {
    name: 'garp_lower_prio_delay',
    args: [int('garp lower prio delay', 0, 4294)],
    doc: 'Delay of the second set of gratuitous ARPs after a lower-priority advert.',
  },
  {
    name: 'garp_lower_prio_repeat',
    args: [int('garp lower prio repeat', 0, 2147483647)],
    doc: 'Number of gratuitous ARPs sent after a lower-priority advert.',
  },
  {
    name: 'down_timer_adverts',
    args: [int('down timer adverts', 1, 100)],
    since: '2.2.3',
    doc: 'The VRRP RFCs state that the master down timer is 3 advert intervals plus a skew time.',
  },
  {
    name: 'garp_extra_if',
    args: [word('all | interval (0-86400 s)'), word('interval or all', { optional: true })],
    since: '2.2.3',
    doc: 'Periodic GARP/NA interval (seconds) on VIP interfaces other than the instance interface; "all" for every interface.',
  },
  {
    name: 'vmac_garp_intvl',
    args: [word('all | interval (0-86400 s)'), word('interval or all', { optional: true })],
    deprecated: { note: 'deprecated after 2.2.2 (misnamed keyword)', replacement: 'garp_extra_if' },
    since: '2.2.0',
    doc: 'Old name of garp_extra_if.',
  },
  {
    name: 'lower_prio_no_advert',
    args: [bool('enabled')],
    doc: 'If a lower priority advert is received, don\'t send another advert.',
  },
  {
    name: 'higher_prio_send_advert',
    args: [bool('enabled')],
    doc: 'If we are master and receive a higher priority advert, send an advert.',
  },
  {
    name: 'kernel_rx_buf_size',
    args: [int('kernel rx buf size', 0, 4294967295)],
    since: '2.0.3',
    doc: 'Set socket receive buffer size (see global_defs vrrp_rx_bufs_policy for explanation).',
  },
  {
    name: 'authentication',
    block: 'keywords',
    children: AUTHENTICATION_KEYWORDS,
    doc: 'VRRPv2 authentication (not RFC compliant, discouraged).',
  },
  { name: 'no_virtual_ipaddress', since: '2.2.8', doc: 'Allow an instance with no virtual addresses.' },
  {
    name: 'v3_checksum_as_v2',
    args: [bool('enabled')],
    since: '2.2.8',
    doc: 'Compute VRRPv3 checksums without the pseudo-header, as some vendors do.',
  },
  {
    name: 'timer_expired_backup',
    args: [int('other priority', 1, 254, { optional: true })],
    since: '2.2.8',
    doc: 'Go BACKUP when the master-down timer expires but a master is seen (optional priority).',
  },
  {
    name: 'thread_timer_expired',
    args: [int('other priority', 1, 254, { optional: true })],
    deprecated: { note: 'deprecated: keepalived asks for the new name', replacement: 'timer_expired_backup' },
    since: '2.3.2',
    doc: 'Old name of timer_expired_backup.',
  },
  {
    name: 'owner_ignore_adverts',
    args: [bool('enabled')],
    since: '2.3.3',
    doc: 'An address owner (priority 255) ignores adverts from other masters.',
  },
  {
    name: 'auth_hmac',
    block: 'keywords',
    children: AUTH_HMAC_KEYWORDS,
    since: '2.4.0',
    doc: 'RFC-less HMAC authentication of VRRP adverts.',
  },
]);

/** Keywords of a `vrrp_script` block (vrrp_script). */
export const VRRP_SCRIPT_KEYWORDS: KeywordTable = table([
  { name: 'script', args: [script('command')], doc: 'Path of the script to execute.' },
  {
    name: 'interval',
    args: [int('interval', 0, 4294)],
    doc: 'Seconds between runs of the script (keepalived replaces 0 by 1).',
  },
  { name: 'timeout', args: [int('timeout', 0, 4294)], doc: 'Seconds after which script is considered to have failed.' },
  {
    name: 'weight',
    args: [int('weight', -253, 253), oneOf('reverse', ['reverse'], { optional: true })],
    doc: 'Priority change while the script fails (negative) or succeeds (positive); reverse inverts it.',
  },
  { name: 'rise', args: [int('rise', 1, 2147483647)], doc: 'Required number of successes for OK transition.' },
  { name: 'fall', args: [int('fall', 1, 2147483647)], doc: 'Required number of successes for KO transition.' },
  {
    name: 'user',
    args: [word('user'), word('group', { optional: true })],
    doc: 'User/group names to run script under.',
  },
  { name: 'init_fail', doc: 'Assume script initially is in failed state.' },
]);

/** Keywords of a `vrrp_track_process` block (vrrp_track_process). */
export const VRRP_TRACK_PROCESS_KEYWORDS: KeywordTable = table([
  {
    name: 'process',
    args: [path('process name or path'), rest('parameters', { optional: true })],
    since: '2.0.11',
    doc: 'Process to monitor (with optional parameters).',
  },
  {
    name: 'param_match',
    args: [oneOf('match', ['initial', 'partial'], { optional: true })],
    since: '2.0.16',
    doc: 'How process parameters are matched: exact (default), initial or partial.',
  },
  {
    name: 'weight',
    args: [int('weight', -254, 254), oneOf('reverse', ['reverse'], { optional: true })],
    since: '2.0.11',
    doc: 'Default weight (default is 1).',
  },
  { name: 'quorum', args: [int('quorum', 1, 65535)], since: '2.0.11', doc: 'Minimum number of processes for success.' },
  {
    name: 'quorum_max',
    args: [int('quorum max', 0, 65535)],
    since: '2.0.16',
    doc: 'Maximum number of processes for success.',
  },
  {
    name: 'delay',
    args: [decimal('delay', 0.000001, 3600, 6)],
    since: '2.0.11',
    doc: 'This sets fork_delay and terminate_delay.',
  },
  {
    name: 'terminate_delay',
    args: [decimal('terminate delay', 0.000001, 3600, 6)],
    since: '2.0.16',
    doc: 'Time to delay after process quorum lost before consider process down (in fractions of second).',
  },
  {
    name: 'fork_delay',
    args: [decimal('fork delay', 0.000001, 3600, 6)],
    since: '2.0.16',
    doc: 'Time to delay after process quorum gained after fork before consider process up (in fractions of second).',
  },
  { name: 'full_command', since: '2.0.11', doc: 'Match the full command line rather than the process name.' },
]);

/** Root keywords defined in this file. */
export const VRRP_ROOT: KeywordTable = table([
  {
    name: 'vrrp_sync_group',
    args: [word('name')],
    block: 'keywords',
    children: VRRP_SYNC_GROUP_KEYWORDS,
    repeatable: true,
    doc: 'Instances that change state together.',
  },
  {
    name: 'garp_group',
    block: 'keywords',
    children: GARP_GROUP_KEYWORDS,
    repeatable: true,
    doc: 'Limits on gratuitous ARP / NA rates for a set of interfaces.',
  },
  {
    name: 'linkbeat_interfaces',
    block: 'lines',
    line: 'words',
    repeatable: true,
    since: '2.0.13',
    doc: 'Interfaces whose link state is polled with ioctls (not netlink).',
  },
  {
    name: 'vrrp_instance',
    args: [word('name')],
    block: 'keywords',
    children: VRRP_INSTANCE_KEYWORDS,
    repeatable: true,
    doc: 'A VRRP instance: one virtual router (VRID) on one interface.',
  },
  {
    name: 'vrrp_script',
    args: [word('name')],
    block: 'keywords',
    children: VRRP_SCRIPT_KEYWORDS,
    repeatable: true,
    doc: 'A script whose exit status is tracked by instances (track_script).',
  },
  {
    name: 'vrrp_track_process',
    args: [word('name')],
    block: 'keywords',
    children: VRRP_TRACK_PROCESS_KEYWORDS,
    repeatable: true,
    since: '2.0.11',
    doc: 'A process whose presence is tracked by instances (track_process).',
  },
  {
    name: 'interface_up_down_delays',
    block: 'lines',
    line: 'words',
    repeatable: true,
    since: '2.2.3',
    doc: 'Per-interface delays before acting on link up/down.',
  },
]);

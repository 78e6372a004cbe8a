/**
 * LVS keywords (check_parser.c): virtual_server, real_server, virtual_server_group and the SSL context.
 *
 * Generated from keepalived 2.2.7's parsers (ranges from the read_* calls in each handler) and checked
 * against newer releases; edit by hand, there is no generator in this repository.
 */
import type { KeywordSpec, KeywordTable } from './types.js';
import { int, decimal, oneOf, bool, ip, port, path, word, script, rest, TIMER_MAX, table } from './args.js';
import { CHECKERS } from './checkers.js';

/** Keywords of a `SSL` block (SSL). */
export const SSL_KEYWORDS: KeywordTable = table([
  { name: 'password', args: [word('password')], doc: 'Password of the SSL key.' },
  { name: 'ca', args: [path('file')], doc: 'CA file.' },
  { name: 'certificate', args: [path('file')], doc: 'Certificate file.' },
  { name: 'key', args: [path('file')], doc: 'Key file.' },
]);

/**
 * Checker timing, set on a virtual_server as the default of its real servers
 * or on one real_server (check_parser.c registers the same handlers at both
 * levels).
 */
const CHECK_TIMING: readonly KeywordSpec[] = [
  {
    name: 'retry',
    args: [int('retry', 1, 4294967295)],
    doc: 'Retry count to make additional checks if check of an alive server fails.',
  },
  {
    name: 'delay_before_retry',
    args: [decimal('delay before retry', 0, TIMER_MAX, 6)],
    doc: 'Delay before retry after failure.',
  },
  {
    name: 'warmup',
    args: [decimal('warmup', 0, TIMER_MAX, 6)],
    doc: 'Optional random delay to start the initial check for maximum N seconds.',
  },
  {
    name: 'connect_timeout',
    args: [decimal('connect timeout', 0.000001, 4294.967295, 6)],
    since: '2.0.13',
    doc: 'Optional connection timeout in seconds.',
  },
  {
    name: 'delay_loop',
    args: [decimal('delay loop', 0.000001, TIMER_MAX, 6)],
    doc: 'Delay timer for checker polling (60 seconds if not specified).',
  },
];

/** Keywords of a `real_server` block (virtual_server/real_server). */
export const REAL_SERVER_KEYWORDS: KeywordTable = table([
  { name: 'weight', args: [int('weight', 0, 2147483647)], doc: 'Relative weight of the real server (default 1).' },
  {
    name: 'lvs_method',
    args: [oneOf('method', ['NAT', 'DR', 'TUN']), rest('TUN options: [type ipip|gue|gre] [port 1-65535] [nocsum|csum|remcsum]', { optional: true })],
    doc: 'LVS forwarding method.',
  },
  { name: 'uthreshold', args: [int('uthreshold', 0, 4294967295)], doc: 'Maximum number of connections to server.' },
  { name: 'lthreshold', args: [int('lthreshold', 0, 4294967295)], doc: 'Minimum number of connections to server.' },
  { name: 'inhibit_on_failure', args: [bool('enabled')], doc: 'Set weight to 0 when healthchecker detects failure.' },
  {
    name: 'notify_up',
    args: [script('command')],
    doc: 'Script to execute when healthchecker considers service as up.',
  },
  {
    name: 'notify_down',
    args: [script('command')],
    doc: 'Script to execute when healthchecker considers service as down.',
  },
  {
    name: 'alpha',
    args: [bool('enabled')],
    doc: 'On daemon startup assume that all RSs are down and healthchecks failed.',
  },
  ...CHECK_TIMING,
  {
    name: 'smtp_alert',
    args: [bool('enabled')],
    doc: 'Send email notification during state transition, using addresses in global_defs above (default yes, unless global...',
  },
  {
    name: 'virtualhost',
    args: [word('host name')],
    doc: 'Default VirtualHost string for HTTP_GET or SSL_GET eg virtualhost www.firewall.loc.',
  },
  { name: 'snmp_name', args: [word('name')], since: '2.2.3', doc: 'Name returned in SNMP data for this server.' },
  ...CHECKERS,
]);

/** Keywords of a `virtual_server` block (virtual_server). */
export const VIRTUAL_SERVER_KEYWORDS: KeywordTable = table([
  {
    name: 'ip_family',
    args: [oneOf('family', ['inet', 'inet6'])],
    doc: 'IP family for a fwmark service (only needed if all real servers are tunnelled and persistence_granularity is not specified).',
  },
  ...CHECK_TIMING,
  { name: 'inhibit_on_failure', args: [bool('enabled')], doc: 'Set weight to 0 when healthchecker detects failure.' },
  {
    name: 'lb_algo',
    args: [oneOf('scheduler', ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos'])],
    deprecated: { note: 'old name kept for compatibility (keepalived does not warn)', replacement: 'lvs_sched' },
    doc: 'Old name of lvs_sched.',
  },
  {
    name: 'lvs_sched',
    args: [oneOf('scheduler', ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'sh', 'mh', 'dh', 'fo', 'ovf', 'lblcr', 'sed', 'nq', 'twos'])],
    doc: 'LVS scheduler.',
  },
  { name: 'hashed', doc: 'IPVS scheduler flag: hashed (obsolete flag, still accepted).' },
  { name: 'ops', doc: 'One-packet scheduling (UDP).' },
  { name: 'flag-1', doc: 'IPVS scheduler flag 1.' },
  { name: 'flag-2', doc: 'IPVS scheduler flag 2.' },
  { name: 'flag-3', doc: 'IPVS scheduler flag 3.' },
  { name: 'sh-port', doc: 'sh scheduler: include the port in the hash.' },
  { name: 'sh-fallback', doc: 'sh scheduler: fall back if server unavailable.' },
  { name: 'mh-port', since: '2.0.20', doc: 'mh scheduler: include the port in the hash.' },
  { name: 'mh-fallback', since: '2.0.20', doc: 'mh scheduler: fall back if server unavailable.' },
  {
    name: 'lb_kind',
    args: [oneOf('method', ['NAT', 'DR', 'TUN']), rest('TUN options: [type ipip|gue|gre] [port 1-65535] [nocsum|csum|remcsum]', { optional: true })],
    deprecated: { note: 'old name kept for compatibility (keepalived does not warn)', replacement: 'lvs_method' },
    doc: 'Old name of lvs_method.',
  },
  {
    name: 'lvs_method',
    args: [oneOf('method', ['NAT', 'DR', 'TUN']), rest('TUN options: [type ipip|gue|gre] [port 1-65535] [nocsum|csum|remcsum]', { optional: true })],
    doc: 'Override default LVS forwarding method (default is NAT).',
  },
  {
    name: 'persistence_engine',
    args: [word('engine')],
    doc: 'LVS persistence engine name (currently only sip supported).',
  },
  {
    name: 'persistence_timeout',
    args: [int('seconds', 1, 2678400, { optional: true })],
    doc: 'LVS persistence timeout in seconds, default 6 minutes.',
  },
  {
    name: 'persistence_granularity',
    args: [int('persistence granularity', 1, 128)],
    doc: 'LVS granularity mask (-M in ipvsadm).',
  },
  { name: 'protocol', args: [oneOf('protocol', ['TCP', 'UDP', 'SCTP'], { ci: true })], doc: 'L4 protocol.' },
  { name: 'ha_suspend', doc: 'If VS IP address is not set, suspend healthchecker\'s activity.' },
  {
    name: 'smtp_alert',
    args: [bool('enabled')],
    doc: 'Send email notification during quorum up/down transition, using addresses in global_defs above (default no, unless global...',
  },
  {
    name: 'virtualhost',
    args: [word('host name')],
    doc: 'Default VirtualHost string for HTTP_GET or SSL_GET eg virtualhost www.firewall.loc.',
  },
  { name: 'snmp_name', args: [word('name')], since: '2.2.3', doc: 'Name returned in SNMP data for this server.' },
  {
    name: 'alpha',
    args: [bool('enabled')],
    doc: 'On daemon startup assume that all RSs are down and healthchecks failed.',
  },
  {
    name: 'omega',
    args: [bool('enabled')],
    doc: 'On daemon shutdown consider quorum and RS down notifiers for execution, where appropriate.',
  },
  { name: 'quorum_up', args: [script('command')], doc: 'Script to execute when quorum is gained.' },
  { name: 'quorum_down', args: [script('command')], doc: 'Script to execute when quorum is lost.' },
  {
    name: 'quorum',
    args: [int('quorum', 1, 4294967295)],
    doc: 'Minimum total weight of all live servers in the pool necessary to operate VS with no quality regression.',
  },
  {
    name: 'hysteresis',
    args: [int('hysteresis', 0, 4294967295)],
    doc: 'Tolerate this much weight units compared to the nominal quorum, when considering quorum gain or loss.',
  },
  { name: 'weight', args: [int('weight', 1, 2147483647)], doc: 'Weight of the virtual server.' },
  {
    name: 'sorry_server',
    args: [ip('address'), port('port', { optional: true })],
    doc: 'RS to add to LVS topology when the quorum isn\'t achieved.',
  },
  {
    name: 'sorry_server_inhibit',
    args: [bool('enabled')],
    doc: 'Applies inhibit_on_failure behaviour to the sorry_server.',
  },
  {
    name: 'sorry_server_lvs_method',
    args: [oneOf('method', ['NAT', 'DR', 'TUN']), rest('TUN options: [type ipip|gue|gre] [port 1-65535] [nocsum|csum|remcsum]', { optional: true })],
    doc: 'Sorry server LVS forwarding method.',
  },
  {
    name: 'real_server',
    args: [ip('address'), port('port', { optional: true })],
    block: 'keywords',
    children: REAL_SERVER_KEYWORDS,
    repeatable: true,
    doc: 'A real (backend) server of the virtual service.',
  },
  {
    name: 'nat_mask',
    args: [ip('netmask')],
    removed: '1.2.20',
    doc: 'Netmask for LVS NAT (ignored since 1.2.x, removed in 1.2.20).',
  },
]);

/** Root keywords defined in this file. */
export const CHECK_ROOT: KeywordTable = table([
  { name: 'SSL', block: 'keywords', children: SSL_KEYWORDS, doc: 'SSL context for SSL_GET checkers.' },
  {
    name: 'virtual_server_group',
    args: [word('name')],
    block: 'lines',
    line: 'vsg-entry',
    repeatable: true,
    doc: 'A group of addresses/ports/fwmarks shared by one virtual_server.',
  },
  {
    name: 'virtual_server',
    args: [word('address, "group NAME" or "fwmark N"'), word('port or name/mark', { optional: true })],
    block: 'keywords',
    children: VIRTUAL_SERVER_KEYWORDS,
    repeatable: true,
    doc: 'An LVS (IPVS) virtual service.',
  },
]);

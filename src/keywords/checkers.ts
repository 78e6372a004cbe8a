/**
 * Health checkers of a real_server (check_*.c): HTTP_GET, SSL_GET, TCP_CHECK, MISC_CHECK, SMTP_CHECK, DNS_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK, BFD_CHECK.
 *
 * Generated from keepalived 2.2.7's parsers (ranges from the read_* calls in each handler) and checked
 * against newer releases; edit by hand, there is no generator in this repository.
 */
import type { KeywordSpec, KeywordTable } from './types.js';
import { int, decimal, oneOf, bool, ip, ifname, ref, word, script, rest, TIMER_MAX, table } from './args.js';

/** Connection keywords shared by the checkers that open a connection (all but MISC_CHECK, FILE_CHECK, BFD_CHECK). */
export const CONNECTION_KEYWORDS: readonly KeywordSpec[] = [
  { name: 'connect_ip', args: [ip('address')], doc: 'Address to connect to (default: the real server address).' },
  { name: 'connect_port', args: [int('port', 1, 65535)], doc: 'Port to connect to (default: the real server port).' },
  { name: 'bindto', args: [ip('address')], doc: 'Optional address to use to originate the connection.' },
  { name: 'bind_port', args: [int('port', 1, 65535)], doc: 'Optional source port to originate the connection from.' },
  { name: 'bind_if', args: [ifname('interface')], doc: 'Optional interface to use.' },
  {
    name: 'connect_timeout',
    args: [decimal('connect timeout', 0.000001, 4294.967295, 6)],
    doc: 'Optional connection timeout in seconds.',
  },
  { name: 'fwmark', args: [int('fwmark', 0, 4294967295)], doc: 'Firewall mark put on the check packets.' },
];

/** Keywords every connecting checker and MISC_CHECK share (install_checker_common_keywords). */
export const CHECKER_COMMON_KEYWORDS: readonly KeywordSpec[] = [
  {
    name: 'retry',
    args: [int('retry', 0, 4294967295)],
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
    name: 'delay_loop',
    args: [decimal('delay loop', 0.000001, TIMER_MAX, 6)],
    doc: 'Delay timer for checker polling (60 seconds if not specified).',
  },
  {
    name: 'alpha',
    args: [bool('enabled')],
    doc: 'On daemon startup assume that all RSs are down and healthchecks failed.',
  },
  {
    name: 'log_all_failures',
    args: [bool('enabled')],
    since: '2.0.11',
    doc: 'Log every failed check, not only state changes.',
  },
];

/** Keywords of a `MISC_CHECK` block (virtual_server/real_server/MISC_CHECK). */
export const MISC_CHECK_KEYWORDS: KeywordTable = table([
  ...CHECKER_COMMON_KEYWORDS,
  { name: 'misc_path', args: [script('script')], doc: 'External script or program.' },
  { name: 'misc_timeout', args: [int('misc timeout', 0, 4294)], doc: 'Script execution timeout.' },
  {
    name: 'misc_dynamic',
    doc: 'If misc_dynamic is set, the exit code from healthchecker is used to dynamically adjust the weight as follows.',
  },
  {
    name: 'user',
    args: [word('user'), word('group', { optional: true })],
    doc: 'Specify the username/groupname that the script should be run under.',
  },
]);

/** Keywords of a `host` block (virtual_server/real_server/SMTP_CHECK/host). */
export const SMTP_HOST_KEYWORDS: KeywordTable = table([
  ...CONNECTION_KEYWORDS,
  ...CHECKER_COMMON_KEYWORDS,
]);

/** Keywords of a `SMTP_CHECK` block (virtual_server/real_server/SMTP_CHECK). */
export const SMTP_CHECK_KEYWORDS: KeywordTable = table([
  ...CONNECTION_KEYWORDS,
  ...CHECKER_COMMON_KEYWORDS,
  { name: 'helo_name', args: [word('helo name')], doc: 'Optional string to use for the SMTP HELO request.' },
  {
    name: 'host',
    block: 'keywords',
    children: SMTP_HOST_KEYWORDS,
    repeatable: true,
    deprecated: { note: 'deprecated: define more SMTP_CHECKs instead' },
    doc: 'A host of an SMTP_CHECK (old syntax).',
  },
]);

/** Keywords of a `PING_CHECK` block (virtual_server/real_server/PING_CHECK). */
export const PING_CHECK_KEYWORDS: KeywordTable = table([
  ...CONNECTION_KEYWORDS,
  ...CHECKER_COMMON_KEYWORDS,
]);

/** Keywords of a `UDP_CHECK` block (virtual_server/real_server/UDP_CHECK). */
export const UDP_CHECK_KEYWORDS: KeywordTable = table([
  ...CONNECTION_KEYWORDS,
  ...CHECKER_COMMON_KEYWORDS,
  {
    name: 'payload',
    args: [rest('hex bytes', { optional: true })],
    since: '2.2.0',
    doc: 'Hex data sent in the UDP datagram.',
  },
  {
    name: 'require_reply',
    args: [rest('hex bytes (x = wildcard)', { optional: true })],
    since: '2.1.0',
    doc: 'Hex data the reply must match (x is a wildcard nibble).',
  },
  {
    name: 'min_reply_length',
    args: [int('min reply length', 0, 65535)],
    since: '2.2.0',
    doc: 'Minimum length of the UDP reply.',
  },
  {
    name: 'max_reply_length',
    args: [int('max reply length', 0, 65535)],
    since: '2.2.0',
    doc: 'Maximum length of the UDP reply.',
  },
]);

/** Keywords of a `url` block (virtual_server/real_server/HTTP_GET/url). */
export const URL_KEYWORDS: KeywordTable = table([
  { name: 'path', args: [word('path')], doc: 'URL path to fetch.' },
  { name: 'digest', args: [word('MD5 digest (hex)')], doc: 'Expected MD5 digest of the page (see genhash).' },
  {
    name: 'status_code',
    args: [word('code or range (e.g. 200-299)', { repeat: true })],
    repeatable: true,
    doc: 'Status code returned in the HTTP header eg status_code 200 or status_code 200-299 400-499 503 505.',
  },
  { name: 'virtualhost', args: [word('host name')], doc: 'VirtualHost string.' },
  {
    name: 'regex',
    args: [rest('regular expression')],
    since: '2.0.7',
    doc: 'Regular expression to search returned data against.',
  },
  {
    name: 'regex_no_match',
    since: '2.0.7',
    doc: 'Reverse the sense of the match, so a match of the returned text causes the check to fail.',
  },
  {
    name: 'regex_options',
    args: [word('option', { repeat: true })],
    repeatable: true,
    since: '2.0.7',
    doc: 'Space separated list of options for regex.',
  },
  {
    name: 'regex_min_offset',
    args: [int('offset', 0, 4294967295)],
    since: '2.0.7',
    doc: 'The minimum offset into the returned data to start checking for the regex pattern match.',
  },
  {
    name: 'regex_max_offset',
    args: [int('offset', 0, 4294967295)],
    since: '2.0.7',
    doc: 'The maximum offset into the returned data for the start of the subject match.',
  },
  {
    name: 'regex_stack',
    args: [int('start size', 0, 4294967295), int('max size', 0, 4294967295)],
    since: '2.0.7',
    doc: 'For complicated regular expressions a larger stack may be needed, and this allows the start and maximum sizes in bytes to be specified.',
  },
  {
    name: 'tls_compliant',
    args: [bool('enabled')],
    since: '2.2.8',
    doc: 'SSL_GET only - see SSL_GET below for description.',
  },
]);

/** Keywords of a `HTTP_GET` block (virtual_server/real_server/HTTP_GET). */
export const HTTP_GET_KEYWORDS: KeywordTable = table([
  ...CONNECTION_KEYWORDS,
  ...CHECKER_COMMON_KEYWORDS,
  {
    name: 'nb_get_retry',
    args: [int('nb get retry', 0, 4294967295)],
    deprecated: { note: 'deprecated: keepalived reports a config error', replacement: 'retry' },
    doc: 'Old name of retry.',
  },
  { name: 'virtualhost', args: [word('host name')], doc: 'VirtualHost string.' },
  {
    name: 'http_protocol',
    args: [oneOf('version', ['1.0', '1.1', '1.0C', '1.0c'])],
    since: '2.0.17',
    doc: 'HTTP protocol version, one of 1.0, 1.0C, 1.1.',
  },
  {
    name: 'enable_sni',
    args: [bool('enabled')],
    doc: 'When provided, send Server Name Indicator during SSL handshake.',
  },
  {
    name: 'fast_recovery',
    args: [bool('enabled')],
    since: '2.0.17',
    doc: 'When alpha mode is set, or when recovering from a failure, each URL is checked, with a delay of <delay_loop> between each check.',
  },
  { name: 'url', block: 'keywords', children: URL_KEYWORDS, repeatable: true, doc: 'A URL to fetch and check.' },
  {
    name: 'sni_name',
    args: [word('name')],
    since: '2.4.4',
    doc: 'If SNI_name is specified, it will be used as the SNI.',
  },
  {
    name: 'tls_compliant',
    args: [bool('enabled')],
    since: '2.2.8',
    doc: 'SSL_GET only - see SSL_GET below for description.',
  },
]);

/** Keywords of a `DNS_CHECK` block (virtual_server/real_server/DNS_CHECK). */
export const DNS_CHECK_KEYWORDS: KeywordTable = table([
  ...CONNECTION_KEYWORDS,
  ...CHECKER_COMMON_KEYWORDS,
  {
    name: 'type',
    args: [oneOf('type', ['A', 'NS', 'CNAME', 'SOA', 'MX', 'TXT', 'AAAA', 'RRSIG', 'DNSKEY'], { ci: true })],
    doc: 'DNS query type.',
  },
  { name: 'name', args: [word('name')], doc: 'Domain name queried (default ".").' },
]);

/** Keywords of a `FILE_CHECK` block (virtual_server/real_server/FILE_CHECK). */
export const FILE_CHECK_KEYWORDS: KeywordTable = table([
  {
    name: 'track_file',
    args: [ref('track_file', 'vrrp_track_file')],
    since: '2.1.0',
    doc: 'The track_file whose value is the check result.',
  },
  {
    name: 'weight',
    args: [int('weight', -2147483647, 2147483647), oneOf('reverse', ['reverse', 'noreverse'], { optional: true })],
    since: '2.1.0',
    doc: 'Multiplier applied to the value read from the file.',
  },
]);

/** Keywords of a `BFD_CHECK` block (virtual_server/real_server/BFD_CHECK). */
export const BFD_CHECK_KEYWORDS: KeywordTable = table([
  {
    name: 'name',
    args: [ref('bfd instance', 'bfd_instance')],
    doc: 'The bfd_instance whose state is the check result.',
  },
  {
    name: 'alpha',
    args: [bool('enabled')],
    doc: 'On daemon startup assume that all RSs are down and healthchecks failed.',
  },
]);

/** The checker blocks a `real_server` may contain (several of each are allowed). */
export const CHECKERS: readonly KeywordSpec[] = [
  {
    name: 'MISC_CHECK',
    block: 'keywords',
    children: MISC_CHECK_KEYWORDS,
    repeatable: true,
    doc: 'Health check by running a script.',
  },
  {
    name: 'SMTP_CHECK',
    block: 'keywords',
    children: SMTP_CHECK_KEYWORDS,
    repeatable: true,
    doc: 'Health check by an SMTP dialogue.',
  },
  {
    name: 'TCP_CHECK',
    block: 'keywords',
    children: SMTP_HOST_KEYWORDS,
    repeatable: true,
    doc: 'Health check by a TCP connect.',
  },
  {
    name: 'PING_CHECK',
    block: 'keywords',
    children: PING_CHECK_KEYWORDS,
    repeatable: true,
    since: '2.1.0',
    doc: 'Health check by ICMP echo.',
  },
  {
    name: 'UDP_CHECK',
    block: 'keywords',
    children: UDP_CHECK_KEYWORDS,
    repeatable: true,
    since: '2.1.0',
    doc: 'Health check by sending a UDP datagram.',
  },
  {
    name: 'HTTP_GET',
    block: 'keywords',
    children: HTTP_GET_KEYWORDS,
    repeatable: true,
    doc: 'Health check by an HTTP GET.',
  },
  {
    name: 'SSL_GET',
    block: 'keywords',
    children: HTTP_GET_KEYWORDS,
    repeatable: true,
    doc: 'Health check by an HTTPS GET.',
  },
  {
    name: 'DNS_CHECK',
    block: 'keywords',
    children: DNS_CHECK_KEYWORDS,
    repeatable: true,
    doc: 'Health check by a DNS query.',
  },
  {
    name: 'FILE_CHECK',
    block: 'keywords',
    children: FILE_CHECK_KEYWORDS,
    repeatable: true,
    since: '2.1.0',
    doc: 'Health check by the content of a tracked file.',
  },
  {
    name: 'BFD_CHECK',
    block: 'keywords',
    children: BFD_CHECK_KEYWORDS,
    repeatable: true,
    doc: 'Health check by the state of a BFD session.',
  },
];

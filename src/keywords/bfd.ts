/**
 * BFD keywords (bfd_parser.c): `bfd_instance`.
 *
 * Generated from keepalived 2.2.7's parsers (ranges from the read_* calls in each handler) and checked
 * against newer releases; edit by hand, there is no generator in this repository.
 */
import type { KeywordTable } from './types.js';
import { int, decimal, oneOf, bool, ip, word, table } from './args.js';

/** Keywords of a `bfd_instance` block (bfd_instance). */
export const BFD_INSTANCE_KEYWORDS: KeywordTable = table([
  {
    name: 'source_ip',
    args: [ip('address')],
    doc: 'Source IP to use (optional, except in order to ensure that the local port is valid, it is required).',
  },
  { name: 'neighbor_ip', args: [ip('address')], doc: 'BFD Neighbor IP (synonym neighbour_ip).' },
  { name: 'neighbour_ip', args: [ip('address')], doc: 'Synonym of neighbor_ip.' },
  {
    name: 'min_rx',
    args: [decimal('min rx', 1, 4294967, 3)],
    doc: 'Required minimum RX interval, in ms (microsecond resolution).',
  },
  {
    name: 'min_tx',
    args: [decimal('min tx', 1, 4294967, 3)],
    doc: 'Desired minimum TX interval, in ms (microsecond resolution).',
  },
  {
    name: 'idle_tx',
    args: [decimal('idle tx', 1000, 4294967, 3)],
    doc: 'Desired idle TX interval, in ms (resolution is micro-seconds).',
  },
  {
    name: 'multiplier',
    args: [int('multiplier', 1, 255)],
    doc: 'Number of missed packets after which the session is declared down.',
  },
  { name: 'passive', doc: 'Operate in passive mode (default is active).' },
  { name: 'ttl', args: [int('ttl', 1, 255)], doc: 'Outgoing IPv4 ttl to use (default 255).' },
  { name: 'hoplimit', args: [int('hoplimit', 1, 255)], doc: 'Outgoing IPv6 hoplimit to use (default 64).' },
  {
    name: 'max_hops',
    args: [int('max hops', -1, 255)],
    doc: 'Maximum reduction of ttl/hoplimit in received packet (default 0).',
  },
  {
    name: 'weight',
    args: [int('weight', -253, 253), oneOf('reverse', ['reverse'], { optional: true })],
    doc: 'Default tracking weight.',
  },
  { name: 'vrrp', doc: 'Send this session\'s events to the VRRP process only.' },
  { name: 'checker', doc: 'Send this session\'s events to the checker process only.' },
  { name: 'multihop', args: [bool('enabled')], since: '2.2.8', doc: 'Multihop BFD (RFC 5883, port 4784).' },
]);

/** Root keywords defined in this file. */
export const BFD_ROOT: KeywordTable = table([
  {
    name: 'bfd_instance',
    args: [word('name')],
    block: 'keywords',
    children: BFD_INSTANCE_KEYWORDS,
    repeatable: true,
    doc: 'A BFD session to a neighbour.',
  },
]);

/**
 * Static addresses, routes and rules (vrrp_parser.c), configured on every node and never moved.
 *
 * Generated from keepalived 2.2.7's parsers (ranges from the read_* calls in each handler) and checked
 * against newer releases; edit by hand, there is no generator in this repository.
 */
import type { KeywordTable } from './types.js';
import { word, table } from './args.js';

/** Keywords of a `track_group` block (track_group). */
export const TRACK_GROUP_KEYWORDS: KeywordTable = table([
  {
    name: 'group',
    block: 'lines',
    line: 'instance-ref',
    repeatable: true,
    since: '2.0.3',
    doc: 'VRRP instances that track this group.',
  },
]);

/** Root keywords defined in this file. */
export const STATIC_ROOT: KeywordTable = table([
  {
    name: 'track_group',
    args: [word('name')],
    block: 'keywords',
    children: TRACK_GROUP_KEYWORDS,
    repeatable: true,
    since: '2.0.3',
    doc: 'Lets static addresses/routes be tracked by VRRP instances.',
  },
  {
    name: 'static_ipaddress',
    block: 'lines',
    line: 'vip',
    repeatable: true,
    doc: 'Addresses configured on every node, not moved by VRRP.',
  },
  {
    name: 'static_routes',
    block: 'lines',
    line: 'route',
    repeatable: true,
    doc: 'Routes configured on every node, not moved by VRRP.',
  },
  {
    name: 'static_rules',
    block: 'lines',
    line: 'rule',
    repeatable: true,
    doc: 'Policy routing rules configured on every node.',
  },
]);

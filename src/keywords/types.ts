/**
 * The keyword table's shape. All knowledge of keepalived's keywords lives in
 * tables of this type (src/keywords/*.ts), never in the grammar: the parser
 * only knows words, quoted strings and `{ }` blocks. A keyword the table
 * does not know is a warning at its position, never a parse failure.
 */

/** How one argument (a word after the keyword) is typed and checked. */
export type ArgType =
  /** An integer in [min, max] (keepalived's read_int/read_unsigned: base 10, no sign for unsigned). */
  | { type: 'int'; min: number; max: number }
  /** A decimal number in [min, max] with at most `decimals` places (keepalived's read_decimal_unsigned: advert_int, delays). */
  | { type: 'decimal'; min: number; max: number; decimals: number }
  /** One of the listed words. `ci`: compared case-insensitively (keepalived uses strcasecmp there). */
  | { type: 'enum'; values: readonly string[]; ci?: boolean }
  /** keepalived's check_true_false: true/false, yes/no, on/off; optional where the keyword alone means true. */
  | { type: 'bool' }
  /** An IPv4 or IPv6 address without prefix. */
  | { type: 'ip' }
  /** An address with an optional /prefix. */
  | { type: 'ipprefix' }
  /** A network interface name (at most 15 bytes, no '/' or whitespace). */
  | { type: 'ifname' }
  /** A port number 0-65535 or a service name. */
  | { type: 'port' }
  /** The name of another configuration object (vrrp_script, vrrp_instance...). `ref` names the kind. */
  | { type: 'ref'; ref: RefKind }
  /** A file system path. */
  | { type: 'path' }
  /** A mail address. */
  | { type: 'email' }
  /** Any single word. */
  | { type: 'word' }
  /** A script command line: the rest of the line (quoted or not), split as keepalived splits it. */
  | { type: 'script' }
  /** The rest of the line, any words. */
  | { type: 'rest' };

export type RefKind =
  | 'vrrp_script'
  | 'vrrp_instance'
  | 'vrrp_track_file'
  | 'vrrp_track_process'
  | 'virtual_server_group'
  | 'bfd_instance'
  | 'garp_group'
  | 'interface';

export interface ArgSpec {
  /** What the argument means, for messages: "priority", "VRID". */
  name: string;
  arg: ArgType;
  optional?: boolean;
  /** The argument may repeat (only the last ArgSpec). */
  repeat?: boolean;
}

/**
 * How the contents of a `{ }` block are read.
 * - `keywords`: each line starts with a keyword from `children`.
 * - `lines`: each line is a value of its own (virtual_ipaddress, track_script,
 *   notification_email, group); `line` says how the model reads it.
 */
export type BlockKind = 'keywords' | 'lines';

/** The structured line formats that the model layer knows how to read. */
export type LineFormat =
  | 'vip' // ADDR[/PREFIX] [brd ADDR] [dev IF] [scope S] [label L] [peer ADDR] [home] [-nodad] [noprefixroute] [autojoin] [track_group G] [no_track]
  | 'route' // ip route syntax (static_routes, virtual_routes)
  | 'rule' // ip rule syntax (static_rules, virtual_rules)
  | 'track-script' // NAME [weight N [reverse]]
  | 'track-interface' // IFNAME [weight N [reverse]]
  | 'track-file' // NAME [weight N [reverse]]
  | 'track-process' // NAME [weight N [reverse]]
  | 'track-bfd' // NAME [weight N [reverse]]
  | 'instance-ref' // NAME (sync group members)
  | 'email' // one address per line
  | 'address' // one address per line (unicast_peer: ADDR [min_ttl N] [max_ttl N])
  | 'vsg-entry' // virtual_server_group entries: ADDR[-RANGE] PORT | fwmark N
  | 'words'; // anything

export interface KeywordSpec {
  name: string;
  /** Positional arguments on the keyword's own line (after the keyword). */
  args?: readonly ArgSpec[];
  /** If set, the keyword opens a `{ }` block of this kind. */
  block?: BlockKind;
  /** Whether the block may be omitted (e.g. `track_script` is always a block; `HTTP_GET` must have one). */
  blockOptional?: boolean;
  /** Children of a `keywords` block. */
  children?: KeywordTable;
  /** How each line of a `lines` block is read. */
  line?: LineFormat;
  /** The keyword may appear more than once in its block (default: a repeat overrides, and is warned). */
  repeatable?: boolean;
  /** Deprecated in keepalived: still accepted, warned. */
  deprecated?: { note: string; replacement?: string };
  /** Keepalived version that introduced the keyword, when newer than 2.0. */
  since?: string;
  /** Keepalived version that removed the keyword (it is then unknown to 2.2.7). */
  removed?: string;
  /** One line saying what it does. */
  doc: string;
}

/** A block's keywords by name. */
export type KeywordTable = Readonly<Record<string, KeywordSpec>>;

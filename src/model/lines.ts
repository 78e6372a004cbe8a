/**
 * Readers for the lines of value blocks: virtual_ipaddress entries, track_*
 * references, routes and rules, unicast peers. Each reads one line's words
 * and reports problems at the offending word.
 */
import type { Statement, Word } from '../parse/ast.js';
import { type CheckContext, checkPlaceholder } from './check.js';
import type { RouteSpec, TrackRef, Vip } from './types.js';
import { readIfname, readInt, readIpPrefix } from './values.js';

/** Words after an address that take a value. */
const VIP_OPTS_WITH_VALUE = new Set(['brd', 'broadcast', 'dev', 'scope', 'label', 'peer', 'track_group', 'preferred_lft', 'valid_lft']);
const VIP_FLAGS = new Set(['home', '-nodad', 'nodad', 'noprefixroute', 'autojoin', 'no_track', 'mngtmpaddr']);

/** `ADDR[/PREFIX] [brd X] [dev IF] [scope S] [label L] [peer P] [flags...]`; undefined when invalid. */
export function readVip(line: Statement, ctx: CheckContext, defaultDev?: string): Vip | undefined {
  const [first, ...rest] = line.words;
  if (checkPlaceholder(first, ctx)) return undefined;
  const ip = readIpPrefix(first.value);
  if (!ip.ok) {
    ctx.diags.error('invalid-address', `invalid virtual IP address '${first.value}'; keepalived skips it`, first.span, {
      related: first.site ? [{ message: 'substituted here', span: first.site }] : undefined,
    });
    return undefined;
  }
  const opts: Record<string, string> = {};
  const flags: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (VIP_OPTS_WITH_VALUE.has(w.value)) {
      const v = rest[i + 1];
      if (!v) {
        ctx.diags.error('missing-value', `'${w.value}' needs a value`, w.span);
        break;
      }
      if (checkPlaceholder(v, ctx)) return undefined;
      opts[w.value === 'broadcast' ? 'brd' : w.value] = v.value;
      i++;
      if (w.value === 'dev' && !readIfname(v.value).ok) ctx.diags.error('invalid-value', `invalid interface name '${v.value}'`, v.span);
      // A label is an interface name too (keepalived refuses one of IFNAMSIZ or more); it becomes IPaddr2's iflabel.
      if (w.value === 'label' && !readIfname(v.value).ok) ctx.diags.error('invalid-value', `invalid address label '${v.value}': an interface name of 1 to 15 bytes, without blanks or '/'`, v.span);
      if (w.value === 'brd' && v.value !== '+' && v.value !== '-' && !readIpPrefix(v.value).ok) ctx.diags.error('invalid-value', `invalid broadcast address '${v.value}'`, v.span);
    } else if (VIP_FLAGS.has(w.value)) {
      flags.push(w.value);
    } else {
      ctx.diags.warning('unknown-option', `unknown virtual address option '${w.value}'; keepalived ignores it`, w.span);
    }
  }
  const { address, family, prefix } = ip.value;
  return {
    address,
    family,
    prefix: prefix ?? (family === 4 ? 32 : 128),
    prefixWritten: prefix !== undefined,
    brd: opts.brd,
    dev: opts.dev ?? defaultDev,
    label: opts.label,
    scope: opts.scope,
    peer: opts.peer,
    noTrack: flags.includes('no_track'),
    options: flags,
    span: first.span,
  };
}

/** `NAME [weight N [reverse]]`. keepalived's weights are within [-253, 253]. */
export function readTrackRef(line: Statement, ctx: CheckContext, what: string): TrackRef | undefined {
  const [name, ...rest] = line.words;
  if (checkPlaceholder(name, ctx)) return undefined;
  let weight: number | undefined;
  let reverse = false;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (w.value === 'weight') {
      const v = rest[i + 1];
      if (!v) {
        ctx.diags.error('missing-value', `${what} '${name.value}': 'weight' needs a number`, w.span);
        break;
      }
      const n = readInt(v.value, -253, 253);
      if (n.ok) weight = n.value as number;
      else ctx.diags.error('invalid-value', `${what} '${name.value}' weight: ${n.message}`, v.span);
      i++;
    } else if (w.value === 'reverse') {
      reverse = true;
    } else {
      ctx.diags.warning('unknown-option', `unknown ${what} option '${w.value}'; keepalived ignores it`, w.span);
    }
  }
  return { name: name.value, weight, reverse, span: name.span };
}

/** A route or rule line in ip(8) syntax; the fields the mapping needs are picked out. */
export function readRoute(line: Statement, ctx: CheckContext): RouteSpec {
  const words = line.words.map((w) => w.value);
  line.words.forEach((w) => checkPlaceholder(w, ctx));
  const get = (k: string) => {
    const i = words.indexOf(k);
    return i >= 0 ? words[i + 1] : undefined;
  };
  let to = get('to') ?? get('dst');
  if (!to && words[0] && !['from', 'src', 'via', 'dev', 'table', 'blackhole', 'unreachable', 'prohibit'].includes(words[0])) to = words[0];
  return { words, to, via: get('via') ?? get('gw'), dev: get('dev') ?? get('oif'), table: get('table'), span: line.words[0].span };
}

/** `ADDR [min_ttl N] [max_ttl N]` (unicast_peer). */
export function readPeer(line: Statement, ctx: CheckContext): { address: string; span: Word['span'] } | undefined {
  const w = line.words[0];
  if (checkPlaceholder(w, ctx)) return undefined;
  const r = readIpPrefix(w.value);
  if (!r.ok || r.value.prefix !== undefined) {
    ctx.diags.error('invalid-address', `invalid unicast peer address '${w.value}'`, w.span);
    return undefined;
  }
  return { address: r.value.address, span: w.span };
}

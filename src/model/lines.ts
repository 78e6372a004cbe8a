/**
 * Readers for the lines of value blocks: virtual_ipaddress entries, track_*
 * references, routes and rules, unicast peers. Each reads one line's words
 * and reports problems at the offending word.
 */
import type { Statement, Word } from '../parse/ast.js';
import { type CheckContext, checkPlaceholder } from './check.js';
import type { RouteSpec, TrackRef, Vip } from './types.js';
import { placeholderIn, readIfname, readInt, readIpPrefix } from './values.js';

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

/** The blocks a tracking reference is written in. */
export type TrackRefKind = 'track_script' | 'track_interface' | 'track_file' | 'track_process' | 'track_bfd';

/**
 * How keepalived 2.2.7 reads the words after a reference's name, per kind
 * (vrrp/vrrp_track.c alloc_track_if, alloc_track_script, alloc_track_process,
 * alloc_track_bfd; trackers/track_file.c vrrp_alloc_track_file): its
 * messages, word for word (`track_interace` is keepalived's spelling),
 * whether it knows `noreverse`, whether an unknown word after the weight
 * discards the whole reference (files, BFD) or only that word, and the
 * weights it reads: [-254, 254] for all but BFD ([-253, 253]), ±254 turned
 * into ±253 for a script or an interface; out of range, it reports `invalid`
 * and uses `fallback` instead.
 */
interface RefWords {
  option: (name: string, word: string) => string;
  weightOption: (name: string, word: string) => string;
  noreverse: boolean;
  discards: boolean;
  limit: 253 | 254;
  clamps254: boolean;
  invalid: (name: string, value: string) => string;
  fallback: string;
}
const REF_WORDS: Record<TrackRefKind, RefWords> = {
  track_interface: {
    option: (n, w) => `unknown track_interface ${n} option ${w} - ignoring`,
    weightOption: (n, w) => `unknown track_interace ${n} weight option ${w} - ignoring`,
    noreverse: false,
    discards: false,
    limit: 254,
    clamps254: true,
    invalid: (n, v) => `weight ${v} for ${n} must be between [-253..253] inclusive. Ignoring...`,
    fallback: 'weight 0',
  },
  track_script: {
    option: (_, w) => `unknown track script option ${w} - ignoring`,
    weightOption: (n, w) => `unknown track_script ${n} weight option ${w} - ignoring`,
    noreverse: true,
    discards: false,
    limit: 254,
    clamps254: true,
    invalid: (n) => `track script ${n}: weight must be between [-253..253] inclusive, ignoring...`,
    fallback: "the vrrp_script's weight",
  },
  track_file: {
    option: (_, w) => `unknown track file option ${w} - ignoring`,
    weightOption: (n, w) => `unknown track file ${n} weight option ${w} - ignoring`,
    noreverse: true,
    discards: true,
    limit: 254,
    clamps254: false,
    invalid: (n) => `weight for track file ${n} must be in [-254..254] inclusive. Ignoring...`,
    fallback: "the track file's weight",
  },
  track_process: {
    option: (_, w) => `unknown track process option ${w} - ignoring`,
    weightOption: (n, w) => `unknown track_process ${n} weight option ${w} - ignoring`,
    noreverse: true,
    discards: false,
    limit: 254,
    clamps254: false,
    invalid: (n) => `weight for track process ${n} must be in [-254..254] inclusive. Ignoring...`,
    fallback: "the vrrp_track_process's weight",
  },
  track_bfd: {
    option: (n, w) => `unknown track bfd ${n} option ${w} - ignoring`,
    weightOption: (n, w) => `unknown track bfd ${n} weight option ${w} - ignoring`,
    noreverse: true,
    discards: true,
    limit: 253,
    clamps254: false,
    invalid: (n) => `weight for track bfd ${n} must be in [-253..253] inclusive. Ignoring...`,
    fallback: "the bfd_instance's weight",
  },
};

/**
 * `NAME [weight N [reverse|noreverse]]`, a reference in a `what` block of
 * `owner` (the instance or sync group keepalived names in its messages).
 * keepalived reads the words by position: word 2 must be `weight`, else it
 * discards the reference (`f reverse` tracks nothing); word 4 may be
 * `reverse`, or `noreverse` except for an interface. undefined when
 * keepalived discards the line. Weights are read as keepalived reads them
 * (REF_WORDS: ±254 is a weight for a file or a process, ±253 with
 * keepalived's warning for a script or an interface); an invalid one is an
 * error and leaves the weight unset, so the definition's applies (0 for an
 * interface), as in keepalived.
 */
export function readTrackRef(line: Statement, ctx: CheckContext, what: TrackRefKind, owner: string): TrackRef | undefined {
  const [name, opt, value, option, ...extra] = line.words;
  if (checkPlaceholder(name, ctx)) return undefined;
  const rules = REF_WORDS[what];
  const says = (text: string) => `${what} '${name.value}': keepalived says "(${owner}) ${text}"`;
  if (!opt) return { name: name.value, span: name.span };
  if (opt.value !== 'weight') {
    const hint = opt.value === 'reverse' || opt.value === 'noreverse' ? `write '${name.value} weight <N> ${opt.value}'` : undefined;
    ctx.diags.warning('unknown-option', `${says(rules.option(name.value, opt.value))} and discards the whole line`, opt.span, { hint });
    return undefined;
  }
  if (!value) {
    ctx.diags.error('missing-value', `${what} '${name.value}': 'weight' needs a number; keepalived discards the whole line`, opt.span);
    return undefined;
  }
  let weight: number | undefined;
  const n = readInt(value.value, -rules.limit, rules.limit);
  if (!n.ok) {
    ctx.diags.error('invalid-value', `${what} '${name.value}' weight: ${n.message}; keepalived says "(${owner}) ${rules.invalid(name.value, value.value)}" and uses ${rules.fallback}`, value.span);
  } else if (rules.clamps254 && Math.abs(n.value as number) === 254) {
    weight = (n.value as number) < 0 ? -253 : 253;
    ctx.diags.warning('weight-clamped', says(`weight for ${name.value} cannot be +/-254. Setting to +/-253`), value.span);
  } else weight = n.value as number;
  let reverse: boolean | undefined;
  if (option?.value === 'reverse') reverse = true;
  else if (option?.value === 'noreverse' && rules.noreverse) reverse = false;
  else if (option && rules.discards) {
    ctx.diags.warning('unknown-option', `${says(rules.weightOption(name.value, option.value))} and discards the whole line`, option.span);
    return undefined;
  } else if (option) {
    ctx.diags.warning('unknown-option', `${says(rules.weightOption(name.value, option.value))} and ignores the word`, option.span);
  }
  // keepalived reads nothing after the fourth word.
  for (const w of extra) ctx.diags.warning('unknown-option', `unknown ${what} option '${w.value}'; keepalived ignores it`, w.span);
  return reverse === undefined ? { name: name.value, weight, span: name.span } : { name: name.value, weight, reverse, span: name.span };
}

/** keepalived's WHITE_SPACE, skipped before an init_file word. */
const LEADING_BLANKS = /^[ \t\n\r\f\v]+/;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * `init_file [VALUE] [overwrite]` of track file `name`, as keepalived 2.2.7
 * reads it (trackers/track_file.c track_file_init_handler): the value is 0
 * unless a word gives one; each word is an integer when it starts with a
 * digit or '-' (the last one counts), else `overwrite`, else an unknown
 * option. An invalid integer is reported and 0 is used; one outside
 * [-254, 254] is reported and used. Messages are keepalived's.
 */
export function readInitFile(line: Statement, name: string, ctx: CheckContext): { value: number; overwrite: boolean } {
  let value = 0;
  let overwrite = false;
  for (const w of line.words.slice(1)) {
    if (placeholderIn(w.value)) continue; // reported by the keyword check
    const text = w.value.replace(LEADING_BLANKS, '');
    if (/^[0-9-]/.test(text)) {
      const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
      if (!(n >= INT_MIN && n <= INT_MAX)) {
        ctx.diags.error('invalid-value', `Track file ${name} init value ${text} is invalid; keepalived writes 0`, w.span);
        value = 0;
        continue;
      }
      if (n < -254 || n > 254) ctx.diags.warning('track-file-init-range', `Track file ${name} init value ${n} is outside sensible range [-254, 254]; keepalived writes it anyway`, w.span);
      value = n;
    } else if (text === 'overwrite') {
      overwrite = true;
    } else {
      ctx.diags.warning('unknown-option', `Unknown track file init option ${text}; keepalived ignores it`, w.span);
    }
  }
  return { value, overwrite };
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

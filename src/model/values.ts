/**
 * Typed values, read as keepalived reads them (lib/parser.c read_int,
 * read_unsigned, read_decimal_unsigned; lib/utils.c inet_stosockaddr), and
 * the detection of template placeholders left in a value.
 */
import { isIP } from 'node:net';
import type { ArgType } from '../keywords/types.js';

export type ValueCheck = { ok: true; value: string | number | boolean } | { ok: false; message: string };

/**
 * Text that is a template placeholder rather than a value: `<ip>`, `__VIP__`,
 * `XX.XX.XX.1`, `#IFACE#`, `{{ vip }}`, `{% ... %}`, `${VIP}`, `%VIP%`, `@VIP@`.
 */
const DOLLAR_BRACE = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
const LINE_END = /[\n\r\u2028\u2029]/g;

/**
 * The first `open ... close` on one line, as the regex /\{\{.*?\}\}/ finds it,
 * in linear time: that regex tries every '{{' and scans to the end of the
 * text from each, so a value of 20,000 '{' took a second (the long fuzz run
 * timed out on a megabyte of them).
 */
export function enclosed(text: string, open: string, close: string): string | undefined {
  let i = text.indexOf(open);
  let j = -1;
  while (i !== -1) {
    // The first close after this open; still the first for a later open that starts before it.
    if (j < i + open.length) j = text.indexOf(close, i + open.length);
    if (j === -1) return undefined;
    LINE_END.lastIndex = i + open.length;
    const end = LINE_END.exec(text);
    if (!end || end.index >= j) return text.slice(i, j + close.length);
    // A line ends between them: no open before that line end can match.
    i = text.indexOf(open, end.index + 1);
  }
  return undefined;
}
const WHOLE = [/^<[^<>]+>$/, /^__[A-Za-z0-9_]+__$/, /^#[A-Za-z_][A-Za-z0-9_]*#$/, /^%[A-Za-z_][A-Za-z0-9_]*%$/, /^@[A-Z_][A-Z0-9_]*@$/];
const X_ADDRESS = /^(?:(?:\d{1,3}|[xX]{1,3})\.){3}(?:\d{1,3}|[xX]{1,3})(?:\/\d+)?$/;
/** Characters that every placeholder form contains; words without them are skipped cheaply. */
const MAYBE = /[{<_#%@xX]/;

export function placeholderIn(text: string): string | undefined {
  if (!MAYBE.test(text)) return undefined;
  if (text.includes('{')) {
    const m = enclosed(text, '{{', '}}') ?? enclosed(text, '{%', '%}') ?? DOLLAR_BRACE.exec(text)?.[0];
    if (m !== undefined) return m;
  }
  const c = text[0];
  if (c === '<' || c === '_' || c === '#' || c === '%' || c === '@') {
    for (const p of WHOLE) if (p.test(text)) return text;
  }
  if ((text.includes('x') || text.includes('X')) && X_ADDRESS.test(text)) return text;
  return undefined;
}

/** keepalived's read_int/read_unsigned: a decimal integer, optionally signed for int. */
export function readInt(text: string, min: number, max: number): ValueCheck {
  if (!/^[-+]?\d+$/.test(text)) return { ok: false, message: `invalid number '${text}'` };
  const n = Number(text);
  if (n < min || n > max) return { ok: false, message: `number '${text}' outside range [${min}, ${max}]` };
  return { ok: true, value: n };
}

/** keepalived's read_decimal_unsigned: a decimal number with a limited number of places. */
export function readDecimal(text: string, min: number, max: number, decimals: number): ValueCheck {
  if (!/^\+?(\d+(\.\d*)?|\.\d+)$/.test(text)) return { ok: false, message: `invalid number '${text}'` };
  const frac = text.split('.')[1] ?? '';
  if (frac.length > decimals) return { ok: false, message: `number '${text}' has more than ${decimals} decimal places` };
  const n = Number(text);
  if (n < min || n > max) return { ok: false, message: `number '${text}' outside range [${min}, ${max}]` };
  return { ok: true, value: n };
}

/** keepalived's check_true_false. */
export function readBool(text: string): ValueCheck {
  const t = text.toLowerCase();
  if (['true', 'yes', 'on'].includes(t)) return { ok: true, value: true };
  if (['false', 'no', 'off'].includes(t)) return { ok: true, value: false };
  return { ok: false, message: `invalid boolean '${text}': expected true/false, yes/no or on/off` };
}

export interface IpPrefix {
  address: string;
  family: 4 | 6;
  prefix?: number;
}

/** An address with an optional /prefix, as ip(8) writes it. IPv6 zone ids are refused. */
export function readIpPrefix(text: string): { ok: true; value: IpPrefix } | { ok: false; message: string } {
  const [addr, pfx, extra] = text.split('/');
  const family = isIP(addr);
  if (!family || extra !== undefined) return { ok: false, message: `invalid IP address '${text}'` };
  if (pfx === undefined) return { ok: true, value: { address: addr, family: family as 4 | 6 } };
  const max = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(pfx) || Number(pfx) > max) return { ok: false, message: `invalid prefix length '/${pfx}' for ${addr} (0-${max})` };
  return { ok: true, value: { address: addr, family: family as 4 | 6, prefix: Number(pfx) } };
}

/** Linux interface names: 1-15 bytes, no '/', ':' is allowed only as a label suffix, no blank. */
export function readIfname(text: string): ValueCheck {
  if (!text.length || Buffer.byteLength(text) > 15) return { ok: false, message: `invalid interface name '${text}': 1 to 15 bytes` };
  if (/[\s/]/.test(text) || text === '.' || text === '..') return { ok: false, message: `invalid interface name '${text}'` };
  return { ok: true, value: text };
}

export function readPort(text: string): ValueCheck {
  if (/^\d+$/.test(text)) return readInt(text, 0, 65535);
  if (/^[a-z][a-z0-9-]*$/i.test(text)) return { ok: true, value: text };
  return { ok: false, message: `invalid port '${text}'` };
}

/** Checks one word against an argument type. */
export function checkValue(text: string, arg: ArgType): ValueCheck {
  switch (arg.type) {
    case 'int':
      return readInt(text, arg.min, arg.max);
    case 'decimal':
      return readDecimal(text, arg.min, arg.max, arg.decimals);
    case 'enum': {
      const hit = arg.values.find((v) => (arg.ci ? v.toLowerCase() === text.toLowerCase() : v === text));
      return hit !== undefined ? { ok: true, value: hit } : { ok: false, message: `'${text}' is not one of ${arg.values.join(', ')}` };
    }
    case 'bool':
      return readBool(text);
    case 'ip': {
      const r = readIpPrefix(text);
      if (!r.ok || r.value.prefix !== undefined) return { ok: false, message: `invalid IP address '${text}'` };
      return { ok: true, value: r.value.address };
    }
    case 'ipprefix': {
      const r = readIpPrefix(text);
      return r.ok ? { ok: true, value: text } : r;
    }
    case 'ifname':
      return readIfname(text);
    case 'port':
      return readPort(text);
    case 'email':
      return /^[^@\s]+@[^@\s]+$/.test(text) ? { ok: true, value: text } : { ok: false, message: `invalid mail address '${text}'` };
    default:
      return { ok: true, value: text };
  }
}

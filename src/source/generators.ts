/**
 * keepalived's line generators:
 *   ~SEQ(var, end) | ~SEQ(var, start, end) | ~SEQ(var, start, step, end) TEXT
 *   ~SEQx(...)  the same, values written in hexadecimal
 *   ~LST(var, v1, v2, ...) TEXT   or   ~LST({a,b}, {1,2}, {3,4}) TEXT
 * Each repeats TEXT once per value with $var defined. The parsing follows
 * add_seq()/add_lst() in keepalived's lib/parser.c.
 */
import { type Lookup, substitute } from './params.js';
import type { MappedText } from './mapped.js';

export interface Generator {
  readonly vars: readonly string[];
  /** One entry per repetition: the value of each var. */
  readonly values: readonly (readonly string[])[];
  /** The text repeated (what follows the closing parenthesis). */
  readonly text: MappedText;
}

export type GeneratorParse = { ok: true; gen: Generator } | { ok: false; message: string };

/**
 * A generator that would produce more lines than this is refused rather than
 * exhausting memory: its values are built at once. The same as the
 * expander's budget for all expansions together (MAX_EXPANDED_LINES).
 */
export const MAX_GENERATED = 100_000;

function strtol(s: string): number | undefined {
  const t = s.trim();
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^[-+]?0[0-7]+$/.test(t)) return parseInt(t, 8);
  if (/^[-+]?\d+$/.test(t)) return parseInt(t, 10);
  return undefined;
}

export function parseGenerator(line: MappedText, defs: Lookup): GeneratorParse {
  const t = line.text;
  if (t.startsWith('~SEQ')) return parseSeq(line, defs);
  if (t.startsWith('~LST')) return parseLst(line);
  return { ok: false, message: `unknown generator '${t.split(/\s/)[0]}'` };
}

function parseSeq(line: MappedText, defs: Lookup): GeneratorParse {
  const t = line.text;
  const hex = t[4] === 'x';
  const m = /^~SEQx?[ \t]*\([ \t]*([^ \t,)]+)[ \t]*,([^)]*)\)[ \t]*/.exec(t);
  if (!m) return { ok: false, message: `invalid ~SEQ specification '${t}'` };
  const sub = substitute(line.slice(m.index + m[0].indexOf(',') + 1, m[0].lastIndexOf(')')), defs);
  const nums = sub.line.text.split(',').map(strtol);
  if (nums.some((n) => n === undefined) || nums.length < 1 || nums.length > 3) {
    return { ok: false, message: `invalid ~SEQ parameters '${sub.line.text}': expected (var, end), (var, start, end) or (var, start, step, end)` };
  }
  const [a, b, c] = nums as number[];
  let start: number, step: number, end: number;
  if (nums.length === 1) {
    end = a;
    step = end < 1 ? -1 : 1;
    start = end < 0 ? -1 : 1;
  } else if (nums.length === 2) {
    start = a;
    end = b;
    step = start <= end ? 1 : -1;
  } else {
    start = a;
    step = b;
    end = c;
    if (!step || (start < end && step < 0) || (start > end && step > 0)) {
      return { ok: false, message: `invalid ~SEQ values: start ${start}, step ${step}, end ${end} never reach the end` };
    }
  }
  if (hex && (start < 0 || end < 0)) return { ok: false, message: '~SEQx is only valid for positive numbers' };
  const count = Math.floor((end - start) / step) + 1;
  if (count > MAX_GENERATED) return { ok: false, message: `~SEQ would generate ${count} lines (more than ${MAX_GENERATED})` };
  const values: string[][] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) values.push([hex ? v.toString(16) : String(v)]);
  return { ok: true, gen: { vars: [m[1]], values, text: line.slice(m[0].length) } };
}

/** Splits `{a,b}` or `a` into names/values, keepalived style (blanks around commas ignored). */
function parseLst(line: MappedText): GeneratorParse {
  const t = line.text;
  let p = 4;
  const skip = () => {
    while (t[p] === ' ' || t[p] === '\t') p++;
  };
  skip();
  if (t[p++] !== '(') return { ok: false, message: `invalid ~LST specification '${t}'` };
  const readSet = (): string[] | undefined => {
    skip();
    const braced = t[p] === '{';
    if (braced) p++;
    const items: string[] = [];
    while (true) {
      skip();
      const s = p;
      while (p < t.length && !' \t,})'.includes(t[p])) p++;
      items.push(t.slice(s, p));
      skip();
      if (braced && t[p] === '}') {
        p++;
        skip();
        return items;
      }
      if (!braced) return items;
      if (t[p] !== ',') return undefined;
      p++;
    }
  };
  const vars = readSet();
  if (!vars || !vars.every((v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v))) return { ok: false, message: `invalid ~LST variable list in '${t}'` };
  const values: string[][] = [];
  while (t[p] === ',') {
    p++;
    const set = readSet();
    if (!set) return { ok: false, message: `invalid ~LST value list in '${t}'` };
    if (set.length > vars.length) return { ok: false, message: `~LST specification has too many values in '${t}'` };
    while (set.length < vars.length) set.push('');
    values.push(set);
  }
  if (t[p] !== ')' || !values.length) return { ok: false, message: `invalid ~LST specification '${t}'` };
  p++;
  skip();
  return { ok: true, gen: { vars, values, text: line.slice(p) } };
}

/**
 * Line-level rules of keepalived's reader (lib/parser.c: decomment() and the
 * brace search at the end of read_line()). Only double quotes protect `#`,
 * `!` and braces there; single quotes matter later, when words are split.
 */
import { EMPTY, MappedText } from './mapped.js';

export interface Decommented {
  line: MappedText;
  /** The line ended with an unescaped `\` (continues a parameter definition). */
  continued: boolean;
  /** Index (in the input) of an opening quote that is never closed. */
  unterminatedQuote?: number;
  /** Comments that look like template placeholders (`#IFACE#`) right after other text. */
  placeholders: { start: number; end: number; text: string }[];
}

const PLACEHOLDER_COMMENT = /^#[A-Za-z_][A-Za-z0-9_.-]*#/;

const NO_PLACEHOLDERS: Decommented['placeholders'] = Object.freeze([]) as never[];

const NOTHING_TO_DO = /^[^ \t#!"\\](?:[^#!"\\]*[^ \t#!"\\])?$/;

export function decomment(input: MappedText): Decommented {
  const t = input.text;
  // Most lines have no comment, quote, escape or surrounding blank.
  if (NOTHING_TO_DO.test(t)) return { line: input, continued: false, placeholders: NO_PLACEHOLDERS };
  let p = 0;
  while (t[p] === ' ' || t[p] === '\t') p++;
  let quote = false;
  let quoteAt = -1;
  let cont = false;
  let contAt = -1;
  let skip = -1;
  for (let i = p; i < t.length; i++) {
    const c = t[i];
    if (c === '"') {
      if (skip < 0) {
        quote = !quote;
        quoteAt = i;
      }
    } else if (c === '\\') {
      if (i + 1 < t.length) {
        // `\#` and `\!` stay escaped: the word splitter turns them into `#`, `!`.
        i++;
      } else {
        cont = true;
        contAt = i;
        break;
      }
    } else if (!quote && skip < 0 && (c === '!' || c === '#')) {
      skip = i;
    }
  }
  let end = skip >= 0 ? skip : contAt >= 0 ? contAt : t.length;
  while (end > p && (t[end - 1] === ' ' || t[end - 1] === '\t')) end--;
  const placeholders: Decommented['placeholders'] = [];
  if (skip >= 0 && end > p) {
    const m = PLACEHOLDER_COMMENT.exec(t.slice(skip));
    if (m) placeholders.push({ start: skip, end: skip + m[0].length, text: m[0] });
  }
  const body = input.slice(p, end);
  const line = cont ? MappedText.concat([body, input.slice(contAt, contAt + 1)]) : body;
  return {
    line: line.length ? line : EMPTY,
    continued: cont,
    unterminatedQuote: quote ? quoteAt : undefined,
    placeholders,
  };
}

/**
 * What is known to be absent from the rest of a line, so that its residue
 * (cut again and again, one brace at a time) is not searched again for it:
 * a line of a hundred thousand braces was otherwise read quadratically.
 */
export interface ResidueHints {
  /** No `$` at all: nothing to substitute. */
  noDollar: boolean;
  /** No `}}` (or `%}`) after the first `{{` (or `{%`): no template placeholder can close. */
  noDoubleClose: boolean;
  noPercentClose: boolean;
}

/**
 * Where read_line() cuts a line at a brace: `{ headEnd, residueStart }`, or
 * undefined when the line has no brace outside double quotes. A line that
 * starts with a brace keeps only the brace. Template placeholders (`{{ }}`,
 * `{% %}`) and `${NAME}` references are not braces. `hints` (updated here)
 * carry what earlier cuts of the same line found absent. `from` cuts the
 * line's residue that starts there, without slicing it off: offsets stay
 * those of `t`.
 */
export function splitAtBrace(t: string, hints?: Pick<ResidueHints, 'noDoubleClose' | 'noPercentClose'>, from = 0): { headEnd: number; residueStart: number } | undefined {
  let quote = false;
  for (let i = from; i < t.length; i++) {
    const c = t[i];
    if (c === '"') {
      quote = !quote;
      continue;
    }
    if (quote) continue;
    if (c === '{') {
      const n = t[i + 1];
      if (n === '{' || n === '%') {
        const known = n === '{' ? hints?.noDoubleClose : hints?.noPercentClose;
        const close = known ? -1 : t.indexOf(n === '{' ? '}}' : '%}', i + 2);
        if (close >= 0) {
          i = close + 1;
          continue;
        }
        if (hints && n === '{') hints.noDoubleClose = true;
        else if (hints) hints.noPercentClose = true;
      }
      if (i > from && t[i - 1] === '$') {
        const close = t.indexOf('}', i);
        if (close >= 0 && !/\s/.test(t.slice(i, close).replace(/ \d+/g, ''))) {
          i = close;
          continue;
        }
      }
    } else if (c !== '}') continue;
    if (i === from) {
      let r = i + 1;
      while (t[r] === ' ' || t[r] === '\t') r++;
      return { headEnd: i + 1, residueStart: r };
    }
    let h = i;
    while (h > from && (t[h - 1] === ' ' || t[h - 1] === '\t')) h--;
    return { headEnd: h, residueStart: i };
  }
  return undefined;
}

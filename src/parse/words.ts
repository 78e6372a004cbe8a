/**
 * keepalived's word reading (lib/parser.c alloc_strvec_quoted_escaped()):
 * quotes are removed and may open and close anywhere in a word; backslash
 * escapes are processed inside and outside quotes: \xHH..., \cX, \ooo, \a \b
 * \E \f \n \r \t \v, and any other character stands for itself.
 */
export function unescapeWord(raw: string): { value: string; quoted: boolean } {
  if (!needsUnescape(raw)) return { value: raw, quoted: false };
  let out = '';
  let quote = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[++i];
      if (n === 'x' && /[0-9a-fA-F]/.test(raw[i + 1] ?? '')) {
        let v = 0;
        while (/[0-9a-fA-F]/.test(raw[i + 1] ?? '')) v = ((v << 4) | parseInt(raw[++i], 16)) & 0xff;
        out += String.fromCharCode(v);
      } else if (n === 'c' && i + 1 < raw.length) {
        out += String.fromCharCode(raw.charCodeAt(++i) & 0x1f);
      } else if (n >= '0' && n <= '7') {
        let v = n.charCodeAt(0) - 48;
        for (let k = 0; k < 2 && raw[i + 1] >= '0' && raw[i + 1] <= '7'; k++) v = v * 8 + raw.charCodeAt(++i) - 48;
        out += String.fromCharCode(v & 0xff);
      } else {
        out += ESCAPES[n] ?? n;
      }
      continue;
    }
    if (quote) {
      if (c === quote) quote = '';
      else out += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      quoted = true;
      continue;
    }
    out += c;
  }
  return { value: out, quoted };
}

/**
 * A word with no quote and no backslash before another character is its own
 * value: a backslash that ends a word escapes nothing and stands for itself.
 */
export function needsUnescape(raw: string): boolean {
  return /["']|\\[^]/.test(raw);
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

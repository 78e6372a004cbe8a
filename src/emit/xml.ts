/**
 * A minimal XML writer for the CIB: elements, attributes in the order given,
 * comments, two-space indentation like `cibadmin`. We write our own rather
 * than use a builder because correctness hinges on three details builders get
 * wrong or leave to the caller: newlines and tabs in attribute values must be
 * character references (a parser would otherwise turn them into spaces),
 * characters XML 1.0 forbids must not appear at all, and comments must never
 * contain `--`.
 */

/** An element; attributes whose value is undefined are left out. */
export interface XmlElement {
  name: string;
  attrs?: Array<[string, string | undefined]>;
  children?: XmlNode[];
}

/** A comment; its text is sanitised when written. */
export interface XmlComment {
  comment: string;
}

export type XmlNode = XmlElement | XmlComment;

// Characters outside XML 1.0's Char production: C0 controls other than tab,
// newline and carriage return, lone surrogates, U+FFFE and U+FFFF.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Replace characters XML cannot carry by U+FFFD (there is no escape for them). */
function xmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, '\ufffd');
}

/** Any character escapeAttr would change (a surrogate, even paired, takes the careful path). */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;

/** Escape a value for a double-quoted attribute, preserving every character a parser will read back. */
export function escapeAttr(value: string): string {
  // Most values (ids, names, numbers) need nothing: one test instead of eight replacements.
  if (!NEEDS_ESCAPE.test(value)) return value;
  return xmlChars(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** Comment text that cannot end the comment early: no `--`, no trailing `-`, one line. */
export function escapeComment(text: string): string {
  let t = xmlChars(text).replace(/[\t\r\n]+/g, ' ');
  while (t.includes('--')) t = t.replace(/--/g, '- -');
  if (t.endsWith('-')) t += ' ';
  return t;
}

/** Serialise nodes at an indentation depth; the output ends with a newline. */
export function renderXml(nodes: XmlNode[], depth = 0): string {
  let out = '';
  const pad = '  '.repeat(depth);
  for (const node of nodes) {
    if ('comment' in node) {
      out += `${pad}<!-- ${escapeComment(node.comment)} -->\n`;
      continue;
    }
    const attrs = (node.attrs ?? [])
      .filter((a): a is [string, string] => a[1] !== undefined)
      .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
      .join('');
    const children = node.children ?? [];
    if (children.length === 0) out += `${pad}<${node.name}${attrs}/>\n`;
    else out += `${pad}<${node.name}${attrs}>\n${renderXml(children, depth + 1)}${pad}</${node.name}>\n`;
  }
  return out;
}

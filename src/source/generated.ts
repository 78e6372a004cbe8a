/**
 * The lines of a generator (`~SEQ`, `~LST`) whose text uses nothing but the
 * generator's own variables and names never defined (kept as written):
 * substituting them is cutting the text at its variables' references and
 * putting the values in, so the expander does exactly that
 * (see Expander.generate), and hands the lines to the parser as one text,
 * building each line's character map only when the parser asks for it.
 * A generator's hundred thousand lines were a hundred thousand substitutions,
 * each a dozen objects, and a hundred thousand mapped texts kept alive until
 * the parser was done with them: as much time as the parser itself took.
 */
import type { Span } from '../diag/span.js';
import { type Generator } from './generators.js';
import { MappedText, type Piece } from './mapped.js';
import { type Definition, type Lookups, MAX_SUBSTITUTED_LINE, parseReference } from './params.js';

/** A generator's text cut at the references to its own variables. */
export interface Template {
  readonly gen: Generator;
  /** Where the values are attributed (the generator's line: computedAt's site). */
  readonly site: Span;
  /** The text between references: parts[0], reference 0, parts[1], ..., parts[n]. */
  readonly parts: readonly MappedText[];
  /**
   * For each reference: which value of a row it takes, and its own span (the
   * site its value enters through); or, for a name defined outside the
   * generator (an outer generator's variable, say), that definition, whose
   * one plain line is the value of every row (`def`; `value` is then -1).
   */
  readonly refs: readonly TemplateRef[];
  /**
   * References to names that were not defined when the generator began
   * (kept as written, and reported), by the part they are in, at [at, end)
   * of it.
   */
  readonly unknown: readonly { readonly part: number; readonly at: number; readonly end: number; readonly name: string }[];
  /**
   * The names outside the generator that the template looked up, undefined
   * or pasted as defined: the template holds at a line while each still has
   * the definition it had (`lookups.hold()`, checked by the expander at
   * every line: a line read the whole way may have defined one again).
   */
  readonly lookups: Lookups;
}

export interface TemplateRef {
  readonly value: number;
  readonly site: Span;
  readonly def?: Definition;
}

/** The value `ref` takes in `row`. */
function valueOf(ref: TemplateRef, row: readonly string[]): string {
  return ref.def ? ref.def.lines[0].text : row[ref.value];
}

/** Characters that make reading a line more than pasting values in, outside its references: comments, quotes, escapes, braces. */
const NOT_PLAIN_TEXT = /[#!"\\{}]/;
/**
 * A value that can be pasted in as it is: no reference, comment, quote,
 * escape, brace, blank or '~' in it (a value that starts with '~' ends
 * keepalived's substitution of the line).
 */
const PLAIN_VALUE = /^[^$#!"\\{}~\s]*$/;
/** keepalived's substitution stops after this many replacements in a line (params.ts). */
const MAX_REFERENCES = 1000;

/**
 * The template of `gen`'s text, or undefined when reading its lines takes
 * more than pasting values in, and they must go the whole way through the
 * expander: a text that keepalived would read as a conditional (`@`), a
 * definition, a generator or an include, or with comments, quotes, escapes
 * or braces outside its references, or with a `$` that is not a reference
 * either to one of the generator's variables, or to a name not defined now
 * (`lookups`), or to a name defined now by one line that can be pasted in (see
 * PLAIN_VALUE; no parameters, not computed): not a glued name, a name with
 * parameters, a lone `$`, a multi-line definition.
 */
export function templateOf(gen: Generator, site: Span, lookups: Lookups): Template | undefined {
  const text = gen.text;
  const t = text.text;
  if (!t.length || t[0] === '@' || t[0] === '~' || /^\$[A-Za-z_][A-Za-z0-9_]*=/.test(t)) return undefined;
  const parts: MappedText[] = [];
  const refs: TemplateRef[] = [];
  const unknown: { part: number; at: number; end: number; name: string }[] = [];
  let from = 0;
  // The text around every reference: the braces of a `${NAME}` kept as written are not braces to keepalived's brace search.
  let around = '';
  let after = 0;
  for (let i = t.indexOf('$'); i >= 0; i = t.indexOf('$', i + 1)) {
    const ref = parseReference(t, i);
    if (!ref || ref.params.length || refs.length >= MAX_REFERENCES) return undefined;
    around += t.slice(after, i);
    after = ref.end;
    // A later variable of the same name is the one defined (each is set in turn).
    const value = gen.vars.lastIndexOf(ref.name);
    const def = value < 0 ? lookups.get(ref.name) : undefined;
    if (value < 0 && !def) {
      unknown.push({ part: parts.length, at: i - from, end: ref.end - from, name: ref.name });
    } else {
      // substitute() replaces such a name by its one line, rescans it (no '$' in it) and goes on.
      if (def && (def.multiline || def.fn || def.maxParams || def.lines.length !== 1 || !PLAIN_VALUE.test(def.lines[0].text))) return undefined;
      parts.push(text.slice(from, i));
      refs.push({ value, site: text.siteSpan(i, ref.end), def });
      from = ref.end;
    }
    i = ref.end - 1;
  }
  around += t.slice(after);
  if (NOT_PLAIN_TEXT.test(around)) return undefined;
  parts.push(text.slice(from));
  return { gen, site, parts, refs, unknown, lookups };
}

/** Where the references to undefined names are in the line `template` makes of `row`. */
export function unknownRefs(template: Template, row: readonly string[]): { start: number; end: number; name: string }[] {
  const out: { start: number; end: number; name: string }[] = [];
  let part = 0;
  let base = 0;
  for (const u of template.unknown) {
    for (; part < u.part; part++) base += template.parts[part].length + valueOf(template.refs[part], row).length;
    out.push({ start: base + u.at, end: base + u.end, name: u.name });
  }
  return out;
}

/**
 * The line `template` makes of `row`, as text, when pasting the values in is
 * all that substitution and keepalived's reading of the line would do;
 * undefined otherwise (a value that cannot be pasted, see PLAIN_VALUE; a
 * line that would be trimmed, read as a conditional or an include, or grow
 * too long), and the line goes the whole way.
 */
export function generatedText(template: Template, row: readonly string[]): string | undefined {
  const { parts, refs } = template;
  let text = parts[0].text;
  for (let k = 0; k < refs.length; k++) {
    const v = valueOf(refs[k], row);
    if (!refs[k].def && !PLAIN_VALUE.test(v)) return undefined;
    text += v;
    text += parts[k + 1].text;
    if (text.length > MAX_SUBSTITUTED_LINE / 2) return undefined;
  }
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  // decomment() trims blanks, '@' starts a conditional.
  if (!text.length || first === 32 || first === 9 || first === 64 || last === 32 || last === 9 || /^include[rmwba]?[ \t]/.test(text)) return undefined;
  return text;
}

/**
 * The line `template` makes of `row`, mapped as substitution maps it: the
 * text around the references as it was, each value one computed piece that
 * maps to the generator and came in through its reference (a definition's
 * line: where it was written, come in through the reference).
 */
export function generatedLine(template: Template, row: readonly string[]): MappedText {
  const { parts, refs, site } = template;
  // Nothing substituted: keepalived's reading gives the text itself.
  if (!refs.length) return parts[0];
  // As MappedText.concat() would join them, without a text for each value.
  const pieces: Piece[] = [];
  let text = '';
  const add = (part: MappedText) => {
    for (const p of part.pieces) pieces.push(text.length ? { ...p, start: p.start + text.length } : p);
    text += part.text;
  };
  add(parts[0]);
  for (let k = 0; k < refs.length; k++) {
    const r = refs[k];
    // A definition's line maps where it was written, as it came in through the reference.
    if (r.def) add(r.def.lines[0].withSite(r.site));
    else {
      const v = row[r.value];
      if (v.length) pieces.push({ start: text.length, len: v.length, file: site.file, offset: site.start, site: r.site, point: true });
      text += v;
    }
    add(parts[k + 1]);
  }
  return new MappedText(text, pieces);
}

/**
 * Lines generated one after another, as one text joined by newlines (the
 * text the parser would have joined). Each line's map is built when asked
 * (`line(j)`); the parser's offset map reads the lines one by one through
 * `starts` and `line`, exactly as it would read them apart. As a MappedText
 * of its own, the newline after a line maps to where that line's last
 * character came in.
 */
export class GeneratedLines extends MappedText {
  /** The last line built: the parser asks for one line several times in a row. */
  private lastJ = -1;
  private lastLine: MappedText | undefined;

  constructor(
    text: string,
    /** Where each line starts in `text`. */
    readonly starts: readonly number[],
    private readonly templates: readonly Template[],
    private readonly rows: readonly number[],
  ) {
    super(text, undefined);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Line j, mapped as the expander would have mapped it alone. */
  line(j: number): MappedText {
    if (this.lastJ === j) return this.lastLine!;
    const t = this.templates[j];
    this.lastJ = j;
    return (this.lastLine = generatedLine(t, t.gen.values[this.rows[j]]));
  }

  protected override buildPieces(): readonly Piece[] {
    const out: Piece[] = [];
    for (let j = 0; j < this.count; j++) {
      const base = this.starts[j];
      const line = this.line(j);
      for (const p of line.pieces) out.push({ ...p, start: p.start + base });
      if (j + 1 < this.count) {
        const s = line.siteSpan(line.length - 1, line.length);
        out.push({ start: base + line.length, len: 1, file: s.file, offset: s.end, site: s, point: true });
      }
    }
    return out;
  }
}

/**
 * keepalived's parameters: `$NAME=value` definitions (one line, or several
 * lines continued with a trailing `\`), and their substitution at use:
 * `$NAME` (ended by blank, `,`, `)` or end of line) or `${NAME}` / `${NAME a b}`.
 * Substitution is recursive (the replaced text is scanned again), as in
 * keepalived's replace_param(); undefined names stay as they are.
 */
import type { Span } from '../diag/span.js';
import { EMPTY, MappedText } from './mapped.js';

export interface Definition {
  readonly name: string;
  /** Lines of the value (one for an ordinary definition). */
  lines: MappedText[];
  multiline: boolean;
  /** Where it was defined (absent for keepalived's predefined names). */
  readonly span?: Span;
  /** Predefined names compute their value. */
  readonly fn?: (params: readonly number[]) => string;
  readonly maxParams: number;
}

export interface Reference {
  /** Index of `$` in the line. */
  start: number;
  /** End of the reference (exclusive). */
  end: number;
  name: string;
  braces: boolean;
  params: readonly number[];
}

const NAME_START = /[A-Za-z_]/;
/** The params of every reference without braces (shared, never written to). */
const NO_PARAMS: readonly number[] = Object.freeze([]);
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Parses a reference starting at `$` (index i), or undefined if the text there is not a reference. */
export function parseReference(text: string, i: number): Reference | undefined {
  let p = i + 1;
  const braces = text[p] === '{';
  if (braces) p++;
  if (!NAME_START.test(text[p] ?? '')) return undefined;
  const nameStart = p;
  while (p < text.length && NAME_CHAR.test(text[p])) p++;
  const name = text.slice(nameStart, p);
  if (braces) {
    const m = /^((?: +\d+)*) *\}/.exec(text.slice(p));
    if (!m) return undefined;
    const params = m[1].trim().split(/ +/).filter(Boolean).map(Number);
    return { start: i, end: p + m[0].length, name, braces, params };
  }
  const c = text[p];
  if (c !== undefined && c !== ' ' && c !== '\t' && c !== ',' && c !== ')') return undefined;
  return { start: i, end: p, name, braces, params: NO_PARAMS };
}

export class Definitions {
  private readonly defs = new Map<string, Definition>();
  /**
   * Counts changes to the definitions (a name set, a multi-line value grown):
   * two points of an expansion at the same version see the same values.
   */
  private changes = 0;

  get version(): number {
    return this.changes;
  }

  /** A definition's value was changed in place (a line added to a multi-line one). */
  touch(): void {
    this.changes++;
  }

  constructor(predefined: { pwd: () => string; instance: string }) {
    const fixed = (name: string, value: string | (() => string), maxParams = 0, fn?: Definition['fn']) =>
      this.defs.set(name, {
        name,
        lines: [],
        multiline: false,
        maxParams,
        fn: fn ?? (typeof value === 'function' ? value : () => value),
      });
    fixed('_PWD', predefined.pwd);
    fixed('_INSTANCE', predefined.instance);
    // _RANDOM would make the result differ per run; ka2pcmk is deterministic,
    // so it yields the low bound (the caller reports that it did).
    fixed('_RANDOM', '', 2, (ps) => String(ps.length ? ps[0] : 0));
    fixed('_HASH', '#');
    fixed('_BANG', '!');
  }

  get(name: string): Definition | undefined {
    return this.defs.get(name);
  }

  set(def: Definition): void {
    this.changes++;
    this.defs.set(def.name, def);
  }

  /** Defines NAME=value for generators (~SEQ, ~LST). */
  setValue(name: string, value: MappedText): void {
    this.changes++;
    this.defs.set(name, { name, lines: [value], multiline: false, maxParams: 0 });
  }

  /** keepalived's check_definition(): `$NAME=value` at the start of a line. */
  tryDefine(line: MappedText): Definition | undefined {
    const t = line.text;
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)=/.exec(t);
    if (!m) return undefined;
    let v = m[0].length;
    while (t[v] === ' ' || t[v] === '\t') v++;
    let end = t.length;
    let multiline = false;
    if (t.endsWith('\\')) {
      multiline = true;
      end--;
      while (end > v && (t[end - 1] === ' ' || t[end - 1] === '\t')) end--;
    }
    const first = line.slice(v, end);
    const def: Definition = {
      name: m[1],
      lines: multiline && !first.length ? [] : [first],
      multiline,
      span: line.siteSpan(0, t.length),
      maxParams: 0,
    };
    this.changes++;
    this.defs.set(def.name, def);
    return def;
  }
}

/** What substitute() asks of the definitions: a name's definition. */
export interface Lookup {
  get(name: string): Definition | undefined;
}

/**
 * The names a substitution looked up, and the definition each had then. A
 * text that comes back (a generator's line, once per value; a definition's
 * lines, once per use) substitutes to the same result while every one of
 * them still has that definition. A definition's lines grow only while it is
 * being read, when no line is substituted, so the Definition itself tells.
 * Not for a computed name (`_PWD`, `_RANDOM`): its value is not the
 * definition's alone, and `reusable` is then false.
 */
export class Lookups implements Lookup {
  private readonly seen = new Map<string, Definition | undefined>();
  reusable = true;

  constructor(private readonly defs: Definitions) {}

  get(name: string): Definition | undefined {
    const def = this.defs.get(name);
    if (def?.fn) this.reusable = false;
    this.seen.set(name, def);
    return def;
  }

  /** Whether every name looked up still has the definition it had. */
  hold(): boolean {
    for (const [name, def] of this.seen) if (this.defs.get(name) !== def) return false;
    return true;
  }
}

export interface SubstitutionResult {
  line: MappedText;
  /** Further lines, when a multi-line definition was expanded. */
  more: MappedText[];
  changed: boolean;
  /** References that matched nothing (kept as written). */
  undefinedRefs: Reference[];
  /** `$NAME` of a defined name glued to more text (`$VIP/24`): keepalived leaves it as written. */
  gluedRefs: { start: number; end: number; name: string }[];
  /** Predefined names with side effects worth telling (e.g. _RANDOM). */
  usedRandom: boolean;
  /** Substitution did not terminate (a definition refers to itself). */
  runaway: boolean;
  /** Substitution stopped because the line would grow past MAX_SUBSTITUTED_LINE. */
  tooLong?: boolean;
  /** References replaced (the expander's budget counts them). */
  replacements: number;
  /** The multi-line definitions whose lines `line` and `more` are, in the order replaced. */
  multiline: Definition[];
}

/** Upper bound on replacements in one line: keepalived loops for ever on `$A=$A`; we stop and say so. */
const MAX_REPLACEMENTS = 1000;
/**
 * Upper bound on a line's length after substitution (a thousand times
 * keepalived's own line buffer): a long value used a thousand times would
 * otherwise build a line of gigabytes before any other limit is checked.
 */
export const MAX_SUBSTITUTED_LINE = 1 << 20;

/**
 * keepalived's replace_param(): substitutes every defined reference, rescanning replaced text.
 * Scanning only moves forward (a replaced value is rescanned from its start,
 * and nothing before it has a '$' left to replace), so the text before the
 * scan is final: it is set aside in `done` rather than copied again by every
 * later replacement, which kept a line of a thousand references quadratic.
 */
export function substitute(line: MappedText, defs: Lookup): SubstitutionResult {
  // Arrays are made when first needed: a generator's line is substituted once per value.
  let done: MappedText[] | undefined;
  /** Length of `done`: `rest` starts there in the line being built. */
  let base = 0;
  let rest = line;
  let more: MappedText[] = NONE;
  let pos = 0;
  let count = 0;
  let changed = false;
  let usedRandom = false;
  let undefinedRefs: Reference[] = NONE;
  let gluedRefs: SubstitutionResult['gluedRefs'] = NONE;
  let multiline: Definition[] = NONE;
  /**
   * The text that came in through each reference still being rescanned
   * (innermost last, ending at `end` in the line being built): a name met
   * again inside its own value would be replaced for ever, so it is a runaway
   * at once rather than after MAX_REPLACEMENTS rounds.
   */
  let inside: { name: string; end: number }[] | undefined;
  let runaway = false;
  let tooLong = false;
  for (;;) {
    const t = rest.text;
    const i = t.indexOf('$', pos);
    if (i < 0 || i + 1 >= t.length) break;
    const ref = parseReference(t, i);
    const def = ref && defs.get(ref.name);
    const atEnd = ref !== undefined && ref.end === t.length;
    if (!ref || !def || (def.multiline && !atEnd) || (ref.params.length && !def.maxParams)) {
      if (ref && !def) undefinedRefs = add(undefinedRefs, { ...ref, start: base + ref.start, end: base + ref.end });
      if (!ref) {
        // Sticky, not a slice: a long line of glued names must not be copied once per '$'.
        GLUED.lastIndex = i;
        const g = GLUED.exec(t);
        if (g && defs.get(g[1])) gluedRefs = add(gluedRefs, { start: base + i, end: base + i + g[0].length, name: g[1] });
      }
      pos = i + 1;
      continue;
    }
    const at = base + i;
    if (inside) {
      while (inside.length && inside[inside.length - 1].end <= at) inside.pop();
      if (inside.some((r) => r.name === ref.name)) {
        runaway = true;
        break;
      }
    }
    if (++count > MAX_REPLACEMENTS) {
      runaway = true;
      break;
    }
    changed = true;
    const site = rest.siteSpan(ref.start, ref.end);
    let value: MappedText;
    if (def.fn) {
      if (def.name === '_RANDOM') usedRandom = true;
      value = computedAt(def.fn(ref.params), site);
    } else {
      value = def.lines[0] ?? EMPTY;
      if (def.multiline) {
        const mine = def.lines.slice(1);
        for (let k = 0; k < mine.length; k++) mine[k] = mine[k].withSite(site);
        more = more.length ? mine.concat(more) : mine;
        multiline = add(multiline, def);
      }
    }
    if (base + t.length - (ref.end - ref.start) + value.length > MAX_SUBSTITUTED_LINE) {
      tooLong = true;
      break;
    }
    if (i > 0) done = add(done ?? NONE, rest.slice(0, i));
    base = at;
    const tail = rest.slice(ref.end);
    rest = tail.length ? MappedText.concat([value.withSite(site), tail]) : value.withSite(site);
    pos = 0;
    const delta = value.length - (ref.end - ref.start);
    if (inside) for (const r of inside) r.end = Math.max(r.end + delta, at + value.length);
    inside = add(inside ?? NONE, { name: ref.name, end: at + value.length });
    if (STARTS_GENERATOR.test(value.text)) break;
  }
  const result: SubstitutionResult = {
    line: done ? MappedText.concat([...done, rest]) : rest,
    more,
    changed,
    undefinedRefs,
    gluedRefs,
    usedRandom,
    runaway,
    replacements: count,
    multiline,
  };
  if (tooLong) result.tooLong = true;
  return result;
}

/** A shared empty array for results that found nothing (never written to: see add()). */
const NONE: never[] = Object.freeze([]) as never[];

/**
 * Appends to an array that may still be NONE. The first element makes an
 * array of one: a push onto an empty array reserves room for seventeen, and
 * a generator's line is substituted once per value.
 */
function add<T>(list: T[], item: T): T[] {
  if (list === NONE) return [item];
  list.push(item);
  return list;
}
const GLUED = /\$([A-Za-z_][A-Za-z0-9_]*)/y;
const STARTS_GENERATOR = /^[ \t]*~/;

/** Text computed by ka2pcmk (predefined names, generator values), attributed to the span that asked for it. */
export function computedAt(text: string, site: Span): MappedText {
  if (!text.length) return EMPTY;
  // Every character maps to the start of the site; the site span covers the reference.
  return new MappedText(text, [{ start: 0, len: text.length, file: site.file, offset: site.start, site, point: true }]);
}

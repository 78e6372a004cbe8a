/**
 * The generic, table-driven check of a block: every statement is looked up in
 * the keyword table of its block; arguments are typed and range-checked;
 * blocks are required or refused as the table says; unknown, removed, newer
 * and deprecated keywords are warnings at their position. The result is a
 * lookup of entries by keyword that the builder reads declaratively.
 */
import type { Diagnostics } from '../diag/diagnostic.js';
import type { Span } from '../diag/span.js';
import { KEEPALIVED_TARGET_VERSION } from '../keywords/index.js';
import type { ArgSpec, KeywordSpec, KeywordTable } from '../keywords/types.js';
import type { Statement, Word } from '../parse/ast.js';
import type { Directive } from './types.js';
import { checkValue, placeholderIn } from './values.js';

export interface Entry {
  readonly stmt: Statement;
  readonly spec: KeywordSpec;
  readonly keyword: Word;
  /** Typed argument values by position; undefined where the value was invalid or absent. */
  readonly values: readonly (string | number | boolean | undefined)[];
  /** Entries of a `keywords` block. */
  readonly children?: Entries;
  /** Lines of a `lines` block (each line's words). */
  readonly lines?: readonly Statement[];
}

/** Entries of one block by keyword, in file order. */
export class Entries {
  readonly all: Entry[] = [];
  private readonly byName = new Map<string, Entry[]>();

  add(e: Entry): void {
    this.all.push(e);
    const list = this.byName.get(e.spec.name);
    if (list) list.push(e);
    else this.byName.set(e.spec.name, [e]);
  }
  /** Every entry of a keyword. */
  list(name: string): Entry[] {
    return this.byName.get(name) ?? [];
  }
  /** The effective entry of a keyword: the last one, as keepalived lets a repeat override. */
  get(name: string): Entry | undefined {
    const l = this.byName.get(name);
    return l?.[l.length - 1];
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  value<T extends string | number | boolean>(name: string, i = 0): T | undefined {
    return this.get(name)?.values[i] as T | undefined;
  }
}

export interface CheckContext {
  readonly diags: Diagnostics;
  readonly directives: Directive[];
}

/** Words of a statement as plain strings. */
export function texts(words: readonly Word[]): string[] {
  return words.map((w) => w.value);
}

/** The span of a statement's keyword (its first word). */
export function stmtSpan(s: Statement): Span {
  return s.words[0]?.span ?? s.block!.open;
}

/** Reports a template placeholder in a word; true when there was one. */
export function checkPlaceholder(w: Word, ctx: CheckContext): boolean {
  const ph = placeholderIn(w.value) ?? (w.raw !== w.value ? placeholderIn(w.raw) : undefined);
  if (!ph) return false;
  ctx.diags.error('template-placeholder', `'${w.value}' is an unrendered template placeholder, not a value`, w.span, {
    hint: 'render the template (or substitute the real value) before migrating',
    related: w.site ? [{ message: 'substituted here', span: w.site }] : undefined,
  });
  return true;
}

/** Tables as Maps, built once per table: dynamic keys on large object literals are slow to look up. */
const tableMaps = new WeakMap<KeywordTable, Map<string, KeywordSpec>>();
const NO_CHILDREN: KeywordTable = Object.freeze({});

/** Every spec in one object shape, so that the hot loop below reads its properties monomorphically. */
function normalized(s: KeywordSpec): KeywordSpec {
  return {
    name: s.name,
    args: s.args,
    block: s.block,
    blockOptional: s.blockOptional,
    children: s.children,
    line: s.line,
    repeatable: s.repeatable,
    deprecated: s.deprecated,
    since: s.since,
    removed: s.removed,
    doc: s.doc,
  };
}

function specOf(table: KeywordTable, name: string): KeywordSpec | undefined {
  let m = tableMaps.get(table);
  if (!m) {
    m = new Map(Object.entries(table).map(([k, v]) => [k, normalized(v)]));
    tableMaps.set(table, m);
  }
  return m.get(name);
}

/** A directive record; `args` is derived when asked (most are never asked). */
class DirectiveRecord implements Directive {
  constructor(
    readonly path: readonly string[],
    readonly keyword: string,
    readonly span: Span,
    readonly owner: string,
    readonly statement: Statement,
  ) {}
  get args(): readonly Word[] {
    return this.statement.words.slice(1);
  }
}

/** Checks the statements of one block against `table`. */
export function checkBlock(stmts: readonly Statement[], table: KeywordTable, path: readonly string[], owner: string, ctx: CheckContext): Entries {
  const entries = new Entries();
  for (const stmt of stmts) {
    const kw = stmt.words[0];
    if (!kw) continue; // a stray block, reported by the parser
    const spec = specOf(table, kw.value);
    if (!spec || spec.removed || (spec.since && newerThanTarget(spec.since))) {
      reportUnknown(kw, spec, table, path, ctx);
      continue;
    }
    if (spec.deprecated) {
      ctx.diags.warning('deprecated-keyword', `'${kw.value}' is deprecated: ${spec.deprecated.note}`, kw.span, {
        hint: spec.deprecated.replacement ? `use '${spec.deprecated.replacement}'` : undefined,
      });
    }
    if (!spec.repeatable && entries.has(spec.name) && !spec.block) {
      const first = entries.get(spec.name)!;
      ctx.diags.warning('duplicate-keyword', `'${kw.value}' is set again; keepalived uses this last value`, kw.span, {
        related: [{ message: 'first set here', span: first.keyword.span }],
      });
    }
    const values = checkArgs(stmt, spec, ctx);
    ctx.directives.push(new DirectiveRecord(path, spec.name, kw.span, owner, stmt));
    let children: Entries | undefined;
    let lines: readonly Statement[] | undefined;
    if (stmt.block && !spec.block) {
      ctx.diags.error('unexpected-block', `'${kw.value}' does not take a '{ }' block`, stmt.block.open);
    } else if (!stmt.block && spec.block && !spec.blockOptional) {
      ctx.diags.error('missing-block', `'${kw.value}' needs a '{ }' block`, kw.span);
    }
    if (stmt.block && spec.block === 'keywords') {
      children = checkBlock(stmt.block.statements, spec.children ?? NO_CHILDREN, [...path, stmt.words.map((w) => w.value).join(' ')], owner, ctx);
    } else if (stmt.block && spec.block === 'lines') {
      lines = stmt.block.statements.filter((s) => s.words.length);
      const linePath = [...path, spec.name];
      for (const l of lines) {
        ctx.directives.push(new DirectiveRecord(linePath, l.words[0].value, l.words[0].span, owner, l));
        for (const w of l.words) checkPlaceholder(w, ctx);
        if (l.block) ctx.diags.error('unexpected-block', `a '${spec.name}' line does not take a '{ }' block`, l.block.open);
      }
    }
    entries.add({ stmt, spec, keyword: kw, values, children, lines });
  }
  return entries;
}

const newer = new Map<string, boolean>();
function newerThanTarget(version: string): boolean {
  let r = newer.get(version);
  if (r === undefined) newer.set(version, (r = compareToTarget(version)));
  return r;
}

function compareToTarget(version: string): boolean {
  const a = version.split('.').map(Number);
  const b = KEEPALIVED_TARGET_VERSION.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}

function reportUnknown(kw: Word, spec: KeywordSpec | undefined, table: KeywordTable, path: readonly string[], ctx: CheckContext): void {
  if (checkPlaceholder(kw, ctx)) return;
  const where = path.length ? ` in '${path[path.length - 1]}'` : ' at the top level';
  if (spec?.removed) {
    ctx.diags.warning('removed-keyword', `'${kw.value}' was removed in keepalived ${spec.removed}; keepalived ${KEEPALIVED_TARGET_VERSION} reports it as unknown and ignores it`, kw.span);
  } else if (spec?.since) {
    ctx.diags.warning('newer-keyword', `'${kw.value}' is known to keepalived ${spec.since} and later, not to ${KEEPALIVED_TARGET_VERSION}, which ignores it`, kw.span);
  } else if (!ctx.diags.wants('unknown-keyword', kw.span)) {
    // Past the limit for this file: counted, not built (the closest-keyword search is costly).
    ctx.diags.skipped('unknown-keyword', 'warning', kw.span);
  } else {
    const guess = closest(kw.value, Object.keys(table));
    ctx.diags.warning('unknown-keyword', `unknown keyword '${kw.value}'${where}; keepalived ignores it`, kw.span, {
      hint: guess ? `did you mean '${guess}'?` : undefined,
    });
  }
}

function checkArgs(stmt: Statement, spec: KeywordSpec, ctx: CheckContext): (string | number | boolean | undefined)[] {
  const args: readonly ArgSpec[] = spec.args ?? [];
  const out: (string | number | boolean | undefined)[] = [];
  if (!args.length) return out;
  const words = stmt.words.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.arg.type === 'script' || a.arg.type === 'rest') {
      const rest = words.slice(i);
      if (!rest.length && !a.optional) missing(stmt, spec, a, ctx);
      rest.forEach((w) => checkPlaceholder(w, ctx));
      out.push(rest.length ? rest.map((w) => w.value).join(' ') : undefined);
      return out;
    }
    const group = a.repeat ? words.slice(i) : words[i] ? [words[i]] : [];
    if (!group.length) {
      if (!a.optional) missing(stmt, spec, a, ctx);
      out.push(undefined);
      continue;
    }
    for (const w of group) {
      if (checkPlaceholder(w, ctx)) {
        out.push(undefined);
        continue;
      }
      const r = checkValue(w.value, a.arg);
      if (r.ok) out.push(r.value);
      else {
        out.push(undefined);
        const what = args.length === 1 || a.name.replace(/ /g, '_') === spec.name ? spec.name : `${spec.name} ${a.name}`;
        ctx.diags.error('invalid-value', `${what}: ${r.message}`, w.span, {
          related: w.site ? [{ message: 'substituted here', span: w.site }] : undefined,
        });
      }
    }
    if (a.repeat) return out;
  }
  return out;
}

function missing(stmt: Statement, spec: KeywordSpec, a: ArgSpec, ctx: CheckContext): void {
  const kw = stmt.words[0];
  ctx.diags.error('missing-value', `'${spec.name}' is missing its ${a.name}`, { file: kw.span.file, start: kw.span.end, end: kw.span.end + 1 }, {
    hint: `write '${spec.name} <${a.name}>'`,
  });
}

/** The nearest keyword by edit distance, if close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 4)) + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) >= bestD) continue;
    const d = distance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

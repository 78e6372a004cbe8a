/**
 * The source layer: turns a keepalived.conf (and everything it includes) into
 * logical lines, exactly as keepalived's read_line() does before its parser
 * sees them:
 *  - `#` / `!` comments outside double quotes are removed (`\#`, `\!` escape them);
 *  - `@ID line` / `@^ID line` are kept or dropped for the config-id;
 *  - `$NAME=value` (and multi-line `\` definitions) are recorded, and
 *    references substituted recursively;
 *  - `~SEQ`, `~SEQx`, `~LST` repeat their line;
 *  - `include PATTERN` (and includer/m/w/b/a) read other files, relative to the
 *    including file's directory, with glob and `{a,b}` braces;
 *  - a line is split at its first `{` or `}` outside double quotes, so every
 *    brace ends up as a line of its own (keepalived's "line residue").
 * Every character of the result still knows where it was written.
 * Unlike keepalived, include cycles are detected (keepalived recurses until it
 * runs out of file handles) and unrendered template placeholders are reported.
 */
import type { Diagnostics } from '../diag/diagnostic.js';
import { SourceFile, type Span } from '../diag/span.js';
import { type ConfigFileSystem, resolveInclude } from './files.js';
import { type Generator, type GeneratorParse, parseGenerator } from './generators.js';
import { GeneratedLines, type Template, generatedLine, generatedText, templateOf, unknownRefs } from './generated.js';
import { BraceLines, EMPTY, MappedText } from './mapped.js';
import { type Definition, Definitions, type Lookup, Lookups, MAX_SUBSTITUTED_LINE, type SubstitutionResult, computedAt, substitute } from './params.js';
import { type ResidueHints, decomment, splitAtBrace } from './lines.js';
import { dirname, relative } from 'node:path';

export interface ExpandOptions {
  fs: ConfigFileSystem;
  /** keepalived's `-i ID`; undefined: no config-id (every `@ID` line is dropped, every `@^ID` line kept). */
  configId?: string;
  /** Include nesting beyond this is refused (keepalived has no limit but file handles). */
  maxIncludeDepth?: number;
  /**
   * Always take the line-by-line path, one output line per logical line,
   * each substituted in full, every time (tests compare it with the direct
   * path, with merged runs, with pasted generator lines and with
   * substitutions kept for lines that come back).
   */
  lineByLine?: boolean;
}

export interface ExpandedConfig {
  /**
   * Logical lines, comments removed, each brace a line of its own, to be
   * joined by newlines. Lines written one after another in one file, with
   * only blanks and line breaks between them, come as one text (see
   * Expander.pushOut): the lexer reads them the same way, and a file of a
   * million short lines is not a million objects. So do lines a generator
   * made by pasting its values in (a GeneratedLines, see generate).
   */
  readonly lines: readonly MappedText[];
  /** Every file read, in the order first read. */
  readonly files: readonly SourceFile[];
  /** The config-id the `@` lines were evaluated for. */
  readonly configId: string | undefined;
  /**
   * What generators and parameters added, as charged against the budget:
   * lines and characters generated (each read and evaluated, whether or not
   * it produced a line) and substitutions made.
   */
  readonly generated: { readonly lines: number; readonly chars: number; readonly replacements: number };
}

/** keepalived reads lines with fgets() into a 1024-byte buffer. */
const KEEPALIVED_LINE_MAX = 1023;
/** keepalived crashes on a quoted string longer than about this (MAXBUF). */
const KEEPALIVED_QUOTED_MAX = 1024;

/**
 * What generators and parameters may add to a configuration, in all. keepalived
 * has no bound: `~SEQ` nests, and a definition that expands to itself loops
 * until memory runs out. Real configurations add a few thousand lines; past
 * this budget the rest of the expansion is dropped, with an error.
 */
export const MAX_EXPANDED_LINES = 100_000;
export const MAX_EXPANDED_CHARS = 8_000_000;
/** References replaced in all: each copies its line, so a line of a thousand empty ones costs without growing. */
export const MAX_EXPANDED_REPLACEMENTS = 200_000;

/**
 * The multi-line definitions a line came out of, innermost first, each with
 * the definitions' version when its lines were pushed. Only entries of one
 * version are linked: an older one can never be met again unchanged.
 */
interface Expansion {
  readonly def: Definition;
  readonly version: number;
  readonly up: Expansion | undefined;
}

type Producer =
  | { kind: 'file'; file: SourceFile; pos: number; depth: number; via?: Span }
  | { kind: 'lines'; lines: MappedText[]; i: number; expansion?: Span; residue?: ResidueHints; within?: Expansion }
  | { kind: 'gen'; gen: Generator; i: number; site: Span; template: Template | undefined }
  | { kind: 'glob'; paths: string[]; i: number; depth: number; via: Span };

interface RawLine {
  line: MappedText;
  fromFile: boolean;
  /** A line's residue after a brace, and what is known absent from it. */
  residue?: ResidueHints;
  within?: Expansion;
}

/** Expands `entry` and everything it includes. Never throws on bad input: problems go to `diags`. */
export function expand(entry: string, opts: ExpandOptions, diags: Diagnostics): ExpandedConfig {
  return new Expander(opts, diags).run(entry);
}

/** What was made of a line that comes back, with the definitions it looked up (see Lookups). */
interface Kept<T> {
  readonly value: T;
  readonly lookups: Lookups;
  /** For a substitution: the line it gave once decommented. */
  after?: MappedText;
}

class Expander {
  private readonly stack: Producer[] = [];
  private readonly out: MappedText[] = [];
  private readonly files: SourceFile[] = [];
  private readonly defs: Definitions;
  private readonly maxDepth: number;
  /** A multi-line definition being read. */
  private openDef: Definition | undefined;
  /**
   * Where each kind of diagnostic was reported once per place: per code, per
   * file path, the offsets. Numbers, not string keys: a generator or a
   * definition can bring the same reference back a hundred thousand times.
   */
  private readonly reportedAt = new Map<string, Map<string, Set<number>>>();
  /** Where each definition's lines were found leading back to it (reported once per place). */
  private readonly recursions = new Map<Definition, Map<SourceFile, Set<number>>>();
  /** Lines and characters added by generators and parameters so far (see MAX_EXPANDED_LINES). */
  private expanded = { lines: 0, chars: 0, replacements: 0, spent: false };
  /** The multi-line definitions the line being processed came out of. */
  private within: Expansion | undefined;
  /** Verbatim lines of one file being gathered into one output text (see pushOut). */
  private gathered: { file: SourceFile; start: number; end: number; first: MappedText; lineClean: boolean } | undefined;
  /** Generated lines being gathered into one output text (see generate). */
  private generated: { texts: string[]; templates: Template[]; rows: number[] } | undefined;
  /** Templates whose references to undefined names were reported. */
  private readonly reportedTemplates = new WeakSet<Template>();
  /**
   * The substitution of each line that comes back (not read from a file: a
   * generator's text, a definition's lines), with what it looked up, and the
   * line it gave once decommented: the next time, while those names are
   * defined the same way, it is the same (see Lookups), and what it had to
   * report was reported the first time.
   */
  private readonly substituted = new WeakMap<MappedText, Kept<SubstitutionResult>>();
  /**
   * The same for generators: a generator's line that comes back (an outer
   * generator's text) makes the same generator, whose text is then the same
   * line again, while its parameters' names keep their definitions.
   */
  private readonly generators = new WeakMap<MappedText, Kept<GeneratorParse>>();

  constructor(
    private readonly opts: ExpandOptions,
    private readonly diags: Diagnostics,
  ) {
    this.maxDepth = opts.maxIncludeDepth ?? 32;
    this.defs = new Definitions({ pwd: () => this.currentDir(), instance: opts.configId ?? '' });
  }

  run(entry: string): ExpandedConfig {
    const r = this.opts.fs.read(entry);
    if (!r.ok) {
      this.diags.error('file-unreadable', `cannot read ${entry}: ${r.reason}`);
    } else if (!this.opts.lineByLine && isPlain(r.text)) {
      // Nothing in the file changes it line by line: it is its own expansion.
      const file = new SourceFile(entry, r.text);
      this.files.push(file);
      this.out.push(MappedText.verbatim(file, 0, r.text));
    } else {
      this.pushFile(entry, r.text, 0);
      this.loop();
      this.flushRun();
    }
    const { lines, chars, replacements } = this.expanded;
    return { lines: this.out, files: this.files, configId: this.opts.configId, generated: { lines, chars, replacements } };
  }

  private currentDir(): string {
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const p = this.stack[k];
      if (p.kind === 'file') return dirname(p.file.path);
    }
    return '/';
  }

  private pushFile(path: string, text: string, depth: number, via?: Span): void {
    const file = new SourceFile(path, text);
    this.files.push(file);
    if (text.charCodeAt(0) === 0xfeff) {
      this.diags.error('utf8-bom', 'the file starts with a UTF-8 byte order mark: keepalived 2.2 does not skip it and reads the first keyword as unknown', { file, start: 0, end: 1 }, {
        hint: "remove it, e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' FILE",
      });
    }
    this.stack.push({ kind: 'file', file, pos: text.charCodeAt(0) === 0xfeff ? 1 : 0, depth, via });
  }

  /** The next raw line from the top producer, or undefined when it is exhausted (and popped). */
  private next(): RawLine | undefined {
    const top = this.stack[this.stack.length - 1];
    switch (top.kind) {
      case 'file': {
        const t = top.file.text;
        if (top.pos >= t.length) break;
        const start = top.pos;
        let end = t.indexOf('\n', start);
        top.pos = end < 0 ? t.length : end + 1;
        if (end < 0) end = t.length;
        while (end > start && (t.charCodeAt(end - 1) === 13 || t.charCodeAt(end - 1) === 10)) end--;
        const line = MappedText.verbatim(top.file, start, t.slice(start, end));
        return { line, fromFile: true };
      }
      case 'lines':
        if (top.i < top.lines.length && (!top.expansion || this.charge(1, top.lines[top.i].length, top.expansion))) {
          const raw: RawLine = { line: top.lines[top.i++], fromFile: false, residue: top.residue, within: top.within };
          // Done with its last line: popped now, so that a last line that opens
          // another expansion (a definition that ends by naming itself) does
          // not pile up exhausted producers, one per round.
          if (top.i >= top.lines.length) this.stack.pop();
          return raw;
        }
        break;
      case 'gen': {
        while (top.i < top.gen.values.length && !this.expanded.spent) {
          const row = top.i++;
          const values = top.gen.values[row];
          const vars = top.gen.vars;
          for (let k = 0; k < vars.length; k++) this.defs.setValue(vars[k], computedAt(values[k], top.site));
          if (!top.template || this.openDef || !this.generate(top.template, row)) return { line: top.gen.text, fromFile: false };
        }
        break;
      }
      case 'glob': {
        while (top.i < top.paths.length) {
          const path = top.paths[top.i++];
          if (this.openInclude(path, top.depth, top.via)) return { line: EMPTY, fromFile: false };
        }
        break;
      }
    }
    this.stack.pop();
    return undefined;
  }

  /**
   * Counts what an expansion adds; false (and an error, once) when the budget
   * is spent, so that the caller drops the rest of that expansion. `site` is
   * a span, or a line whose whole span is worked out only then.
   */
  private charge(lines: number, chars: number, site: Span | MappedText, replacements = 0): boolean {
    if (this.expanded.spent) return false;
    const e = this.expanded;
    if (e.lines + lines <= MAX_EXPANDED_LINES && e.chars + chars <= MAX_EXPANDED_CHARS && e.replacements + replacements <= MAX_EXPANDED_REPLACEMENTS) {
      e.lines += lines;
      e.chars += chars;
      e.replacements += replacements;
      return true;
    }
    // Refused: not generated, so not counted.
    e.spent = true;
    this.diags.error('expansion-too-large', `generators and parameters expand to more than ${MAX_EXPANDED_LINES} lines, ${MAX_EXPANDED_CHARS} characters or ${MAX_EXPANDED_REPLACEMENTS} substitutions: the rest of the expansion is ignored (keepalived has no limit; a generator that nests or a definition that refers to itself would exhaust its memory)`, site instanceof MappedText ? site.siteSpan(0, site.length) : site);
    return false;
  }

  private loop(): void {
    while (this.stack.length) {
      const top = this.stack[this.stack.length - 1];
      if (top.kind === 'file' && this.gathered?.file === top.file && !this.openDef && !this.generated) this.readPlainLines(top);
      const raw = this.next();
      if (!raw) continue;
      let line = raw.line;
      if (raw.fromFile) {
        this.checkLength(line);
        if (!line.length) {
          // A blank line ends a multi-line definition.
          this.openDef = undefined;
          continue;
        }
        const dc = decomment(line);
        for (const ph of dc.placeholders) {
          this.diags.error('template-placeholder', `'${ph.text}' looks like an unrendered template placeholder; keepalived reads it as a comment`, line.siteSpan(ph.start, ph.end), {
            hint: 'render the template (or substitute the value) before migrating',
          });
        }
        // An unterminated quote is the lexer's to report (parse.ts): it sees both kinds of quote, on every path.
        line = dc.line;
        if (dc.continued && !this.openDef && !/^\$[A-Za-z_][A-Za-z0-9_]*=/.test(line.text) && line.length) {
          this.diags.warning('line-continuation', LINE_CONTINUATION, line.siteSpan(line.length - 1, line.length));
        }
      }
      if (this.openDef) {
        this.appendToDefinition(line);
        continue;
      }
      if (!line.length) continue;
      this.within = raw.within;
      const processed = this.process(line, raw.residue?.noDollar, !raw.fromFile && !this.opts.lineByLine);
      if (!processed || !processed.length) continue;
      if (this.tryInclude(processed)) continue;
      // A residue still as it was (no '@' stripped, nothing substituted) keeps its hints.
      this.emit(processed, processed === line ? raw.residue : undefined);
    }
  }

  /**
   * Reads on, straight from the file, the lines that would only extend the
   * run of lines gathered so far (pushOut), and stops at the first that might
   * do anything else, which next() then reads the whole way: a line is taken
   * here when decomment() and process() would give it back as it is, it is
   * no include, it has no brace to cut at, and pushOut() would join it to the
   * run. The one thing such a line can add is the `line-continuation` warning
   * of a lone `\`. A file of a million short lines otherwise made a text,
   * a raw line and a dozen short-lived objects of each (a megabyte of `\`
   * lines: the expander's share about 150 ms of 450); expand-runs.test.ts
   * compares this with the line-by-line reading, which never comes here.
   */
  private readPlainLines(top: Extract<Producer, { kind: 'file' }>): void {
    const run = this.gathered!;
    const t = top.file.text;
    let pos = top.pos;
    while (pos < t.length) {
      let end = t.indexOf('\n', pos);
      const next = end < 0 ? t.length : end + 1;
      if (end < 0) end = t.length;
      while (end > pos && t.charCodeAt(end - 1) === 13) end--;
      const len = end - pos;
      if (len === 0 || len > KEEPALIVED_LINE_MAX / 4) return;
      const line = t.slice(pos, end);
      const continued = line === '\\';
      if (!continued && (!PLAIN_LINE.test(line) || MAYBE_REFERENCE.test(line) || line.startsWith('include') || endsEscaping(line))) return;
      if (gapKind(t, run.end, pos) !== 'lines' || !(run.lineClean || t.charCodeAt(run.end) === 10)) return;
      if (continued) this.diags.warning('line-continuation', LINE_CONTINUATION, { file: top.file, start: pos, end: pos + 1 });
      run.lineClean = !GLUE.test(line);
      run.end = end;
      this.within = undefined;
      pos = top.pos = next;
    }
  }

  private checkLength(line: MappedText): void {
    if (line.length <= KEEPALIVED_LINE_MAX / 4 || Buffer.byteLength(line.text) <= KEEPALIVED_LINE_MAX) return;
    const q = /"([^"]*)"/g;
    for (let m = q.exec(line.text); m; m = q.exec(line.text)) {
      if (Buffer.byteLength(m[1]) > KEEPALIVED_QUOTED_MAX) {
        this.diags.error('quoted-string-too-long', `quoted string of ${Buffer.byteLength(m[1])} bytes: keepalived crashes on a quoted string longer than ${KEEPALIVED_QUOTED_MAX} bytes`, line.siteSpan(m.index, m.index + 1));
        return;
      }
    }
    this.diags.warning('line-too-long', `line of ${Buffer.byteLength(line.text)} bytes: keepalived reads at most ${KEEPALIVED_LINE_MAX} bytes per line and parses the rest as a new line`, line.siteSpan(KEEPALIVED_LINE_MAX, KEEPALIVED_LINE_MAX + 1));
  }

  private appendToDefinition(line: MappedText): void {
    const def = this.openDef!;
    let text = line;
    let more = false;
    if (text.text.endsWith('\\')) {
      more = true;
      let end = text.length - 1;
      while (end > 0 && (text.text[end - 1] === ' ' || text.text[end - 1] === '\t')) end--;
      text = text.slice(0, end);
    }
    if (text.length) {
      def.lines.push(text);
      this.defs.touch();
    }
    if (!more) {
      this.openDef = undefined;
      if (!def.lines.length) def.multiline = false;
    }
  }

  /**
   * The `@`, `$`, `~` and substitution passes of read_line(); undefined when
   * the line is consumed. `again`: the line may come back (it was not read
   * from a file), and its substitution is kept for then.
   */
  private process(line: MappedText, noDollar = false, again = false): MappedText | undefined {
    for (let round = 0; round < 100; round++) {
      if (line.text[0] === '@') {
        const kept = this.conditional(line);
        if (!kept) return undefined;
        line = kept;
      }
      if (line.text[0] === '$') {
        const def = this.defs.tryDefine(line);
        if (def) {
          if (def.multiline) this.openDef = def;
          return undefined;
        }
      }
      if (line.text.startsWith('~SEQ') || line.text.startsWith('~LST')) {
        if (this.expanded.spent) return undefined;
        const g = again ? this.reuse(this.generators, line, (defs) => parseGenerator(line, defs)).kept.value : parseGenerator(line, this.defs);
        const site = line.siteSpan(0, line.length);
        if (!g.ok) this.diags.error('invalid-generator', g.message, site);
        // Charged whole, up front: nested generators open depth first, before any line of theirs is read.
        else if (this.charge(g.gen.values.length, g.gen.values.length * g.gen.text.length, site)) {
          this.stack.push({ kind: 'gen', gen: g.gen, i: 0, site, template: this.opts.lineByLine ? undefined : templateOf(g.gen, site, new Lookups(this.defs)) });
        }
        return undefined;
      }
      // Only a '$' before a name or a '{' can be a reference (or a glued one worth a warning).
      if (line.text[0] === '~' || noDollar || !MAYBE_REFERENCE.test(line.text)) return line;
      const { kept, reused } = again ? this.reuse(this.substituted, line, (defs) => substitute(line, defs)) : NOT_KEPT;
      const sub = kept ? kept.value : substitute(line, this.defs);
      // Their offsets are in the substituted line: a reference can come in with a definition's value.
      // A substitution reused had them reported (or found reported) the first time.
      if (!reused) for (const ref of sub.undefinedRefs) this.reportUndefined(sub.line, ref.start, ref.end, ref.name);
      if (!reused) for (const g of sub.gluedRefs) {
        const span = sub.line.writtenSpan(g.start, g.end) ?? sub.line.siteSpan(g.start, g.end);
        if (!this.firstAt('parameter-not-substituted', span)) continue;
        this.diags.warning('parameter-not-substituted', `keepalived does not substitute '$${g.name}' here: a name must be followed by a blank, ',', ')' or the end of the line`, span, {
          hint: `write \${${g.name}} to substitute it`,
        });
      }
      if (sub.usedRandom) this.once('random-parameter', line, 'info', "${_RANDOM} gives a different value on every keepalived start; ka2pcmk uses the low bound");
      if (sub.replacements && !this.charge(0, 0, line, sub.replacements)) return undefined;
      if (sub.tooLong) {
        this.diags.error('expansion-too-large', `parameter substitution makes this line longer than ${MAX_SUBSTITUTED_LINE} characters: it is ignored`, line.siteSpan(0, line.length));
        return undefined;
      }
      if (sub.runaway) {
        this.diags.error('parameter-recursion', 'parameter substitution does not terminate (a definition refers to itself); keepalived would loop for ever', line.siteSpan(0, line.length));
        return undefined;
      }
      if (sub.multiline.length && !this.enterMultiline(line, sub.multiline)) return undefined;
      if (!sub.changed) return line;
      if (!this.charge(0, Math.max(0, sub.line.length - line.length), line)) return undefined;
      if (sub.more.length) this.stack.push({ kind: 'lines', lines: sub.more, i: 0, expansion: line.siteSpan(0, line.length), within: this.within });
      line = kept ? (kept.after ??= decomment(sub.line).line) : decomment(sub.line).line;
      if (line.text[0] !== '@' && !line.text.includes('$')) return line;
    }
    return line;
  }

  /**
   * What `make` makes of a line that may come back: as kept in `cache` the
   * last time (`reused`) while the names it looked up keep their
   * definitions, or made again, and kept unless it looked up a computed name.
   */
  private reuse<T>(cache: WeakMap<MappedText, Kept<T>>, line: MappedText, make: (defs: Lookup) => T): { kept: Kept<T>; reused: boolean } {
    const known = cache.get(line);
    if (known && known.lookups.hold()) return { kept: known, reused: true };
    const lookups = new Lookups(this.defs);
    const kept: Kept<T> = { value: make(lookups), lookups };
    if (lookups.reusable) cache.set(line, kept);
    return { kept, reused: false };
  }

  /**
   * Records that `line` now reads the lines of multi-line definitions; false
   * (and an error) when one of them is already being read, with no definition
   * changed since its lines began: from here keepalived would read the same
   * lines again and again, for ever (`$M=\ x\ $M` prints "Unknown keyword
   * 'x'" until it is killed). Found at the first repeat, not at the budget.
   */
  private enterMultiline(line: MappedText, defs: readonly Definition[]): boolean {
    const version = this.defs.version;
    for (const def of defs) {
      for (let e = this.within; e && e.version === version; e = e.up) {
        if (e.def !== def) continue;
        // Once per place: a generator line that uses it is read once per value.
        const span = line.siteSpan(0, line.length);
        let places = this.recursions.get(def);
        if (!places) this.recursions.set(def, (places = new Map()));
        let starts = places.get(span.file);
        if (!starts) places.set(span.file, (starts = new Set()));
        if (starts.has(span.start)) return false;
        starts.add(span.start);
        this.diags.error('parameter-recursion', `the lines of '$${def.name}' lead back to '$${def.name}' with no definition changed in between: keepalived would read them again and again, for ever; the rest of this expansion is ignored`, span, {
          related: def.span ? [{ message: `'$${def.name}' is defined here`, span: def.span }] : undefined,
        });
        return false;
      }
    }
    for (const def of defs) this.within = { def, version, up: this.within?.version === version ? this.within : undefined };
    return true;
  }

  private reportUndefined(line: MappedText, start: number, end: number, name: string): void {
    const span = line.writtenSpan(start, end) ?? line.siteSpan(start, end);
    if (this.reportedAt.get('undefined-parameter')?.get(span.file.path)?.has(span.start) || insideQuotes(line.text, start)) return;
    this.firstAt('undefined-parameter', span);
    this.diags.warning('undefined-parameter', `parameter '${name}' is not defined; keepalived keeps '${line.text.slice(start, end)}' as written`, span, {
      hint: /^[A-Z_][A-Z0-9_]*$/.test(name) ? 'this looks like an unrendered template variable: render the template first' : undefined,
    });
  }

  /** True the first time a diagnostic of `code` is met at where `span` starts (and records it). */
  private firstAt(code: string, span: Span): boolean {
    let files = this.reportedAt.get(code);
    if (!files) this.reportedAt.set(code, (files = new Map()));
    let at = files.get(span.file.path);
    if (!at) files.set(span.file.path, (at = new Set()));
    if (at.has(span.start)) return false;
    at.add(span.start);
    return true;
  }

  private once(code: string, line: MappedText, severity: 'info' | 'warning', message: string): void {
    const span = line.siteSpan(0, line.length);
    if (!this.firstAt(code, span)) return;
    this.diags.add({ code, severity, message, span });
  }

  /** `@ID rest` / `@^ID rest`: the rest when the line applies to this config-id. */
  private conditional(line: MappedText): MappedText | undefined {
    const t = line.text;
    const rev = t[1] === '^';
    const idStart = rev ? 2 : 1;
    const m = /[ \t]/.exec(t.slice(idStart));
    if (!m) return undefined;
    const id = t.slice(idStart, idStart + m.index);
    const matches = this.opts.configId !== undefined && id === this.opts.configId;
    if (matches === rev) return undefined;
    let p = idStart + m.index;
    while (t[p] === ' ' || t[p] === '\t') p++;
    return line.slice(p);
  }

  private tryInclude(line: MappedText): boolean {
    const t = line.text;
    const m = /^include([rmwba])?[ \t]+/.exec(t);
    if (!m) return false;
    const via = line.siteSpan(0, line.length);
    const pattern = t.slice(m[0].length);
    const here = via.file.path;
    const full = resolveInclude(pattern, here);
    const depth = this.includeDepth() + 1;
    if (depth > this.maxDepth) {
      this.diags.error('include-too-deep', `includes nested more than ${this.maxDepth} deep`, via);
      return true;
    }
    const paths = this.opts.fs.glob(full);
    if (!paths.length) {
      this.diags.warning('include-not-found', `no file matches '${pattern}'${pattern.startsWith('/') ? '' : " (relative to the including file's directory)"}; keepalived skips it`, line.siteSpan(m[0].length, line.length));
      return true;
    }
    this.stack.push({ kind: 'glob', paths, i: 0, depth, via });
    return true;
  }

  private includeDepth(): number {
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const p = this.stack[k];
      if (p.kind === 'file') return p.depth;
    }
    return 0;
  }

  /** Opens one file of an include glob; false when it is skipped. */
  private openInclude(path: string, depth: number, via: Span): boolean {
    if (path.endsWith('/')) {
      this.diags.warning('include-directory', `'${path}' is a directory; keepalived skips it`, via);
      return false;
    }
    const chain = this.stack.filter((p): p is Extract<Producer, { kind: 'file' }> => p.kind === 'file');
    const loopAt = chain.findIndex((p) => p.file.path === path);
    if (loopAt >= 0) {
      // Named relative to the first file of the cycle, so the message reads the same wherever the files live.
      const base = dirname(chain[loopAt].file.path);
      const short = (p: string) => relative(base, p) || p;
      const names = [...chain.slice(loopAt).map((p) => short(p.file.path)), short(path)];
      this.diags.error('include-cycle', `include cycle: ${names.join(' -> ')}; keepalived would recurse until it runs out of file handles`, via, {
        related: chain.slice(loopAt + 1).map((p) => ({ message: `${short(p.file.path)} is included here`, span: p.via! })),
      });
      return false;
    }
    const r = this.opts.fs.read(path);
    if (!r.ok) {
      this.diags.warning('include-unreadable', `cannot read included file ${path}: ${r.reason}`, via);
      return false;
    }
    this.pushFile(path, r.text, depth, via);
    return true;
  }

  /**
   * Adds a line to the output. A verbatim line that follows the previous one
   * in the same file, with only blanks and line breaks between them, joins it
   * in one text cut from the file, when the lexer reads the joined text as it
   * reads the lines apart:
   *  - across a line break: no token spans one (but a blank after a
   *    backslash is escaped, and an unterminated quote runs to the end of
   *    the line: a line with a quote or a backslash joins only when the
   *    break follows it at once);
   *  - on one line (the pieces of a line cut at its braces) only when neither
   *    that line's gathered text nor the new piece holds a quote, a backslash,
   *    a '$', '#' or '!', the characters that could glue a brace to its
   *    neighbour into one word (`'{'`, `\{`, `${X}`) or a comment (`#c{`: a
   *    residue is not searched for comments again, the lexer would be), and
   *    never into a new `{{` or `{%`.
   *    (The lexer's `{{ }}` placeholder needs its `}}` on the line, where
   *    keepalived's brace search would have found it too and not cut; but
   *    the lexer would search for it from every brace of a line of braces.)
   * With `lineByLine` every line stays apart (tests compare the two).
   */
  private pushOut(line: MappedText): void {
    if (this.generated) this.flushGenerated();
    const at = this.opts.lineByLine ? undefined : line.verbatimAt;
    const run = this.gathered;
    if (at && run && run.file === at.file && at.offset >= run.end) {
      const gap = gapKind(at.file.text, run.end, at.offset);
      const clean = !GLUE.test(line.text);
      // A line with a quote or a backslash keeps its trailing blanks out: `\ ` is an escaped blank.
      const joins = gap === 'lines' ? run.lineClean || at.file.text.charCodeAt(run.end) === 10 : gap === 'blanks' && run.lineClean && clean && !opensPlaceholder(at.file.text, run.end, line.text);
      if (joins) {
        run.end = at.offset + line.length;
        run.lineClean = gap === 'lines' ? clean : true;
        return;
      }
    }
    this.flushRun();
    if (!at) {
      this.out.push(line);
      return;
    }
    this.gathered = { file: at.file, start: at.offset, end: at.offset + line.length, first: line, lineClean: !GLUE.test(line.text) };
  }

  /**
   * Reads the line a generator makes of its values `row`, when its text uses
   * only the generator's variables and names still undefined, and pasting the
   * values in is all there is to do (see generated.ts): what process() and
   * emit() would do, without
   * substituting, and without mapping the line until the parser asks. False
   * when the line must go the whole way.
   */
  private generate(template: Template, row: number): boolean {
    const values = template.gen.values[row];
    const text = generatedText(template, values);
    if (text === undefined) return false;
    // Every name undefined or pasted as defined must still be so (a line read the whole way may have defined it again).
    if (!template.lookups.hold()) return false;
    const line = template.gen.text;
    this.within = undefined;
    // Reported as process() reports them, once: every line has them in the same place.
    if (template.unknown.length && !this.reportedTemplates.has(template)) {
      this.reportedTemplates.add(template);
      const mapped = generatedLine(template, values);
      for (const u of unknownRefs(template, values)) this.reportUndefined(mapped, u.start, u.end, u.name);
    }
    // Charged as process() charges a substitution: the references replaced, then what the line grew by.
    if (template.refs.length && (!this.charge(0, 0, line, template.refs.length) || !this.charge(0, Math.max(0, text.length - line.length), line))) return true;
    if (!this.generated) {
      this.flushRun();
      this.generated = { texts: [], templates: [], rows: [] };
    }
    this.generated.texts.push(text);
    this.generated.templates.push(template);
    this.generated.rows.push(row);
    return true;
  }

  private flushGenerated(): void {
    const run = this.generated!;
    this.generated = undefined;
    if (run.texts.length === 1) {
      this.out.push(generatedLine(run.templates[0], run.templates[0].gen.values[run.rows[0]]));
      return;
    }
    const starts: number[] = [];
    let pos = 0;
    for (const t of run.texts) {
      starts.push(pos);
      pos += t.length + 1;
    }
    this.out.push(new GeneratedLines(run.texts.join('\n'), starts, run.templates, run.rows));
  }

  private flushRun(): void {
    if (this.generated) this.flushGenerated();
    const run = this.gathered;
    if (!run) return;
    this.gathered = undefined;
    this.out.push(run.end - run.start === run.first.length ? run.first : MappedText.verbatim(run.file, run.start, run.file.text.slice(run.start, run.end)));
  }

  /** Splits at braces (keepalived's line residue) and records template statements. */
  private emit(line: MappedText, known?: ResidueHints): void {
    const hints: ResidueHints = known ? { ...known } : { noDollar: false, noDoubleClose: false, noPercentClose: false };
    // A residue that starts with a brace and has no '$' would come back
    // unchanged through the stack and process() (no '@', '$', '~' or include
    // can start it): it is cut here at once. A line of a million braces is a
    // million lines, and each saved round trip counts. Such residues are
    // cut where they start in the line (`from`), not sliced off first: each
    // slice was a text and a string made only to be cut again.
    const t = line.text;
    // Opening braces cut off one after another with nothing between them: [runStart, runEnd) of t (see flushBraces).
    const runs = !this.opts.lineByLine && line.verbatimAt !== undefined;
    let runStart = 0;
    let runEnd = -1;
    // What the line ends with after its cut pieces: a last piece with no brace, or a residue for the stack (-1: neither).
    let tail = -1;
    let residue = -1;
    for (let from = 0; ; ) {
      // Ends checked first: the regex alone backtracks over the whole residue, once per residue of a line of '{%'.
      if (t.length - from >= 4 && t.startsWith('{%', from) && t.endsWith('%}') && isTemplateStatement(t, from)) {
        this.diags.error('template-placeholder', `'${t.slice(from)}' is a template statement, not keepalived syntax: this file is an unrendered template`, line.siteSpan(from, t.length), {
          hint: 'render the template (e.g. with its Ansible/Salt variables) and analyze the result',
        });
        break;
      }
      const cut = splitAtBrace(t, hints, from);
      if (cut === undefined) {
        tail = from;
        break;
      }
      if (runs && cut.headEnd === from + 1 && t.charCodeAt(from) === 123) {
        // A '{' cut off alone: it extends the run when it follows the last one at once.
        if (runEnd !== from) {
          this.flushBraces(line, runStart, runEnd);
          runStart = from;
        }
        runEnd = cut.headEnd;
      } else {
        this.flushBraces(line, runStart, runEnd);
        runEnd = -1;
        this.pushOut(line.slice(from, cut.headEnd));
      }
      if (cut.residueStart >= t.length) break;
      // Searched once per line, not once per residue: every residue is a suffix of this text.
      hints.noDollar ||= !t.includes('$', cut.residueStart);
      const first = t[cut.residueStart];
      if (hints.noDollar && (first === '{' || first === '}')) {
        from = cut.residueStart;
        continue;
      }
      residue = cut.residueStart;
      break;
    }
    this.flushBraces(line, runStart, runEnd);
    if (tail >= 0) this.pushOut(line.slice(tail));
    else if (residue >= 0) this.stack.push({ kind: 'lines', lines: [line.slice(residue)], i: 0, residue: hints, within: this.within });
  }

  /**
   * Outputs the opening braces [start, end) of a verbatim line, each a line
   * of its own. The first and the last go out alone, as any cut piece does:
   * the first may join what came before it on the line, the last what comes
   * after (`{}`), which the lexer reads the same way. Every brace between
   * them follows a '{' and is followed by one, so none of them could join
   * anything (a `{{` is never made): they go out as one BraceLines text, read
   * exactly as those lines apart would be.
   */
  private flushBraces(line: MappedText, start: number, end: number): void {
    if (end - start <= 0) return;
    this.pushOut(line.slice(start, start + 1));
    if (end - start === 1) return;
    if (end - start > 2) {
      const at = line.verbatimAt!;
      this.pushOut(new BraceLines(at.file, at.offset + start + 1, end - start - 2));
    }
    this.pushOut(line.slice(end - 1, end));
  }
}

/**
 * Whether joining would put a `{{` or `{%` where there was none: a line of
 * braces cut one by one would otherwise come back as a line the lexer reads
 * in quadratic time (it searches the line for a `}}` from every `{`).
 */
function opensPlaceholder(text: string, runEnd: number, next: string): boolean {
  return text.charCodeAt(runEnd - 1) === 123 && (next[0] === '{' || next[0] === '%');
}

/** `{% ... %}` and nothing else from `from` to the end of `t`. */
function isTemplateStatement(t: string, from: number): boolean {
  TEMPLATE_STATEMENT.lastIndex = from;
  return TEMPLATE_STATEMENT.test(t);
}
const TEMPLATE_STATEMENT = /\{%.*%\}$/y;

const MAYBE_REFERENCE = /\$[A-Za-z_{]/;
/** process() on a line read from a file: nothing kept, nothing reused. */
const NOT_KEPT = { kept: undefined, reused: false } as const;

const LINE_CONTINUATION = "a trailing '\\' continues only parameter definitions; keepalived reads it as part of the last word";

/**
 * A line that decomment() gives back as it is, that is no conditional or
 * generator, and that has no brace (see readPlainLines): no comment
 * character, no blank at either end, no `@` or `~` first, no brace. Escapes
 * and quotes may stand inside; a trailing `\\` that escapes nothing is
 * checked apart (endsEscaping).
 */
const PLAIN_LINE = /^[^ \t#!@~{}](?:[^#!{}]*[^ \t#!{}])?$/;

/** The line ends with an odd number of backslashes: its last one continues it (decomment). */
function endsEscaping(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line.charCodeAt(i) === 92; i--) n++;
  return n % 2 === 1;
}

/** Characters that could make a brace part of a word, or of a comment, when pieces of one line are joined. */
const GLUE = /["'\\$#!]/;

/**
 * What lies between two lines written in one file: 'lines' when only blanks
 * and at least one line break, 'blanks' when only spaces and tabs (pieces of
 * one line), undefined when anything else (a comment, a line consumed by the
 * expander: a definition, an `@` line of another node, an include).
 */
function gapKind(text: string, from: number, to: number): 'lines' | 'blanks' | undefined {
  let breaks = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) breaks = true;
    else if (c !== 32 && c !== 9 && c !== 13) return undefined;
  }
  return breaks ? 'lines' : 'blanks';
}

/**
 * True when reading `text` line by line would change nothing but comments and
 * blanks, which the lexer skips the same way: no parameters (`$`), no
 * conditional, generator or include lines, no single quotes (keepalived's
 * comment search ignores them, the lexer does not), no backslashes, no
 * template syntax, no byte order mark, no line keepalived would cut at 1 KiB.
 * Tested against the line-by-line path on every corpus file and fixture.
 */
export function isPlain(text: string): boolean {
  // A brace cuts a line, and what follows it is read as a line of its own: an `@`, `~` or include there counts too.
  if (/[$'\\\ufeff]|\{\{|\{%|#[A-Za-z_][A-Za-z0-9_.-]*#|(?:^|[{}])[ \t]*(?:[@~]|include)/m.test(text)) return false;
  let start = 0;
  for (let i = text.indexOf('\n'); ; i = text.indexOf('\n', start)) {
    const end = i < 0 ? text.length : i;
    // Characters outside ASCII count more than once in keepalived's byte-sized buffer.
    if (end - start > KEEPALIVED_LINE_MAX / 4 && Buffer.byteLength(text.slice(start, end)) > KEEPALIVED_LINE_MAX) return false;
    if (i < 0) return true;
    start = i + 1;
  }
}

function insideQuotes(text: string, i: number): boolean {
  let q = false;
  for (let k = 0; k < i; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === '"') q = !q;
  }
  return q;
}

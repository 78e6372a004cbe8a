/**
 * What every mapping rule writes into: the model being built, the ledger,
 * diagnostics and an id registry. Rules are functions (ctx, ...) => void;
 * they never print and never touch the network or disk.
 */
import { Diagnostics } from '../diag/diagnostic.js';
import type { Span } from '../diag/span.js';
import type { Directive, VrrpInstance } from '../model/types.js';
import { IdRegistry } from '../pcmk/ids.js';
import type { ClusterModel, Resource, SourceRef } from '../pcmk/model.js';
import type { Fidelity, InstanceMapping, LedgerEntry, MapNode, MapOptions } from './types.js';

/** A map keyed by a span's file path and start, without building a string per lookup. */
class SpanMap<T> {
  private readonly byFile = new Map<string, Map<number, T>>();
  get(span: Span): T | undefined {
    return this.byFile.get(span.file.path)?.get(span.start);
  }
  has(span: Span): boolean {
    return this.byFile.get(span.file.path)?.has(span.start) ?? false;
  }
  set(span: Span, value: T): void {
    let m = this.byFile.get(span.file.path);
    if (!m) this.byFile.set(span.file.path, (m = new Map()));
    m.set(span.start, value);
  }
}

/** Keywords whose values are secrets: never written into a ledger, report or plan. */
export const SECRET_KEYWORDS = new Set(['auth_pass', 'smtp_password', 'password', 'bfd_auth_pass']);

export class MapContext {
  readonly diags = new Diagnostics();
  readonly ledger: LedgerEntry[] = [];
  readonly ids = new IdRegistry();
  readonly shims = new Set<string>();
  readonly instances: InstanceMapping[] = [];
  /** Directives already classified (by their span start per file), so that nothing is classified twice or forgotten. */
  private readonly classified = new SpanMap<true>();

  constructor(
    readonly nodes: readonly MapNode[],
    readonly options: MapOptions,
    readonly model: ClusterModel,
    /** Shows paths as the user named them (relative to the working directory). */
    readonly show: (path: string) => string = (p) => p,
  ) {}

  /** A SourceRef for the model's provenance. */
  source(span: Span, text: string): SourceRef {
    const p = span.file.position(span.start);
    return { file: this.shown(span.file.path), line: p.line, column: p.column, text };
  }

  private readonly shownPaths = new Map<string, string>();
  /** `show` per path, computed once (path.relative is not cheap, and every element names its file). */
  private shown(path: string): string {
    let s = this.shownPaths.get(path);
    if (s === undefined) this.shownPaths.set(path, (s = this.show(path)));
    return s;
  }

  /** Records how a directive maps. A directive is recorded once; later calls for the same one are ignored. */
  record(d: Pick<Directive, 'keyword' | 'owner' | 'span'> & { args?: readonly { value: string }[] }, fidelity: Fidelity, target: string, reason: string): void {
    if (this.classified.has(d.span)) return;
    this.classified.set(d.span, true);
    const text = SECRET_KEYWORDS.has(d.keyword) ? `${d.keyword} ********` : [d.keyword, ...(d.args ?? []).map((a) => a.value)].join(' ');
    this.ledger.push({ fidelity, keyword: d.keyword, owner: d.owner, text, span: d.span, target, reason });
  }

  private ownerIndex: Map<string, Directive[]> | undefined;
  private nameIndex: Map<string, { node: string; inst: VrrpInstance }[]> | undefined;
  private resourceIndex = new Map<string, Resource>();
  private resourcesIndexed = 0;

  /**
   * The directives of one owner across nodes, deduplicated (a shared file is
   * read once per node), in file order. Indexed once: mapping a configuration
   * with thousands of instances must stay linear.
   */
  directivesOf(owner: string): Directive[] {
    if (!this.ownerIndex) {
      const index = new Map<string, Directive[]>();
      const seen = new SpanMap<true>();
      for (const n of this.nodes) {
        for (const d of n.config.directives) {
          if (seen.has(d.span)) continue;
          seen.set(d.span, true);
          const list = index.get(d.owner);
          if (list) list.push(d);
          else index.set(d.owner, [d]);
        }
      }
      this.ownerIndex = index;
    }
    return this.ownerIndex.get(owner) ?? [];
  }

  /** Every node's view of each instance, by instance name, in first-seen order. */
  instancesByName(): Map<string, { node: string; inst: VrrpInstance }[]> {
    if (!this.nameIndex) {
      const out = new Map<string, { node: string; inst: VrrpInstance }[]>();
      for (const n of this.nodes) {
        for (const i of n.config.instances) {
          const list = out.get(i.name);
          if (list) list.push({ node: n.name, inst: i });
          else out.set(i.name, [{ node: n.name, inst: i }]);
        }
      }
      this.nameIndex = out;
    }
    return this.nameIndex;
  }

  private spanIndex: SpanMap<Directive> | undefined;
  private wordIndex: SpanMap<Directive> | undefined;

  /** The directive whose keyword sits at `span` (on whichever node has it); indexed once. */
  directiveAt(span: Span): Directive | undefined {
    if (!this.spanIndex) {
      this.spanIndex = new SpanMap();
      this.wordIndex = new SpanMap();
      for (const n of this.nodes) {
        for (const d of n.config.directives) {
          if (!this.spanIndex.has(d.span)) this.spanIndex.set(d.span, d);
          const words = d.statement.words;
          for (let k = 1; k < words.length; k++) if (!this.wordIndex.has(words[k].span)) this.wordIndex.set(words[k].span, d);
        }
      }
    }
    return this.spanIndex.get(span);
  }

  /** The directive one of whose argument words sits at `span`. */
  directiveWithWord(span: Span): Directive | undefined {
    this.directiveAt(span);
    return this.wordIndex!.get(span);
  }

  /** The mapping of an instance by name. */
  instance(name: string): InstanceMapping | undefined {
    for (; this.instancesIndexed < this.instances.length; this.instancesIndexed++) this.instanceIndex.set(this.instances[this.instancesIndexed].instance, this.instances[this.instancesIndexed]);
    return this.instanceIndex.get(name);
  }
  private instanceIndex = new Map<string, InstanceMapping>();
  private instancesIndexed = 0;

  /** A top-level resource by id (resources are only ever appended). */
  resource(id: string): Resource | undefined {
    const all = this.model.cib.resources;
    for (; this.resourcesIndexed < all.length; this.resourcesIndexed++) this.resourceIndex.set(all[this.resourcesIndexed].id, all[this.resourcesIndexed]);
    return this.resourceIndex.get(id) ?? all.find((x) => x.id === id);
  }

  /** True when the directive was already recorded. */
  isRecorded(span: Span): boolean {
    return this.classified.has(span);
  }
}

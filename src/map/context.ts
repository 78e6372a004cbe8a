/**
 * What every mapping rule writes into: the model being built, the ledger,
 * diagnostics and an id registry. Rules are functions (ctx, ...) => void;
 * they never print and never touch the network or disk.
 */
import { Diagnostics } from '../diag/diagnostic.js';
import { type Span, locate } from '../diag/span.js';
import type { Directive } from '../model/types.js';
import { IdRegistry } from '../pcmk/ids.js';
import type { ClusterModel, SourceRef } from '../pcmk/model.js';
import type { Fidelity, InstanceMapping, LedgerEntry, MapNode, MapOptions } from './types.js';

/** Keywords whose values are secrets: never written into a ledger, report or plan. */
export const SECRET_KEYWORDS = new Set(['auth_pass', 'smtp_password', 'password', 'bfd_auth_pass']);

export class MapContext {
  readonly diags = new Diagnostics();
  readonly ledger: LedgerEntry[] = [];
  readonly ids = new IdRegistry();
  readonly shims = new Set<string>();
  readonly instances: InstanceMapping[] = [];
  /** Directives already classified (by their span start per file), so that nothing is classified twice or forgotten. */
  private readonly classified = new Set<string>();

  constructor(
    readonly nodes: readonly MapNode[],
    readonly options: MapOptions,
    readonly model: ClusterModel,
    /** Shows paths as the user named them (relative to the working directory). */
    readonly show: (path: string) => string = (p) => p,
  ) {}

  /** A SourceRef for the model's provenance. */
  source(span: Span, text: string): SourceRef {
    const l = locate(span);
    return { file: this.show(l.file), line: l.line, column: l.column, text };
  }

  /** Records how a directive maps. A directive is recorded once; later calls for the same one are ignored. */
  record(d: Pick<Directive, 'keyword' | 'owner' | 'span'> & { args?: readonly { value: string }[] }, fidelity: Fidelity, target: string, reason: string): void {
    const key = `${d.span.file.path}\u0000${d.span.start}`;
    if (this.classified.has(key)) return;
    this.classified.add(key);
    const text = SECRET_KEYWORDS.has(d.keyword) ? `${d.keyword} ********` : [d.keyword, ...(d.args ?? []).map((a) => a.value)].join(' ');
    this.ledger.push({ fidelity, keyword: d.keyword, owner: d.owner, text, span: d.span, target, reason });
  }

  /** True when the directive was already recorded. */
  isRecorded(span: Span): boolean {
    return this.classified.has(`${span.file.path}\u0000${span.start}`);
  }
}

/**
 * Finding the directive behind a model element. Model objects carry the span
 * of their keyword word, which is also the directive's span, so a directive
 * is found by position, on whichever node's configuration holds it.
 */
import type { Span } from '../diag/span.js';
import type { Directive } from '../model/types.js';
import type { MapContext } from './context.js';

/** The directive whose keyword sits at `span`, if any node's configuration has it. */
export function directiveAt(ctx: MapContext, span: Span): Directive | undefined {
  return ctx.directiveAt(span);
}

/** Records the directive at `span` (see MapContext.record); silently nothing when there is none. */
export function recordAt(ctx: MapContext, span: Span, fidelity: Parameters<MapContext['record']>[1], target: string, reason: string): void {
  const d = directiveAt(ctx, span);
  if (d) ctx.record(d, fidelity, target, reason);
}

/** Records the `{ }` blocks (e.g. `track_script`) of an owner whose entries are recorded one by one. */
export function recordBlocks(ctx: MapContext, owner: string, keywords: readonly string[], target = '-'): void {
  for (const d of ctx.directivesOf(owner)) {
    if (keywords.includes(d.keyword) && d.statement.block) ctx.record(d, 'exact', target, 'the block itself; its entries are listed one by one');
  }
}

/** The directive one of whose argument words sits at `span` (a ScriptCall's span is its first argument's). */
export function directiveWithWord(ctx: MapContext, span: Span): Directive | undefined {
  return ctx.directiveWithWord(span);
}

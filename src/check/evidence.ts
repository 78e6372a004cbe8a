/**
 * Runs a check's commands and keeps each one as evidence. Output is cut to
 * the lines that matter (when the check says which) so a JSON report stays
 * readable; the command line is kept whole.
 */
import type { CommandResult, Runner } from '../exec/runner.js';
import type { Evidence } from './types.js';

const MAX_OUTPUT = 2000;

/** The lines of `text` matching any of `keep` (all lines when none given), cut to a readable size. */
export function excerpt(text: string, keep?: readonly (string | RegExp)[]): string {
  let lines = text.split('\n').map((l) => l.trimEnd());
  if (keep?.length) {
    const picked = lines.filter((l) => keep.some((k) => (typeof k === 'string' ? l.includes(k) : k.test(l))));
    if (picked.length) lines = picked.map((l) => l.trim());
  }
  const out = lines.filter((l) => l.trim() !== '').join('\n');
  return out.length > MAX_OUTPUT ? out.slice(0, MAX_OUTPUT) + '\n[...]' : out;
}

/** Collects evidence for one item. */
export class Recorder {
  readonly evidence: Evidence[] = [];

  constructor(private readonly runner: Runner) {}

  /** Runs argv on node and records it; `keep` picks the relevant output lines. */
  async run(node: string, argv: string[], keep?: readonly (string | RegExp)[], timeoutMs = 30_000): Promise<CommandResult> {
    const r = await this.runner.host(node).run(argv, { timeoutMs });
    const shown = r.code === 0 ? excerpt(r.stdout, keep) : excerpt([r.stdout, r.stderr].filter(Boolean).join('\n'), keep);
    this.evidence.push({ node, argv, code: r.code, output: shown, durationMs: r.durationMs });
    return r;
  }
}

/**
 * The long fuzz run's worker (bundled by bench/fuzz.mjs): case number k of a
 * seeded run is always the same input, so the main thread can regenerate a
 * case that hung or ran out of memory here and save it as a reproducer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { type FuzzCase, anyCaseArb, loadCorpus, runCase } from '../../test/helpers/fuzz.js';

export interface FuzzOptions {
  seed: number;
  maxBytes: number;
  maxDepth: number;
}

const corpus = loadCorpus();

/** Case k of a run with these options. */
export function caseAt(opts: FuzzOptions, k: number): FuzzCase {
  const arb = anyCaseArb(corpus, { maxBytes: opts.maxBytes, maxDepth: opts.maxDepth });
  return fc.sample(arb, { seed: (opts.seed * 1_000_003 + k) | 0, numRuns: 1 })[0];
}

export { corpus, runCase };

if (parentPort && workerData?.fuzz) {
  const opts = workerData.fuzz as FuzzOptions;
  parentPort.on('message', (k: number) => {
    const c = caseAt(opts, k);
    const r = runCase(c);
    parentPort!.postMessage({ k, label: c.label.slice(0, 300), bytes: r.bytes, expanded: r.expanded, ms: r.ms, failure: r.failure, mapped: r.mapped });
  });
}

// Issue 7's long fuzz run of the front end: seeded cases (corpus files
// mutated, junk bytes, invalid UTF-8, include cycles, huge words and lines,
// deep nesting, generators and parameters that expand) pushed through
// expand → parse → model → map → every emitter and the diagnostics'
// rendering (test/helpers/fuzz.ts). Each case runs in a worker thread with a
// time and memory limit, so a hang or a memory explosion is a counted crash
// with a saved reproducer, not a stuck benchmark.
//
//   node bench/fuzz.mjs [--cases N] [--first K] [--seed S] [--workers W] [--timeout SECONDS]
//                       [--heap MB] [--max-bytes N] [--max-depth N] [--out DIR]
//
// Prints: cases run, crashes (and where the first reproducers are), the
// slowest input per megabyte, the cases over 1 s/MB by kind of input (all of
// them in DIR/over.tsv with --out), wall time. Exit status 1 when anything
// crashed.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function args() {
  const o = { cases: 100_000, first: 0, seed: 7, workers: 1, timeout: 60, heap: 1024, maxBytes: 1_000_000, maxDepth: 10_000, out: '' };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    const key = a[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in o)) throw new Error(`unknown option ${a[i]}`);
    o[key] = key === 'out' ? a[++i] : Number(a[++i]);
  }
  return o;
}

const opts = args();
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'ka2pcmk-fuzz-'));
const outDir = opts.out || join(work, 'crashes');
const bundle = join(work, 'fuzz-worker.mjs');
await build({
  entryPoints: [join(ROOT, 'bench/lib/fuzz-worker.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: bundle,
  // Some bundled dependencies are CommonJS and call require().
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
const lib = await import(pathToFileURL(bundle).href);
const fuzz = { seed: opts.seed, maxBytes: opts.maxBytes, maxDepth: opts.maxDepth };

const MB = 1e6;
/** Inputs below this count as this big: a fixed cost per run is not a slow input. */
const FLOOR = 65_536;
const stats = { run: 0, mapped: 0, crashes: [], kinds: new Map() };
const slowest = { input: undefined, read: undefined, absolute: undefined };
/** Cases over the issue's one second per megabyte, and the slowest few by what was read. */
const over = { input: 0, read: 0 };
const TOP = 10;
const topRead = [];
/** Every case over 1 s/MB by what was read, for the breakdown by kind of input and `--out DIR/over.tsv`. */
const overRead = [];

function note(r) {
  stats.run++;
  if (r.mapped) stats.mapped++;
  const kind = r.label.split(' ')[0];
  stats.kinds.set(kind, (stats.kinds.get(kind) ?? 0) + 1);
  // Per megabyte of the file(s) given, and per megabyte of what the front end read after expansion.
  const byInput = r.ms / 1000 / (Math.max(r.bytes, FLOOR) / MB);
  const byRead = r.ms / 1000 / (Math.max(r.bytes, r.expanded, FLOOR) / MB);
  const rec = { ...r, byInput, byRead };
  if (!slowest.input || byInput > slowest.input.byInput) slowest.input = rec;
  if (!slowest.read || byRead > slowest.read.byRead) slowest.read = rec;
  if (!slowest.absolute || r.ms > slowest.absolute.ms) slowest.absolute = rec;
  if (byInput > 1) over.input++;
  if (byRead > 1) {
    over.read++;
    overRead.push(rec);
  }
  if (topRead.length < TOP || byRead > topRead[topRead.length - 1].byRead) {
    topRead.push(rec);
    topRead.sort((a, b) => b.byRead - a.byRead);
    topRead.length = Math.min(topRead.length, TOP);
  }
}

function crash(k, kind, message, stack, label) {
  stats.crashes.push({ k, kind, message, stack, label });
  // Said at once: a long run can be stopped at its first crash and the case replayed (--first K --cases 1).
  console.error(`  crash: case ${k}: ${kind}: ${String(message).split('\n')[0].slice(0, 160)}${label ? ` (${label.slice(0, 80)})` : ''}`);
}

/** Writes case k's files under outDir so that `analyze` (or a test) can replay it. */
function saveReproducer(n, c) {
  const c0 = lib.caseAt(fuzz, c.k);
  const dir = join(outDir, `crash-${n}-${c.kind}-case${c.k}`);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(c0.files)) {
    const f = join(dir, 'files', path);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, text);
  }
  const info = { seed: opts.seed, case: c.k, label: c0.label, nodes: c0.nodes ?? null, failure: { kind: c.kind, message: c.message, stack: c.stack } };
  writeFileSync(join(dir, 'case.json'), JSON.stringify(info, null, 2));
  return dir;
}

let next = opts.first;
let lastReport = 0;
async function runWorker() {
  while (next < opts.first + opts.cases) {
    await new Promise((resolve) => {
      const w = new Worker(bundle, { workerData: { fuzz }, resourceLimits: { maxOldGenerationSizeMb: opts.heap } });
      let current = -1;
      let timer;
      let finished = false;
      const end = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        w.removeAllListeners();
        w.terminate().then(resolve, resolve);
      };
      const feed = () => {
        if (next >= opts.first + opts.cases) return end();
        current = next++;
        clearTimeout(timer);
        timer = setTimeout(() => {
          crash(current, 'timeout', `no result after ${opts.timeout} s`);
          stats.run++;
          end();
        }, opts.timeout * 1000);
        w.postMessage(current);
      };
      w.on('message', (r) => {
        if (r.failure) crash(r.k, r.failure.kind, r.failure.message, r.failure.stack, r.label);
        note(r);
        if (stats.run - lastReport >= opts.cases / 10) {
          lastReport = stats.run;
          console.error(`  ${stats.run}/${opts.cases} cases, ${stats.crashes.length} crashes, ${((Date.now() - started) / 1000).toFixed(0)} s`);
        }
        feed();
      });
      w.on('error', (e) => {
        // Out of memory, or an error outside runCase's own try (the case generator itself).
        if (current >= 0) {
          crash(current, e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'worker-error', String(e.message ?? e), e.stack);
          stats.run++;
        }
        end();
      });
      w.on('online', feed);
    });
  }
}

await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, runWorker));

const saved = stats.crashes.slice(0, 5).map((c, i) => saveReproducer(i + 1, c));
// Every crash, with the kind of input that made it (regenerated for the ones the worker could not report).
const groups = new Map();
if (stats.crashes.length) {
  mkdirSync(outDir, { recursive: true });
  const rows = stats.crashes.map((c) => {
    c.label ??= lib.caseAt(fuzz, c.k).label;
    const group = `${c.kind}: ${c.label.split(' ').slice(0, 2).join(' ')}`;
    groups.set(group, (groups.get(group) ?? 0) + 1);
    return [c.k, c.kind, c.label.slice(0, 200).replace(/\s+/g, ' '), c.message.split('\n')[0].slice(0, 200)].join('\t');
  });
  writeFileSync(join(outDir, 'crashes.tsv'), `case\tkind\tinput\tmessage\n${rows.join('\n')}\n`);
}
const wall = (Date.now() - started) / 1000;
const fmtCase = (r) => `${r.ms.toFixed(0)} ms for ${r.bytes} bytes${r.expanded > r.bytes ? ` (${r.expanded} after expansion)` : ''}, case ${r.k}: ${r.label.slice(0, 100)}`;
console.log(`fuzz: seed ${opts.seed}, ${opts.workers} worker(s), huge inputs up to ${opts.maxBytes} bytes, nesting up to ${opts.maxDepth}`);
console.log(`cases run                  ${stats.run} (${[...stats.kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}; ${stats.mapped} mapped and emitted)`);
console.log(`crashes                    ${stats.crashes.length}${groups.size ? ` (${[...groups].sort((a, b) => b[1] - a[1]).map(([g, n]) => `${g} ${n}`).join('; ')}; all in ${join(outDir, 'crashes.tsv')})` : ''}`);
for (const c of stats.crashes.slice(0, 5)) console.log(`  case ${c.k}: ${c.kind}: ${c.message.split('\n')[0].slice(0, 160)}`);
if (saved.length) console.log(`  reproducers: ${saved.join(', ')}`);
if (slowest.input) {
  console.log(`slowest per MB of input    ${slowest.input.byInput.toFixed(3)} s/MB (inputs under 64 KiB count as 64 KiB): ${fmtCase(slowest.input)}`);
  console.log(`slowest per MB read        ${slowest.read.byRead.toFixed(3)} s/MB (input or its expansion, whichever is larger): ${fmtCase(slowest.read)}`);
  console.log(`slowest case               ${fmtCase(slowest.absolute)}`);
  console.log(`over 1 s/MB                ${over.input} by input, ${over.read} by what was read (of ${stats.run})`);
  // What the slow cases are: their labels with the numbers taken out (`huge word N "{"`, `expansion`, `mutate ...`).
  const overKinds = new Map();
  for (const r of overRead) {
    const kind = r.label.replace(/\d+/g, 'N').split(' ').slice(0, 4).join(' ').slice(0, 40);
    overKinds.set(kind, (overKinds.get(kind) ?? 0) + 1);
  }
  if (overKinds.size) console.log(`  over by what was read, by kind: ${[...overKinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join('; ')}`);
  if (opts.out && overRead.length) {
    mkdirSync(opts.out, { recursive: true });
    const rows = overRead.map((r) => [r.k, r.byRead.toFixed(3), r.ms.toFixed(0), r.bytes, r.expanded, r.label.slice(0, 200).replace(/\s+/g, ' ')].join('\t'));
    writeFileSync(join(opts.out, 'over.tsv'), `case\ts_per_MB_read\tms\tbytes\texpanded\tinput\n${rows.join('\n')}\n`);
    console.log(`  every case over 1 s/MB read: ${join(opts.out, 'over.tsv')}`);
  }
  console.log(`slowest ${topRead.length} per MB read:`);
  for (const r of topRead) console.log(`  ${r.byRead.toFixed(3).padStart(8)} s/MB  ${fmtCase(r)}`);
}
console.log(`wall time                  ${wall.toFixed(1)} s`);
if (!stats.crashes.length) rmSync(work, { recursive: true, force: true });
else if (!opts.out) console.log(`(kept ${work})`);
process.exitCode = stats.crashes.length ? 1 : 0;

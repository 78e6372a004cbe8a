// Issue 7's fuzz figure per megabyte of *input*, for the inputs it is far
// over on: a few bytes of generators and parameters that keepalived, too,
// reads as up to millions of lines. Each is read by `keepalived -t` and by
// `ka2pcmk analyze --no-map --json`, interleaved, in one run. Per input: its
// bytes, what keepalived makes of it, each tool's median time and time per
// megabyte of input (counted as bench/fuzz.mjs counts it: at least 64 KiB).
// keepalived has no budget: it is stopped after CAP seconds, shown as "> CAP".
// ka2pcmk stops at its expansion budget (100,000 lines, 8,000,000 characters,
// 200,000 substitutions) with an error, so on the largest it reads less.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median } from './lib/measure.mjs';

const CAP = Number(process.env.BENCH_CAP ?? 10);
const ROUNDS = 3;
const FLOOR = 65_536;

const INPUTS = [
  ['one generator', '100,000 lines', '~SEQ(i, 100000) x$i\n'],
  ['definitions of definitions', '1,000 lines of 512 undefined names', '$C=$D $D $D $D $D $D $D $D\n$B=$C $C $C $C $C $C $C $C\n$A=$B $B $B $B $B $B $B $B\n\n~SEQ(i, 1000) $A\n'],
  ['nested generators (fuzz case 555)', '7.7 million lines', '$A=$B $B $B $B $B $B $B $B\n\n~SEQ(i, 0, 259, 1999999) ~SEQ(j, 1000) ~SEQ(i, 0, -3, 0) $A $A $A $A\n'],
  [
    'nested generators (fuzz case 54197)',
    '12 million lines',
    '$N=\\\n$N\\\n$N\n$A=$B $B $B $B $B $B $B $B\n$D=xxxxxxxxxxxxxxxx\n$N=\\\n$N\\\n$N\n$A=$B $B $B $B $B $B $B $B\n\n~SEQ(j, 1000) ~SEQ(j, 1000) ~LST(v, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11) $A $A $A $A\n',
  ],
  ['a multi-line definition that names itself', 'lines for ever', '$M=\\\nx\\\n$M\n\n~SEQ(i, 1000) $M\n'],
];

/** Seconds one run took, and whether it was stopped at the cap. */
function run(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: CAP * 1000, killSignal: 'SIGKILL' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error && r.error.code !== 'ETIMEDOUT') throw r.error;
  return { s, capped: r.signal === 'SIGKILL' };
}

const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-bench-expansion-'));
const perMb = (s, bytes) => s / (Math.max(bytes, FLOOR) / 1e6);
const show = (t) => (t.capped ? `> ${CAP.toFixed(3)} s` : fmt(t.s)).padStart(9);
const showMb = (t, bytes) => `${t.capped ? '>' : ' '}${perMb(t.s, bytes).toFixed(1).padStart(6)} s/MB`;
console.log(`each input ${ROUNDS} times, interleaved; keepalived stopped after ${CAP} s`);
console.log(`${'input'.padEnd(62)} ${'bytes'.padStart(5)}  ${'keepalived -t'.padStart(26)}  ${'ka2pcmk analyze --no-map'.padStart(26)}  ratio`);
for (const [name, makes, text] of INPUTS) {
  const file = join(dir, 'keepalived.conf');
  writeFileSync(file, text);
  const bytes = Buffer.byteLength(text);
  const ka = [];
  const k2 = [];
  for (let i = 0; i < ROUNDS; i++) {
    ka.push(run(['keepalived', '-t', '-f', file]));
    k2.push(run(['node', 'dist/ka2pcmk.cjs', 'analyze', '--no-map', '--json', file]));
  }
  const med = (ts) => ({ s: median(ts.map((t) => t.s)), capped: ts.filter((t) => t.capped).length * 2 > ts.length });
  const a = med(ka);
  const b = med(k2);
  const ratio = `${a.capped ? '< ' : ''}${(b.s / a.s).toFixed(2)}`;
  console.log(`${`${name}: ${makes}`.padEnd(62)} ${String(bytes).padStart(5)}  ${show(a)} ${showMb(a, bytes)}  ${show(b)} ${showMb(b, bytes)}  ${ratio}`);
}
const floor = median(Array.from({ length: ROUNDS }, () => run(['node', '-e', '0']).s));
console.log(`floor: node -e 0 ${fmt(floor)} (Node's start-up, in every ka2pcmk figure above)`);
rmSync(dir, { recursive: true, force: true });

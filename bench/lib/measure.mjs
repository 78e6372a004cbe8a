// Small helpers shared by the benchmarks.
import { spawnSync } from 'node:child_process';

/** Wall time of one run of argv, in seconds. */
export function timeRun(argv, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'ignore'], ...opts });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw r.error;
  return s;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the commands interleaved `rounds` times (so drift hits both alike); returns medians. */
export function compare(commands, rounds = 5) {
  const times = commands.map(() => []);
  for (let i = 0; i < rounds; i++) commands.forEach((c, k) => times[k].push(timeRun(c)));
  return times.map(median);
}

export const fmt = (s) => `${s.toFixed(3)} s`;

// `npm run bench`: builds the bundle, then runs every bench/*.mjs in turn.
// Each benchmark prints its figures side by side with its anchor, measured in
// the same run (these machines are noisy: compare ratios, not times).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
if (spawnSync('node', ['scripts/bundle.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(1);
let failed = 0;
for (const f of readdirSync('bench').filter((n) => n.endsWith('.mjs')).sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`\n== bench/${f}`);
  const r = spawnSync('node', [`bench/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

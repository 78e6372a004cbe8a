// The whole test suite, as `npm test` runs it: type-check, build the bundle,
// then every jest project (unit and golden tests, real Pacemaker/keepalived
// tool tests, the namespace lab). Ends with one plain line
// "N passed, N failed, N skipped" that CI reads.
// Extra arguments go to jest (e.g. `npm test -- --selectProjects unit`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) {
  console.error('type check failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (run('node', ['scripts/bundle.mjs']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-jest-'));
const out = join(dir, 'results.json');
const status = run('npx', ['jest', '--ci', '--json', `--outputFile=${out}`, ...process.argv.slice(2)], {
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' '),
});
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  skipped = r.numPendingTests + r.numTodoTests;
} catch {
  failed = Math.max(1, failed);
}
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 || failed > 0 || passed === 0 ? 1 : 0);

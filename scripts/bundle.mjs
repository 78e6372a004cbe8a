// Builds the single-file CLI: dist/ka2pcmk.cjs runs with plain `node` (18 or
// later) from a folder with no node_modules (bastion hosts). ssh2's native
// add-ons are optional (it falls back to pure JS), hence the externals.
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  outfile: 'dist/ka2pcmk.cjs',
  external: ['cpu-features', '*.node'],
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync('dist/ka2pcmk.cjs', 0o755);

// Builds the single-file CLI: dist/ka2pcmk.cjs runs with plain `node` (18 or
// later) from a folder with no node_modules (bastion hosts). ssh2's native
// add-ons are optional (it falls back to pure JS), hence the externals.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The shim agents travel inside the bundle (the migration installs them on the nodes).
const agents = {};
for (const provider of readdirSync('agents')) {
  for (const type of readdirSync(join('agents', provider))) agents[`${provider}/${type}`] = readFileSync(join('agents', provider, type), 'utf8');
}

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
  define: { __KA2PCMK_AGENTS__: JSON.stringify(agents) },
  logLevel: 'warning',
});
chmodSync('dist/ka2pcmk.cjs', 0o755);

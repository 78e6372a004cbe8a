// Issue 6's figure: `ka2pcmk --version` cold start (the single-file bundle)
// against `pcs --version`, side by side in one run. Target: at least 4x faster.
import { compare, fmt } from './lib/measure.mjs';

const [node, ka, pcs] = compare(
  [
    ['node', '-e', '0'],
    ['node', 'dist/ka2pcmk.cjs', '--version'],
    ['pcs', '--version'],
  ],
  7,
);
console.log(`node -e 0 (floor)              median ${fmt(node)}`);
console.log(`ka2pcmk --version (bundle)     median ${fmt(ka)}`);
console.log(`pcs --version                  median ${fmt(pcs)}`);
console.log(`speed-up pcs/ka2pcmk           ${(pcs / ka).toFixed(2)}x   (target >= 4x: ${pcs / ka >= 4 ? 'met' : 'NOT met'})`);

/**
 * The single-file bundle carries the shim agents the migration installs on
 * the nodes, so that a bastion with only dist/ka2pcmk.cjs can migrate.
 * (npm test builds the bundle before jest runs.)
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('bundle', () => {
  test('embeds every agent under agents/, byte for byte', () => {
    const bundle = readFileSync(join(ROOT, 'dist', 'ka2pcmk.cjs'), 'utf8');
    const agents = readdirSync(join(ROOT, 'agents')).flatMap((p) => readdirSync(join(ROOT, 'agents', p)).map((t) => `${p}/${t}`));
    expect(agents.length).toBeGreaterThan(1);
    for (const a of agents) {
      const text = readFileSync(join(ROOT, 'agents', a), 'utf8');
      // esbuild prints the embedded strings its own way: take the literal and evaluate it.
      const m = new RegExp(`"${a.replace(/[/.-]/g, (c) => `\\${c}`)}": ('(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*"|\`(?:[^\`\\\\]|\\\\.)*\`)`).exec(bundle);
      expect([a, !!m]).toEqual([a, true]);
      expect([a, new Function(`return ${m![1]}`)()]).toEqual([a, text]);

    }
  });
});

/**
 * Where the lab's scripts live. The lab runs both from the TypeScript sources
 * (ts-jest) and from build/src/lab (the CLI), so the repository root is found
 * by walking up from this module until scripts/lab is there.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Absolute path of the repository's scripts/lab folder. */
export function scriptsDir(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'scripts', 'lab');
    if (existsSync(join(candidate, 'node-init.sh'))) return (cached = candidate);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find scripts/lab above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** Absolute path of one script in scripts/lab. */
export function scriptPath(name: string): string {
  return join(scriptsDir(), name);
}

/**
 * Golden-file comparison: `expectGolden('emit/x.xml', actual)` compares with
 * test/golden/__golden__/emit/x.xml byte for byte and fails with a unified
 * diff. `UPDATE_GOLDEN=1` (re)writes the file instead. A missing golden file
 * is a failure too, so a forgotten regeneration cannot pass silently.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTwoFilesPatch } from 'diff';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden', '__golden__');

/** Compare `actual` with the golden file at `relPath` (under test/golden/__golden__). */
export function expectGolden(relPath: string, actual: string): void {
  const file = join(ROOT, relPath);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`golden file ${relPath} is missing; run with UPDATE_GOLDEN=1 to create it`);
  }
  const expected = readFileSync(file, 'utf8');
  if (expected === actual) return;
  const patch = createTwoFilesPatch(`golden/${relPath}`, 'actual', expected, actual, '', '', { context: 3 });
  throw new Error(`output differs from golden file ${relPath} (UPDATE_GOLDEN=1 regenerates it):\n${patch}`);
}

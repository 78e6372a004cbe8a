/**
 * Issue 3's proof on real configurations: for every corpus file that analyses
 * without error, the mapped CIB passes `crm_verify --xml-file`, and the emitted
 * pcs script, run unchanged with `pcs -f` against an empty CIB holding the
 * nodes, builds the same configuration, compared element by element.
 */
import { describe, expect, jest, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitCib } from '../../src/emit/cib.js';
import { emitPcsScript } from '../../src/emit/pcs.js';
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import { allPrimitives } from '../../src/pcmk/walk.js';
import { LocalFileSystem } from '../../src/source/files.js';
import { addNodes, agentAvailable, compareConfigurations, crmVerify, emptyCib, formatDifference, pcsScriptOnFile, readText, removeDir, tempDir } from '../../src/tools/pacemaker.js';

jest.setTimeout(1_200_000);

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = resolve(here, '..', '..', '..', 'shared', 'corpus');
const configId = hostname().split('.')[0];

/** What Pacemaker 2.1's XML writer makes of a value: newline → `\\n`, tab → four spaces. */
const stored = (v: string): string => v.replace(/\n/g, '\\n').replace(/\t/g, '    ');

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('corpus: mapped CIB verified, pcs script equivalent', () => {
  test('every corpus file that analyses without error', async () => {
    const files = ['samples', 'real', 'templated'].flatMap((d) => readdirSync(join(CORPUS, d)).map((f) => join(CORPUS, d, f))).sort();
    const clean = files
      .map((file) => ({ file, r: readNodes([{ name: 'node1', entry: file, configId }], new LocalFileSystem()) }))
      .filter(({ r }) => !r.diagnostics.some((d) => d.severity === 'error'));
    const dir = await tempDir('ka2pcmk-corpus-');
    const rows: string[] = [];
    const failures: string[] = [];
    try {
      await inBatches(clean, 3, async ({ file, r }) => {
        const name = relative(CORPUS, file);
        const m = mapToPacemaker(r.nodes.map((n) => ({ name: n.name, config: n.config })), { stonithDisabled: true });
        const cibFile = join(dir, `${name.replace(/\//g, '_')}.emitted.xml`);
        await writeFile(cibFile, emitCib(m.model));
        const v = await crmVerify(cibFile);
        const target = join(dir, `${name.replace(/\//g, '_')}.pcs.xml`);
        await writeFile(target, await emptyCib());
        await addNodes(target, m.model.nodes);
        const forced = (await Promise.all(allPrimitives(m.model.cib.resources).map((p) => agentAvailable(p.agent)))).includes(false);
        const t0 = Date.now();
        const p = await pcsScriptOnFile(emitPcsScript(m.model), target, { force: forced });
        const diffs = p.ok
          ? compareConfigurations(emitCib(m.model), await readText(target))
              .filter((d) => !(d.kind === 'changed' && d.a !== undefined && d.b === stored(d.a)))
              .map(formatDifference)
          : [`pcs script failed: ${p.stderr.trim().split('\n').slice(-3).join(' | ')}`];
        rows.push(`${v.ok ? 'valid  ' : 'INVALID'} ${diffs.length ? 'DIFFERS' : 'same   '} ${String(m.model.cib.resources.length).padStart(3)} resources ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s pcs${forced ? ' (--force)' : ''}  ${name}`);
        if (!v.ok) failures.push(`${name}: crm_verify: ${v.messages.join(' | ')}`);
        for (const d of diffs) failures.push(`${name}: ${d}`);
      });
    } finally {
      await removeDir(dir);
    }
    console.log([`corpus files: ${files.length}, analysed without error: ${clean.length}`, ...rows.sort((a, b) => a.slice(60).localeCompare(b.slice(60))), ...failures].join('\n'));
    expect(clean.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });
});

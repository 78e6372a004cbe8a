/**
 * The emitted pcs script, run unchanged by bash against an empty CIB with the
 * nodes added, builds the same configuration as the emitted XML, compared
 * element by element. This is also the end-to-end test of the script's shell
 * quoting: the hostile fixture's values must arrive in the CIB intact.
 */
import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emitCib } from '../../src/emit/cib.js';
import { emitPcsScript } from '../../src/emit/pcs.js';
import type { ClusterModel } from '../../src/pcmk/model.js';
import { allPrimitives } from '../../src/pcmk/walk.js';
import {
  addNodes,
  agentAvailable,
  compareConfigurations,
  crmVerify,
  emptyCib,
  formatDifference,
  pcsScriptOnFile,
  readText,
  removeDir,
  tempDir,
  type ToolResult,
} from '../../src/tools/pacemaker.js';
import { FIXTURES, HOSTILE } from '../helpers/pcmk-fixtures.js';

jest.setTimeout(240_000);

/** What Pacemaker 2.1's XML writer makes of a value: newline → `\\n`, tab → four spaces. */
const pacemakerStored = (v: string): string => v.replace(/\n/g, '\\n').replace(/\t/g, '    ');

interface Outcome {
  run: ToolResult;
  forced: boolean;
  cib: string;
  file: string;
}

let dir: string;
const outcomes = new Map<string, Outcome>();

/** Run one fixture's script; --force only when one of its agents is not installed here. */
async function runFixture(name: string, model: ClusterModel): Promise<Outcome> {
  const file = join(dir, `${name}.xml`);
  await writeFile(file, await emptyCib());
  for (const r of await addNodes(file, model.nodes)) if (!r.ok) throw new Error(r.stderr);
  const available = await Promise.all(allPrimitives(model.cib.resources).map((p) => agentAvailable(p.agent)));
  const forced = available.includes(false);
  const run = await pcsScriptOnFile(emitPcsScript(model), file, { force: forced });
  return { run, forced, cib: await readText(file), file };
}

beforeAll(async () => {
  dir = await tempDir();
  // Each pcs call takes about a second; the fixtures run side by side.
  const names = Object.keys(FIXTURES);
  const results = await Promise.all(names.map((n) => runFixture(n, FIXTURES[n])));
  names.forEach((n, i) => outcomes.set(n, results[i]));
});
afterAll(() => removeDir(dir));

describe('pcs -f, running the emitted script, builds the emitted CIB', () => {
  for (const [name, model] of Object.entries(FIXTURES)) {
    it(name, async () => {
      const o = outcomes.get(name)!;
      expect({ ok: o.run.ok, stderr: o.run.ok ? '' : o.run.stderr }).toEqual({ ok: true, stderr: '' });
      const diffs = compareConfigurations(emitCib(model), o.cib)
        .filter((d) => !(d.kind === 'changed' && d.a !== undefined && d.b === pacemakerStored(d.a)))
        .map(formatDifference);
      expect(diffs).toEqual([]);
      expect((await crmVerify(o.file)).ok).toBe(true);
    });
  }

  it('forces only the agents this machine lacks (linbit drbd, systemd units)', () => {
    expect(Object.fromEntries([...outcomes].map(([n, o]) => [n, o.forced]))).toEqual({
      vipGroup: false,
      serviceClone: true,
      nfsGroup: false,
      drbd: true,
      threeNode: false,
      hostile: false,
    });
  });

  it('carries hostile values into the CIB as Pacemaker stores them, and runs none of them', () => {
    const diffs = compareConfigurations(emitCib(FIXTURES.hostile), outcomes.get('hostile')!.cib);
    // Only Pacemaker's own newline/tab rewriting differs (validateModel warns about it).
    expect(diffs.map((d) => d.path)).toEqual(['resources/primitive[dummy]/instance_attributes/fake']);
    expect(diffs.find((d) => d.path.endsWith('/fake'))?.b).toBe(pacemakerStored(HOSTILE));
    expect(existsSync('/tmp/pwned')).toBe(false);
  });
});

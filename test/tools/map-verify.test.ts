/**
 * The mapping fixtures (fixtures/mapping/cases.json) through the real tools:
 * the emitted CIB passes crm_verify, and the emitted pcs script, run unchanged
 * against an empty CIB with the nodes, builds the same configuration element
 * by element. Agents this machine lacks (our shims, linbit drbd, systemd
 * units pcs cannot list without systemd) need --force, and only then.
 */
import { jest } from '@jest/globals';
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
} from '../../src/tools/pacemaker.js';
import { MAPPING_FIXTURES, mapFixture } from '../helpers/mapping-fixtures.js';

jest.setTimeout(600_000);

const NAMES = MAPPING_FIXTURES;

function model(name: string): ClusterModel {
  return mapFixture(name).result.model;
}

let dir: string;
const outcomes = new Map<string, { ok: boolean; stderr: string; forced: boolean; cib: string; file: string; verify: { ok: boolean; messages: string[] } }>();

beforeAll(async () => {
  dir = await tempDir();
  const available = new Map<string, boolean>();
  await Promise.all(
    NAMES.map(async (name) => {
      const m = model(name);
      const cibFile = join(dir, `${name}.cib.xml`);
      await writeFile(cibFile, emitCib(m));
      const verify = await crmVerify(cibFile);
      const file = join(dir, `${name}.pcs.xml`);
      await writeFile(file, await emptyCib());
      for (const r of await addNodes(file, m.nodes)) if (!r.ok) throw new Error(r.stderr);
      let forced = false;
      for (const p of allPrimitives(m.cib.resources)) {
        const key = `${p.agent.class}:${p.agent.provider ?? ''}:${p.agent.type}`;
        if (!available.has(key)) available.set(key, await agentAvailable(p.agent));
        if (!available.get(key)) forced = true;
      }
      const run = await pcsScriptOnFile(emitPcsScript(m), file, { force: forced });
      outcomes.set(name, { ok: run.ok, stderr: run.stderr, forced, cib: await readText(file), file, verify });
    }),
  );
});
afterAll(() => removeDir(dir));

describe('mapping fixtures through crm_verify and pcs -f', () => {
  for (const name of NAMES) {
    it(`${name}: crm_verify accepts the CIB; the pcs script builds the same configuration`, () => {
      const o = outcomes.get(name)!;
      expect({ ok: o.verify.ok, messages: o.verify.ok ? [] : o.verify.messages }).toEqual({ ok: true, messages: [] });
      expect({ ok: o.ok, stderr: o.ok ? '' : o.stderr }).toEqual({ ok: true, stderr: '' });
      expect(compareConfigurations(emitCib(model(name)), o.cib).map(formatDifference)).toEqual([]);
    });
  }

  it('forces pcs only where an agent is missing here (shims, drbd, systemd units)', () => {
    const forced = NAMES.filter((n) => outcomes.get(n)!.forced);
    expect(forced).toEqual(expect.arrayContaining(['script-shim', 'track-file', 'drbd']));
    expect(forced).not.toContain('track-interface');
    expect(forced).not.toContain('virtual-routes');
  });
});

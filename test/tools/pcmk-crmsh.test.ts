/**
 * crmsh accepts the emitted configure scripts offline (CIB_file + `crm
 * configure load update`), and what it builds is the emitted configuration,
 * compared element by element.
 */
import { jest } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emitCib } from '../../src/emit/cib.js';
import { emitCrmshScript } from '../../src/emit/crmsh.js';
import type { ClusterModel } from '../../src/pcmk/model.js';
import { allPrimitives } from '../../src/pcmk/walk.js';
import {
  addNodes,
  agentAvailable,
  compareConfigurations,
  crmVerify,
  emptyCib,
  formatDifference,
  crmshLoad,
  readText,
  removeDir,
  tempDir,
} from '../../src/tools/pacemaker.js';
import { FIXTURES } from '../helpers/pcmk-fixtures.js';

jest.setTimeout(120_000);

/** Pacemaker 2.1 stores a newline as `\n` and a tab as four spaces; crmsh cannot carry newlines at all. */
const stored = (v: string): string[] => [v.replace(/\n/g, '\\n').replace(/\t/g, '    '), v.replace(/\n/g, ' ').replace(/\t/g, '    ')];

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeDir(dir));

/**
 * crmsh 4.4 re-lexes rule expressions and fails ("No closing quotation") on a
 * quote inside a rule value, however it is quoted; pcs takes it. So the
 * hostile fixture's rule value loses its quote here, and only here. crmsh
 * cannot carry a newline in a value either (one statement per line).
 */
function forCrmsh(model: ClusterModel): ClusterModel {
  const constraints = model.cib.constraints.map((c) =>
    c.kind === 'location' && 'rule' in c
      ? { ...c, rule: { ...c.rule, expressions: c.rule.expressions.map((e) => ('value' in e ? { ...e, value: e.value.replace(/["']/g, '') } : e)) } }
      : c,
  );
  // Recipients are compared by value (their ids are crmsh's), so apply here what crmsh and Pacemaker store.
  const alerts = model.cib.alerts?.map((a) => ({
    ...a,
    recipients: a.recipients?.map((r) => ({ ...r, value: r.value.replace(/\n/g, ' ').replace(/\t/g, '    ') })),
  }));
  return { ...model, cib: { ...model.cib, constraints, alerts } };
}

describe('crm configure load update, running the emitted script, builds the emitted CIB', () => {
  for (const [name, fixture] of Object.entries(FIXTURES)) {
    const model = forCrmsh(fixture);
    it(name, async () => {
      const file = join(dir, `${name}.xml`);
      await writeFile(file, await emptyCib());
      await addNodes(file, model.nodes);
      const force = (await Promise.all(allPrimitives(model.cib.resources).map((p) => agentAvailable(p.agent)))).includes(false);
      const r = await crmshLoad(emitCrmshScript(model), file, { force });
      expect({ ok: r.ok, stderr: r.ok ? '' : r.stderr }).toEqual({ ok: true, stderr: '' });
      // crmsh 4.4 has no `integer` rule type and writes `number` (see emit/crmsh.ts).
      const expected = emitCib(model).replace(/ type="integer"/g, ' type="number"');
      const diffs = compareConfigurations(expected, await readText(file))
        .filter((d) => !(d.kind === 'changed' && d.a !== undefined && d.b !== undefined && stored(d.a).includes(d.b)))
        .map(formatDifference);
      expect(diffs).toEqual([]);
      expect((await crmVerify(file)).ok).toBe(true);
    });
  }
});

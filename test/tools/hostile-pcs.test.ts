/**
 * Hostile values end to end (issue 7, security): for each hostile value, one
 * keepalived configuration with the value in every field that accepts it
 * (test/helpers/fuzz.ts says which fields reach Pacemaker), mapped, and its
 * pcs script run for real by bash and pcs against a CIB file, and its crmsh
 * script loaded by crm. Nothing may run (each value tries to create a
 * marker file), and every value must arrive in the CIB as the model has it.
 */
import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emitCib } from '../../src/emit/cib.js';
import { emitCrmshScript } from '../../src/emit/crmsh.js';
import { emitPcsScript } from '../../src/emit/pcs.js';
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import type { ClusterModel } from '../../src/pcmk/model.js';
import { allPrimitives } from '../../src/pcmk/walk.js';
import { MemoryFileSystem } from '../../src/source/files.js';
import {
  addNodes,
  agentAvailable,
  compareConfigurations,
  crmshLoad,
  emptyCib,
  formatDifference,
  pcsScriptOnFile,
  readText,
  removeDir,
  tempDir,
  type ToolResult,
} from '../../src/tools/pacemaker.js';
import { HOSTILE_FIELDS, type HostileCase, MARKER_DIR, hostileCase, hostileValues } from '../helpers/fuzz.js';

jest.setTimeout(600_000);

const marker = join(MARKER_DIR, `ka2pcmk-pwned-tools-${process.pid}`);
/** Fields set together in one configuration (each pair of alternatives once). */
const TOGETHER: (typeof HOSTILE_FIELDS)[number][] = ['instance name', 'VIP label', 'notify argument', 'vrrp_script path', 'vrrp_script name', 'sync group name', 'notification_email_from', 'router_id', 'storage clients', 'storage options', 'storage directory', 'storage device'];

function mapCase(c: HostileCase): { model?: ClusterModel; errors: string[] } {
  const fs = MemoryFileSystem.of({ '/etc/keepalived/keepalived.conf': c.conf });
  const front = readNodes(c.nodes.map((n) => ({ name: n, entry: '/etc/keepalived/keepalived.conf', configId: 'node1' })), fs);
  const fe = front.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  if (fe.length) return { errors: fe };
  const m = mapToPacemaker(front.nodes.map((n) => ({ name: n.name, config: n.config })), { stonithDisabled: true, ...c.options });
  return { model: m.model, errors: m.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code) };
}

/** Pacemaker 2.1's XML writer: newline → `\n`, tab → four spaces (the mapping rejects such values where they matter). */
const pacemakerStored = (v: string): string => v.replace(/\n/g, '\\n').replace(/\t/g, '    ');

interface Run {
  value: string;
  fields: string[];
  model: ClusterModel;
  pcs: ToolResult;
  pcsCib: string;
  crm: ToolResult;
  crmCib: string;
}

let dir: string;
const runs: Run[] = [];

async function cibWithNodes(file: string, model: ClusterModel): Promise<void> {
  await writeFile(file, await emptyCib());
  for (const r of await addNodes(file, model.nodes)) if (!r.ok) throw new Error(r.stderr);
}

beforeAll(async () => {
  dir = await tempDir('ka2pcmk-hostile-');
  const values = hostileValues(marker);
  const prepared = values.map((value, k) => {
    // Only the fields where the value is accepted on its own; the others are rejected (unit tests say so).
    const fields = TOGETHER.filter((f) => {
      const r = mapCase(hostileCase({ [f]: value }));
      return r.model && !r.errors.length;
    });
    const c = hostileCase(Object.fromEntries(fields.map((f) => [f, value])), value);
    const m = mapCase(c);
    if (!m.model || m.errors.length) throw new Error(`value ${k} with ${fields.join(', ')}: ${m.errors.join(', ')}`);
    return { value, fields, model: m.model, k };
  });
  // pcs takes about a second per call: the values run side by side.
  runs.push(
    ...(await Promise.all(
      prepared.map(async ({ value, fields, model, k }) => {
        const force = (await Promise.all(allPrimitives(model.cib.resources).map((p) => agentAvailable(p.agent)))).includes(false);
        const pcsFile = join(dir, `pcs-${k}.xml`);
        const crmFile = join(dir, `crm-${k}.xml`);
        await cibWithNodes(pcsFile, model);
        await cibWithNodes(crmFile, model);
        const pcs = await pcsScriptOnFile(emitPcsScript(model), pcsFile, { force });
        const crm = await crmshLoad(emitCrmshScript(model), crmFile, { force });
        return { value, fields, model, pcs, pcsCib: await readText(pcsFile), crm, crmCib: await readText(crmFile) };
      }),
    )),
  );
});
afterAll(() => removeDir(dir));

describe('hostile values through the real pcs and crmsh', () => {
  it('every value reaches most fields (it is not all rejected); a newline only the few that never reach a value Pacemaker keeps', () => {
    for (const r of runs) expect(r.fields.length).toBeGreaterThanOrEqual(r.value.includes('\n') ? 1 : 8);
  });

  for (const [k, v] of hostileValues(marker).entries()) {
    it(`pcs: ${JSON.stringify(v)} arrives intact and runs nothing`, () => {
      const r = runs[k];
      expect({ ok: r.pcs.ok, stderr: r.pcs.ok ? '' : r.pcs.stderr }).toEqual({ ok: true, stderr: '' });
      const diffs = compareConfigurations(emitCib(r.model), r.pcsCib)
        .filter((d) => !(d.kind === 'changed' && d.a !== undefined && d.b === pacemakerStored(d.a)))
        .map(formatDifference);
      expect(diffs).toEqual([]);
      expect(r.pcsCib).toContain(v.includes('"') || v.includes('\n') ? 'ka2pcmk' : v.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
      expect(existsSync(marker)).toBe(false);
    });

    it(`crmsh: ${JSON.stringify(v)} loads and runs nothing`, () => {
      const r = runs[k];
      expect({ ok: r.crm.ok, stderr: r.crm.ok ? '' : r.crm.stderr }).toEqual({ ok: true, stderr: '' });
      // crmsh names alert recipients itself and writes newlines in descriptions as blanks: compare the parameters that carry values.
      const params = compareConfigurations(emitCib(r.model), r.crmCib).filter((d) => /instance_attributes|meta_attributes/.test(d.path) && !/recipient/.test(d.path));
      expect(params.map(formatDifference)).toEqual([]);
      expect(existsSync(marker)).toBe(false);
    });
  }
});

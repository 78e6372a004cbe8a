/**
 * The behaviour proof over every mapping fixture (fixtures/mapping/cases.json):
 * each fixture is read for node1 and node2 and mapped as the golden mapping
 * test does (test/golden/map-fixtures.test.ts), then every failure that
 * matters is replayed through keepalived's election model and through
 * crm_simulate on the emitted CIB. No row may be "unexplained": each
 * difference must be one of the named classes, and each class is admitted
 * only when the model replayed with that departure gives Pacemaker's answer.
 * The figures and the table of each fixture are printed.
 */
import { describe, expect, jest, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker, type MapOptions } from '../../src/map/index.js';
import { proveBehaviour, type BehaviourProof } from '../../src/prove/run.js';
import { markdownTable, summary } from '../../src/prove/table.js';
import { LocalFileSystem } from '../../src/source/files.js';

// Each fixture runs one crm_simulate per scenario step (and a crm_attribute per changed attribute).
jest.setTimeout(300_000);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CASES = JSON.parse(readFileSync(join(ROOT, 'fixtures/mapping/cases.json'), 'utf8')) as Record<string, MapOptions & { dir?: string }>;
const show = (p: string): string => (p.startsWith(ROOT) ? relative(ROOT, p) : p);

/** Reads, maps and proves one fixture, as map-fixtures.test.ts maps it. */
async function proveFixture(name: string): Promise<BehaviourProof> {
  const { dir, ...extra } = CASES[name];
  const folder = join(ROOT, dir ?? `fixtures/mapping/${name}`);
  const scripts: Record<string, string> = {};
  for (const f of readdirSync(folder).filter((x) => x.endsWith('.sh'))) scripts[`/etc/keepalived/${f}`] = readFileSync(join(folder, f), 'utf8');
  const entry = join(folder, 'keepalived.conf');
  const fe = readNodes(['node1', 'node2'].map((n) => ({ name: n, entry, configId: n })), new LocalFileSystem());
  const nodes = fe.nodes.map((n) => ({ name: n.name, config: n.config }));
  const map = mapToPacemaker(nodes, { stonithDisabled: true, scripts, ...extra }, show);
  return proveBehaviour(nodes, map);
}

describe('behaviour proof of every mapping fixture', () => {
  for (const name of Object.keys(CASES).filter((n) => !n.startsWith('/'))) {
    test(`${name}: every difference between keepalived and Pacemaker is explained`, async () => {
      const p = await proveFixture(name);
      const s = summary(p.rows);
      console.log(`${name}: ${p.rows.length} rows, ${s.match} match, ${s.explained} explained, ${s.unexplained} unexplained (${p.scenarios.length} scenarios, ${p.runs} tool runs, ${p.ms} ms)\n\n${markdownTable(p.rows)}`);
      expect(p.messages).toEqual([]);
      expect(p.rows.length).toBeGreaterThan(0);
      // Every instance is judged in the baseline.
      expect(p.rows.filter((r) => r.scenario === 'baseline').length).toBeGreaterThan(0);
      expect(p.rows.filter((r) => r.verdict === 'unexplained')).toEqual([]);
      // An explained mismatch names its class; its text is that class's, not a catch-all.
      for (const r of p.rows.filter((x) => x.verdict === 'explained')) {
        expect(r.classes.length).toBeGreaterThan(0);
        expect(r.explanation).toBeTruthy();
      }
    });
  }
});

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
import { proveBehaviour, type BehaviourProof } from '../../src/prove/run.js';
import { markdownTable, summary } from '../../src/prove/table.js';
import { MAPPING_FIXTURES, mapFixture } from '../helpers/mapping-fixtures.js';

// Each fixture runs one crm_simulate per scenario step (and a crm_attribute per changed attribute).
jest.setTimeout(300_000);

/** Reads, maps and proves one fixture. */
async function proveFixture(name: string): Promise<BehaviourProof> {
  const { nodes, result } = mapFixture(name);
  return proveBehaviour(nodes, result);
}

describe('behaviour proof of every mapping fixture', () => {
  for (const name of MAPPING_FIXTURES) {
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

/**
 * Golden tests of the mapping, one fixture per rule (fixtures/mapping/, table
 * in cases.json): the front end reads keepalived.conf for node1 and node2,
 * mapToPacemaker maps it, and every emitter's output plus the fidelity ledger
 * and the diagnostics are compared with test/golden/__golden__/map/<fixture>/.
 * Paths are shown relative to the repository, so goldens hold no machine path.
 * UPDATE_GOLDEN=1 regenerates.
 */
import { describe, expect, test } from '@jest/globals';
import { renderDiagnostics } from '../../src/diag/render.js';
import { locate } from '../../src/diag/span.js';
import { emitAnsibleVars } from '../../src/emit/ansible.js';
import { emitCib } from '../../src/emit/cib.js';
import { emitCorosyncConf } from '../../src/emit/corosync.js';
import { emitCrmshScript } from '../../src/emit/crmsh.js';
import { emitPcsScript } from '../../src/emit/pcs.js';
import type { MapResult } from '../../src/map/index.js';
import { renderLdirectordConfig, renderLvsConfig } from '../../src/map/lvs-config.js';
import { validateModel } from '../../src/pcmk/validate.js';
import { expectGolden } from '../helpers/golden.js';
import { MAPPING_CASES, MAPPING_FIXTURES, mapFixture, show } from '../helpers/mapping-fixtures.js';

const CASES = MAPPING_CASES;

/** The ledger, one line per entry: where, fidelity, owner, text, target, reason. */
export function renderLedger(ledger: MapResult['ledger']): string {
  return ledger
    .map((e) => {
      const l = locate(e.span);
      return `${show(l.file)}:${l.line} ${e.fidelity} ${e.owner} | ${e.text} | ${e.target} | ${e.reason}`;
    })
    .join('\n')
    .concat('\n');
}

describe('golden: map', () => {
  for (const name of MAPPING_FIXTURES) {
    test(`${name}: emitted configuration, ledger and diagnostics`, () => {
      const { result, front } = mapFixture(name);
      const config = front.nodes[0].config;
      const m = result.model;
      expect(validateModel(m).filter((p) => p.severity === 'error')).toEqual([]);
      expectGolden(`map/${name}/cib.xml`, emitCib(m));
      expectGolden(`map/${name}/pcs.sh`, emitPcsScript(m));
      expectGolden(`map/${name}/crmsh.crm`, emitCrmshScript(m));
      expectGolden(`map/${name}/corosync.conf`, emitCorosyncConf(m));
      expectGolden(`map/${name}/ansible.yml`, emitAnsibleVars(m));
      expectGolden(`map/${name}/ledger.txt`, renderLedger(result.ledger));
      const shims = result.shims.length ? `shims: ${result.shims.join(', ')}\n` : '';
      expectGolden(`map/${name}/diagnostics.txt`, `${shims}${renderDiagnostics(result.diagnostics, undefined, show)}\n`);
      if (config.virtualServers.length) {
        expectGolden(`map/${name}/lvs.txt`, CASES[name].lvs === 'ldirectord' ? renderLdirectordConfig(config) : renderLvsConfig(config));
      }
      // Nothing is silently lost: every directive is in the ledger, and none fell to the catch-all.
      expect(result.diagnostics.filter((d) => d.code === 'unmapped-directive').map((d) => d.message)).toEqual([]);
    });
  }
});

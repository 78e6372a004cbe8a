/** Golden tests of the crmsh emitter: every fixture, byte for byte. */
import { emitCrmshScript } from '../../src/emit/crmsh.js';
import { FIXTURES } from '../helpers/pcmk-fixtures.js';
import { expectGolden } from '../helpers/golden.js';

describe('golden: emitCrmshScript', () => {
  for (const [name, model] of Object.entries(FIXTURES)) {
    it(`${name}.crm`, () => {
      const out = emitCrmshScript(model);
      expect(emitCrmshScript(model)).toBe(out);
      expectGolden(`emit/${name}.crm`, out);
    });
  }
});

/** Golden tests of the ansible emitter: every fixture, byte for byte. */
import { emitAnsibleVars } from '../../src/emit/ansible.js';
import { FIXTURES } from '../helpers/pcmk-fixtures.js';
import { expectGolden } from '../helpers/golden.js';

describe('golden: emitAnsibleVars', () => {
  for (const [name, model] of Object.entries(FIXTURES)) {
    it(`${name}.ha_cluster.yml`, () => {
      const out = emitAnsibleVars(model);
      expect(emitAnsibleVars(model)).toBe(out);
      expectGolden(`emit/${name}.ha_cluster.yml`, out);
    });
  }
});

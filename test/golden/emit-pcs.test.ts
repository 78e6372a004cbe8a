/** Golden tests of the pcs emitter: every fixture, byte for byte. */
import { emitPcsScript } from '../../src/emit/pcs.js';
import { FIXTURES } from '../helpers/pcmk-fixtures.js';
import { expectGolden } from '../helpers/golden.js';

describe('golden: emitPcsScript', () => {
  for (const [name, model] of Object.entries(FIXTURES)) {
    it(`${name}.pcs.sh`, () => {
      const out = emitPcsScript(model);
      expect(emitPcsScript(model)).toBe(out);
      expectGolden(`emit/${name}.pcs.sh`, out);
    });
  }
});

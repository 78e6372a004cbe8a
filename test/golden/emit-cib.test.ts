/** Golden tests of the CIB emitter: every fixture's whole CIB, byte for byte. */
import { emitCib, emitConfiguration } from '../../src/emit/cib.js';
import { FIXTURES } from '../helpers/pcmk-fixtures.js';
import { expectGolden } from '../helpers/golden.js';

describe('golden: emitCib', () => {
  for (const [name, model] of Object.entries(FIXTURES)) {
    it(`${name}.cib.xml`, () => {
      expectGolden(`emit/${name}.cib.xml`, emitCib(model));
    });
  }

  it('is deterministic and embeds exactly the configuration section', () => {
    for (const model of Object.values(FIXTURES)) {
      const cib = emitCib(model);
      expect(emitCib(model)).toBe(cib);
      const conf = emitConfiguration(model).split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
      expect(cib).toContain(conf);
    }
  });
});

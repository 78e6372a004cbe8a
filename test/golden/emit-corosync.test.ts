/** Golden tests of the corosync emitter: every fixture, byte for byte. */
import { emitCorosyncConf } from '../../src/emit/corosync.js';
import { FIXTURES } from '../helpers/pcmk-fixtures.js';
import { expectGolden } from '../helpers/golden.js';

describe('golden: emitCorosyncConf', () => {
  for (const [name, model] of Object.entries(FIXTURES)) {
    it(`${name}.corosync.conf`, () => {
      const out = emitCorosyncConf(model);
      expect(emitCorosyncConf(model)).toBe(out);
      expectGolden(`emit/${name}.corosync.conf`, out);
    });
  }
});

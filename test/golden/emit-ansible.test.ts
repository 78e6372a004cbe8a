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

describe('ha_cluster variables', () => {
  it('parse back as YAML with the role documented names and hostile values intact', async () => {
    const { parse } = await import('yaml');
    const { hostile, HOSTILE } = await import('../helpers/pcmk-fixtures.js');
    const vars = parse(emitAnsibleVars(hostile)) as Record<string, unknown>;
    const documented = /^ha_cluster_(cluster_name|transport|totem|quorum|node_options|cluster_properties|resource_(primitives|groups|clones|defaults|operation_defaults)|constraints_(location|colocation|order)|alerts)$/;
    for (const key of Object.keys(vars)) expect(key).toMatch(documented);
    const prim = (vars.ha_cluster_resource_primitives as Array<{ instance_attrs: Array<{ attrs: Array<{ value: string }> }> }>)[0];
    expect(prim.instance_attrs[0].attrs[0].value).toBe(HOSTILE);
  });
});

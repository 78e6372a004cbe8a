/** The emitted CIBs pass crm_verify, and the emitted corosync.conf files parse in corosync. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { emitCib } from '../../src/emit/cib.js';
import { emitCorosyncConf } from '../../src/emit/corosync.js';
import { corosyncCheck, crmVerify, emptyCib, removeDir, tempDir } from '../../src/tools/pacemaker.js';
import { FIXTURES } from '../helpers/pcmk-fixtures.js';

import { jest } from '@jest/globals';

jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeDir(dir));

describe('crm_verify --xml-file accepts every emitted CIB', () => {
  for (const [name, model] of Object.entries(FIXTURES)) {
    it(name, async () => {
      const file = join(dir, `${name}.cib.xml`);
      await writeFile(file, emitCib(model));
      const result = await crmVerify(file);
      expect(result).toEqual({ ok: true, messages: expect.any(Array) });
    });
  }

  it('rejects a broken CIB and says why (so the check above means something)', async () => {
    const file = join(dir, 'broken.xml');
    await writeFile(file, emitCib(FIXTURES.vipGroup).replace('rsc="g-VI_1"', 'rsc="no-such-resource"'));
    const result = await crmVerify(file);
    expect(result.ok).toBe(false);
    expect(result.messages.join('\n')).toMatch(/no-such-resource/);
  });

  it('our CIB header matches what cibadmin --empty writes', async () => {
    const empty = await emptyCib();
    expect(empty).toMatch(/validate-with="pacemaker-3\.9"/);
    expect(emitCib(FIXTURES.vipGroup)).toMatch(/^<cib validate-with="pacemaker-3\.9" epoch="1" num_updates="0" admin_epoch="0">/);
  });
});

describe('corosync -t accepts every emitted corosync.conf', () => {
  for (const [name, model] of Object.entries(FIXTURES)) {
    it(name, async () => {
      const file = join(dir, `${name}.corosync.conf`);
      // corosync -t opens the log file; /var/log/cluster may not exist on a machine without a cluster.
      const logfile = join(dir, `${name}.corosync.log`);
      // ...and the knet key, which pcs would have distributed.
      const keyfile = join(dir, 'authkey');
      await writeFile(keyfile, randomBytes(256));
      const crypto = model.corosync.crypto && { ...model.corosync.crypto, keyfile };
      // ...and one node whose addresses are local, or it cannot tell which node it is.
      const nodes = model.nodes.map((n, i) => (i === 0 ? { ...n, addresses: n.addresses.map((_, l) => `127.0.0.${l + 1}`) } : n));
      await writeFile(file, emitCorosyncConf({ ...model, nodes, corosync: { ...model.corosync, logfile, crypto } }));
      const result = await corosyncCheck(file);
      const out = result.stdout + result.stderr;
      expect({ ok: result.ok, errors: out.split('\n').filter((l) => /error/i.test(l)) }).toEqual({ ok: true, errors: [] });
    });
  }
});

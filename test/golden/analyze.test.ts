/**
 * Golden tests of `ka2pcmk analyze` on fixtures covering every construct of
 * the front end: the rendered summary and diagnostics (caret frames included)
 * and the --json document, with the exit code. UPDATE_GOLDEN=1 regenerates.
 */
import { describe, expect, test } from '@jest/globals';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { expectGolden } from '../helpers/golden.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const F = 'fixtures/analyze';

const CASES: Record<string, string[]> = {
  pair: ['--node', `node1=${F}/pair/node1.conf`, '--node', `node2=${F}/pair/node2.conf`],
  shared: [`${F}/shared/keepalived.conf`, '--node', 'node1', '--node', 'node2'],
  includes: [`${F}/includes/keepalived.conf`, '--config-id', 'lb1'],
  'include-cycle': [`${F}/include-cycle/keepalived.conf`, '--config-id', 'lb1'],
  params: [`${F}/params/keepalived.conf`, '--config-id', 'lb1'],
  templates: [`${F}/templates/keepalived.conf`, '--config-id', 'lb1'],
  'bad-values': [`${F}/bad-values/keepalived.conf`, '--config-id', 'lb1'],
  mismatch: ['--node', `node1=${F}/mismatch/node1.conf`, '--node', `node2=${F}/mismatch/node2.conf`],
  lvs: [`${F}/lvs/keepalived.conf`, '--config-id', 'lb1'],
  encoding: [`${F}/encoding/keepalived.conf`, '--config-id', 'lb1'],
  unclosed: [`${F}/unclosed/keepalived.conf`, '--config-id', 'lb1'],
  example: ['fixtures/examples/pair/keepalived.conf', '--node', 'node1', '--node', 'node2'],
};

async function analyze(args: string[]) {
  const io = captureIo({ cwd: ROOT });
  const code = await run(['analyze', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('golden: analyze', () => {
  for (const [name, args] of Object.entries(CASES)) {
    test(`${name}: summary and diagnostics`, async () => {
      const r = await analyze(args);
      expectGolden(`analyze/${name}.txt`, `$ ka2pcmk analyze ${args.join(' ')}\n# exit ${r.code}\n${r.stdout}${r.stderr}`);
    });
    test(`${name}: --json`, async () => {
      const r = await analyze([...args, '--json']);
      const doc = JSON.parse(r.stdout);
      expect(doc.version).toBe(1);
      expect(r.code).toBe(doc.summary.errors ? 1 : 0);
      expectGolden(`analyze/${name}.json`, r.stdout);
    });
  }
});

describe('analyze: usage', () => {
  test('an unknown option is a usage error (exit 2)', async () => {
    const r = await analyze(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });
  test('--config-id with --node is a usage error', async () => {
    const r = await analyze([`${F}/shared/keepalived.conf`, '--node', 'a', '--config-id', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--config-id and --node cannot be used together');
  });
  test('a node named twice is a usage error', async () => {
    const r = await analyze([`${F}/shared/keepalived.conf`, '--node', 'a', '--node', 'a']);
    expect(r.code).toBe(2);
  });
  test('a missing file is an error diagnostic (exit 1)', async () => {
    const r = await analyze([join(F, 'does-not-exist.conf'), '--config-id', 'x']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error[file-unreadable]');
  });
});

/**
 * `ka2pcmk analyze -o DIR` on the built-in example: the plan's files against
 * goldens, byte-identical across runs, private file modes, no secret in any
 * file, and nothing written when the configuration has errors.
 */
import { describe, expect, jest, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';
import { expectGolden } from '../helpers/golden.js';

// analyze -o runs crm_verify and the behaviour proof (crm_simulate per scenario): seconds, more on a loaded machine.
jest.setTimeout(120_000);

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLE = ['fixtures/examples/pair/keepalived.conf', '--node', 'node1', '--node', 'node2', '--no-stonith'];

async function plan(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-plan-test-'));
  const out = join(dir, 'plan');
  const io = captureIo({ cwd: ROOT });
  const code = await run(['analyze', ...args, '-o', out], io);
  const files = existsSync(out) ? Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')])) : {};
  const modes = existsSync(out) ? Object.fromEntries(readdirSync(out).map((f) => [f, statSync(join(out, f)).mode & 0o777])) : {};
  rmSync(dir, { recursive: true, force: true });
  return { code, files, modes, io };
}

describe('analyze -o: the plan', () => {
  test('the example plan matches its goldens', async () => {
    const r = await plan(EXAMPLE);
    expect(r.code).toBe(0);
    expect(Object.keys(r.files).sort()).toEqual(['ansible-ha_cluster.yml', 'changes.diff', 'cib.xml', 'configuration.xml', 'corosync.conf', 'crmsh.crm', 'pcs.sh', 'plan.json', 'plan.json.sha256', 'report.md']);
    for (const f of ['report.md', 'plan.json', 'cib.xml', 'pcs.sh', 'corosync.conf']) expectGolden(`plan/example/${f}`, r.files[f]);
    expect(r.files['report.md']).toContain('`crm_verify --xml-file cib.xml`: valid');
  });

  test('two runs give byte-identical plans', async () => {
    const a = await plan(EXAMPLE);
    const b = await plan(EXAMPLE);
    expect(b.files).toEqual(a.files);
  });

  test('plan.json names every other file with its sha256', async () => {
    const r = await plan(EXAMPLE);
    const doc = JSON.parse(r.files['plan.json']);
    expect(doc.kind).toBe('ka2pcmk-plan');
    expect(doc.version).toBe(1);
    const { createHash } = await import('node:crypto');
    for (const [name, sum] of Object.entries(doc.artifacts)) expect(createHash('sha256').update(r.files[name]).digest('hex')).toBe(sum);
    // plan.json itself is pinned in sha256sum's format, which migrate verifies.
    expect(r.files['plan.json.sha256']).toBe(`${createHash('sha256').update(r.files['plan.json']).digest('hex')}  plan.json\n`);
    expect(doc.inputs[0].files[0].sha256).toBe(createHash('sha256').update(readFileSync(join(ROOT, 'fixtures/examples/pair/keepalived.conf'))).digest('hex'));
  });

  test('files are private, and no secret is written', async () => {
    const r = await plan(EXAMPLE);
    for (const [f, mode] of Object.entries(r.modes)) expect([f, mode]).toEqual([f, f.endsWith('.sh') ? 0o700 : 0o600]);
    for (const [f, text] of Object.entries(r.files)) expect([f, text.includes('s3cr3t')]).toEqual([f, false]);
  });

  test('a configuration with errors writes nothing', async () => {
    const r = await plan(['fixtures/analyze/bad-values/keepalived.conf', '--config-id', 'x']);
    expect(r.code).toBe(1);
    expect(r.files).toEqual({});
    expect(r.io.stderr).toContain('not writing a plan');
  });
});

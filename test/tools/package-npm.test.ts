/**
 * `npm pack` gives a package that installs and runs: packed into a temporary
 * folder, installed from the tarball with --offline (so the test never needs
 * the registry), then run through node_modules/.bin and through npx.
 *
 * --offline works while the package's runtime dependencies are in npm's cache
 * (they are, on a machine that ran `npm ci`). They are bundled into
 * dist/ka2pcmk.cjs anyway, so moving them to devDependencies would make the
 * installed package dependency-free and this test offline-safe anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = process.cwd();
const sample = resolve(repo, '..', 'shared', 'corpus', 'real', 'cybozu__yrmcds__etc_keepalived.conf');
const tmp = mkdtempSync(join(tmpdir(), 'ka2pcmk-pack-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS'));
const sh = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...env, npm_config_update_notifier: 'false' }, timeout: 180_000 });
let tgz = '';

beforeAll(() => {
  expect(sh(process.execPath, ['scripts/bundle.mjs'], repo).status).toBe(0);
  const p = sh('npm', ['pack', '--pack-destination', tmp, '--json'], repo);
  expect(p.status).toBe(0);
  tgz = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm package', () => {
  it('holds the bundle and the docs, not the sources or tests', () => {
    const list = sh('tar', ['-tzf', tgz], tmp).stdout.split('\n').filter(Boolean);
    expect(list).toEqual(expect.arrayContaining(['package/package.json', 'package/dist/ka2pcmk.cjs']));
    expect(list.filter((f) => /^package\/(src|test|node_modules)\//.test(f))).toEqual([]);
  });

  it('installs from the tarball offline and runs from node_modules/.bin', () => {
    const prefix = join(tmp, 'install');
    mkdirSync(prefix);
    const i = sh('npm', ['install', '--prefix', prefix, tgz, '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], tmp);
    if (i.status !== 0) throw new Error(`npm install --offline failed (dependencies not in npm's cache? they could be devDependencies: the bundle carries them):\n${i.stderr}`);
    const bin = join(prefix, 'node_modules', '.bin', 'ka2pcmk');
    expect(existsSync(bin)).toBe(true);
    expect(sh(bin, ['--version'], tmp).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const a = sh(bin, ['analyze', sample, '--config-id', 'node1', '--json'], tmp);
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout).mapping.instances.length).toBeGreaterThan(0);
  }, 180_000);

  it('runs with npx from the tarball', () => {
    const r = sh('npx', ['--offline', '--yes', '--package', tgz, 'ka2pcmk', '--version'], tmp);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }, 180_000);
});

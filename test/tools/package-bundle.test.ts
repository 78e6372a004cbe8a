/**
 * The single-file bundle, as a bastion host gets it: dist/ka2pcmk.cjs copied
 * alone into an empty folder (no node_modules anywhere above it) analyses a
 * corpus file, writes a plan and reports on it, with plain `node`.
 *
 * Node 18: there is no Node 18 binary on this machine, so what can be checked
 * is checked: esbuild lowers the syntax (target node18, scripts/bundle.mjs),
 * `node --check` parses the file, and no runtime API newer than Node 18 is
 * called (a grep for each; they would throw only when reached, which a smoke
 * run on Node 20 would not notice).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const repo = process.cwd();
const bundle = join(repo, 'dist', 'ka2pcmk.cjs');
// The corpus lives next to the repository: <repo>/../shared/corpus.
const corpus = resolve(repo, '..', 'shared', 'corpus', 'real');
const sample = join(corpus, 'cybozu__yrmcds__etc_keepalived.conf');

function node(args: string[], cwd: string, env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['NODE_OPTIONS', 'NODE_PATH', 'FORCE_COLOR', 'NO_COLOR'].includes(k)));
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...clean, ...env }, timeout: 60_000 });
}

beforeAll(() => {
  const r = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: repo, encoding: 'utf8' });
  expect(r.status).toBe(0);
}, 60_000);

describe('single-file bundle', () => {
  it('analyses a corpus file, writes a plan and reports on it from a folder with no node_modules', () => {
    if (!existsSync(sample)) throw new Error(`corpus file missing: ${sample}`);
    const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-bastion-'));
    try {
      copyFileSync(bundle, join(dir, 'ka2pcmk.cjs'));
      // No node_modules in the folder or any parent: the bundle must need none.
      for (let d = dir; d !== dirname(d); d = dirname(d)) expect(existsSync(join(d, 'node_modules'))).toBe(false);
      expect(node(['ka2pcmk.cjs', '--version'], dir).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
      const a = node(['ka2pcmk.cjs', 'analyze', sample, '--config-id', 'node1', '--json'], dir);
      expect(a.stderr).toBe('');
      expect(a.status).toBe(0);
      const doc = JSON.parse(a.stdout);
      expect(doc.mapping.instances.length).toBeGreaterThan(0);
      const w = node(['ka2pcmk.cjs', 'analyze', sample, '--config-id', 'node1', '--no-stonith', '-o', 'plan'], dir);
      expect(w.status).toBe(0);
      expect(existsSync(join(dir, 'plan', 'plan.json'))).toBe(true);
      const r = node(['ka2pcmk.cjs', 'report', 'plan', '--format', 'html', '-o', 'report.html'], dir);
      expect(r.status).toBe(0);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<h2>Fidelity ledger</h2>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('honours NO_COLOR and --no-color over FORCE_COLOR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-color-'));
    try {
      copyFileSync(bundle, join(dir, 'ka2pcmk.cjs'));
      const args = ['ka2pcmk.cjs', 'analyze', sample, '--config-id', 'node1'];
      const ansi = /\x1b\[/;
      expect(node(args, dir, { FORCE_COLOR: '1' }).stdout).toMatch(ansi);
      expect(node(args, dir, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toMatch(ansi);
      expect(node([...args, '--no-color'], dir, { FORCE_COLOR: '1' }).stdout).not.toMatch(ansi);
      expect(node(['ka2pcmk.cjs', '--no-color', ...args.slice(1)], dir, { FORCE_COLOR: '1' }).stdout).not.toMatch(ansi);
      // Not a terminal and no FORCE_COLOR: plain.
      expect(node(args, dir).stdout).not.toMatch(ansi);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('parses (node --check) and calls no runtime API newer than Node 18', () => {
    expect(node(['--check', bundle], repo).status).toBe(0);
    const text = readFileSync(bundle, 'utf8');
    const newer = ['Object.groupBy', 'Map.groupBy', '.toSorted(', '.toReversed(', '.toSpliced(', 'Promise.withResolvers', 'import.meta.dirname', 'import.meta.filename', 'Array.fromAsync', '.isWellFormed(', '.symmetricDifference(', '.isSubsetOf(', 'process.getBuiltinModule', 'node:sqlite', 'RegExp.escape', 'Iterator.from', 'styleText'];
    expect(newer.filter((api) => text.includes(api))).toEqual([]);
    // Array.prototype.with (Node 20): `.with(` on anything.
    expect(text.match(/[\w\])]\.with\(/g) ?? []).toEqual([]);
    // Built-ins are required by their node: names, which Node 18 has.
    const builtins = [...new Set([...text.matchAll(/require\("node:([a-z_/]+)"\)/g)].map((m) => m[1]))];
    expect(builtins.filter((b) => !['assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'net', 'os', 'path', 'path/posix', 'process', 'readline', 'stream', 'string_decoder', 'tty', 'url', 'util', 'zlib'].includes(b))).toEqual([]);
  });
});

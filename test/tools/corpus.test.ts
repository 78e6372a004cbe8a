/**
 * The corpus against the oracle: every file in ../shared/corpus is analysed by
 * ka2pcmk and checked by the real `keepalived -t`. Every line keepalived
 * reports as a configuration problem (leaving out what depends on the machine)
 * must get a ka2pcmk diagnostic on the same line, a file keepalived accepts
 * must get no error, and nothing may crash. The agreement figures are printed.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locate } from '../../src/diag/span.js';
import { readNodes } from '../../src/frontend.js';
import { LocalFileSystem } from '../../src/source/files.js';
import { keepalivedCheck } from '../../src/tools/keepalived.js';

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = resolve(here, '..', '..', '..', 'shared', 'corpus');
const configId = hostname().split('.')[0];

function corpusFiles(): string[] {
  return ['samples', 'real', 'templated'].flatMap((d) => readdirSync(join(CORPUS, d)).map((f) => join(CORPUS, d, f))).sort();
}

describe('corpus against keepalived -t', () => {
  test('the corpus is there', () => {
    expect(existsSync(CORPUS)).toBe(true);
    expect(corpusFiles().length).toBeGreaterThan(50);
  });

  test('every file: no crash, keepalived problem lines matched, accepted files clean', () => {
    const rows: string[] = [];
    let kaLines = 0;
    let matched = 0;
    let cascaded = 0;
    let accepted = 0;
    let acceptedClean = 0;
    const misses: string[] = [];
    const falseErrors: string[] = [];
    for (const file of corpusFiles()) {
      const name = file.slice(CORPUS.length + 1);
      let result;
      try {
        result = readNodes([{ name: 'n', entry: file, configId }], new LocalFileSystem());
      } catch (e) {
        throw new Error(`ka2pcmk crashed on ${name}: ${(e as Error).stack}`);
      }
      const verdict = keepalivedCheck(file, configId);
      if (!verdict) throw new Error('keepalived is not installed: run scripts/setup.sh');
      const ours = result.diagnostics.filter((d) => d.span && d.span.file.path === file).map((d) => ({ d, loc: locate(d.span!) }));
      const covers = (line: number) => ours.some(({ loc }) => loc.line <= line && line <= loc.endLine);
      // A placeholder with braces ({{ x }}, \${X}, {% %}) breaks keepalived's brace count: what it
      // reports after it is a consequence of its own misreading, which ka2pcmk reports once, at the placeholder.
      const breakAt = Math.min(...ours.filter(({ d }) => d.code === 'template-placeholder' && /[{}]/.test(d.message)).map(({ loc }) => loc.line));
      const problems = verdict.messages.filter((m) => m.line !== undefined && !m.machineDependent && (!m.file || resolve(m.file) === file));
      const lines = [...new Set(problems.map((m) => m.line!))];
      const hit = lines.filter((l) => covers(l));
      const cascade = lines.filter((l) => !covers(l) && l > breakAt);
      kaLines += lines.length;
      matched += hit.length;
      cascaded += cascade.length;
      for (const m of problems) if (!covers(m.line!) && !(m.line! > breakAt)) misses.push(`${name}:${m.line}: keepalived: ${m.text}`);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (verdict.exitCode === 0) {
        accepted++;
        if (!errors.length) acceptedClean++;
        else falseErrors.push(...errors.map((d) => `${name}: ${d.code}: ${d.message}`));
      }
      rows.push(`${String(verdict.exitCode ?? verdict.signal).padStart(4)} ${String(hit.length).padStart(3)}/${String(lines.length).padEnd(3)} ${String(cascade.length).padStart(3)}C ${String(errors.length).padStart(3)}E ${name}`);
    }
    console.log(
      [
        'keepalived -t exit, lines matched/keepalived problem lines, C: lines after a brace-breaking template placeholder, ka2pcmk errors, file',
        ...rows,
        `files: ${rows.length}; crashes: 0`,
        `keepalived problem lines: ${kaLines}, with a ka2pcmk diagnostic on the same line: ${matched} (${kaLines ? ((100 * matched) / kaLines).toFixed(1) : '100.0'}%)`,
        `of the rest, after a template placeholder that breaks keepalived's braces (reported once, at the placeholder): ${cascaded}`,
        `unexplained: ${kaLines - matched - cascaded}`,
        `files keepalived accepts: ${accepted}, of which ka2pcmk reports no error: ${acceptedClean}`,
        ...misses.map((m) => `MISSED ${m}`),
        ...falseErrors.map((m) => `FALSE ERROR ${m}`),
      ].join('\n'),
    );
    expect(misses).toEqual([]);
    expect(falseErrors).toEqual([]);
  });
});

/**
 * Hostile values (issue 7, security): a value written in keepalived.conf (or
 * given as a node name or storage on the command line) that ends up in a
 * command or a generated file is either rejected with a positioned error, or
 * arrives intact: the emitted pcs script is run by bash with a `pcs` that
 * records its argv, which must equal the commands as data; the CIB XML is
 * parsed back; corosync.conf keeps its structure; a command carried to an
 * agent survives the agent's `eval "set -- $command"`; quoteArgv survives a
 * remote shell. No value ever runs: every one tries to create a marker file.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitCib } from '../../src/emit/cib.js';
import { emitCorosyncConf } from '../../src/emit/corosync.js';
import { emitPcsScript, pcsArgv, pcsCommands } from '../../src/emit/pcs.js';
import { quoteArgv } from '../../src/exec/runner.js';
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import { shLine } from '../../src/map/quote.js';
import type { MapOptions } from '../../src/map/types.js';
import type { ClusterModel } from '../../src/pcmk/model.js';
import { validateModel } from '../../src/pcmk/validate.js';
import { allResources } from '../../src/pcmk/walk.js';
import { MemoryFileSystem } from '../../src/source/files.js';
import { type XmlTree, parseXml } from '../../src/tools/xml.js';
import { HOSTILE_FIELDS, type HostileCase, MARKER_DIR, hostileCases, hostileValues } from '../helpers/fuzz.js';

let dir: string;
let fakePcs: string;
let marker: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-hostile-'));
  marker = join(MARKER_DIR, `ka2pcmk-pwned-${process.pid}`);
  // Records each invocation's argv, NUL-separated, one invocation per line of the log.
  fakePcs = join(dir, 'pcs');
  writeFileSync(fakePcs, `#!/bin/bash\nfor a in "$@"; do printf '%s\\0' "$a"; done >> "$PCS_LOG"\nprintf '\\n' >> "$PCS_LOG"\nif [ "$1" = cluster ] && [ "$2" = cib ]; then : > "$3"; fi\n`);
  chmodSync(fakePcs, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  c: HostileCase;
  errors: { code: string; line?: number }[];
  model?: ClusterModel;
}

function outcome(c: HostileCase): Outcome {
  const fs = MemoryFileSystem.of({ '/etc/keepalived/keepalived.conf': c.conf });
  const front = readNodes(c.nodes.map((n) => ({ name: n, entry: '/etc/keepalived/keepalived.conf', configId: 'node1' })), fs);
  const errs = (ds: typeof front.diagnostics) => ds.filter((d) => d.severity === 'error').map((d) => ({ code: d.code, line: d.span && d.span.file.position(d.span.start).line }));
  if (front.diagnostics.some((d) => d.severity === 'error')) return { c, errors: errs(front.diagnostics) };
  const options: MapOptions = { stonithDisabled: true, ...c.options };
  const m = mapToPacemaker(front.nodes.map((n) => ({ name: n.name, config: n.config })), options);
  return { c, errors: errs(m.diagnostics), model: m.model };
}

/** Runs the emitted pcs script with the recording pcs; returns each invocation's argv. */
function runPcsScript(model: ClusterModel): { argv: string[][]; status: number | null; stderr: string } {
  const work = mkdtempSync(join(dir, 'run-'));
  const log = join(work, 'pcs.log');
  writeFileSync(join(work, 'script.sh'), emitPcsScript(model));
  const r = spawnSync('bash', ['script.sh'], { cwd: work, encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}`, PCS_LOG: log } });
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
  const argv = text.split('\0\n').filter((l) => l !== '').map((l) => l.replace(/^\n/, '').split('\0'));
  return { argv, status: r.status, stderr: r.stderr };
}

/** Every attribute value of a parsed XML tree. */
function xmlValues(t: XmlTree, out: string[] = []): string[] {
  out.push(...Object.values(t.attrs));
  for (const c of t.children) xmlValues(c, out);
  return out;
}

/** Every value the model gives Pacemaker: attributes, alert options and recipients. */
function modelValues(m: ClusterModel): string[] {
  const out: string[] = [];
  for (const r of allResources(m.cib.resources)) {
    out.push(r.id);
    if (r.kind === 'primitive') out.push(...(r.instanceAttributes ?? []).map((nv) => nv.value));
    out.push(...(r.metaAttributes ?? []).map((nv) => nv.value));
  }
  for (const a of m.cib.alerts ?? []) {
    out.push(a.path, ...(a.instanceAttributes ?? []).map((nv) => nv.value));
    for (const r of a.recipients ?? []) out.push(r.value);
  }
  for (const n of m.nodes) out.push(n.name);
  return out;
}

const cases = hostileCases(join(MARKER_DIR, `ka2pcmk-pwned-${process.pid}`));
const outcomes = new Map<HostileCase, Outcome>();
const of = (c: HostileCase) => {
  let o = outcomes.get(c);
  if (!o) outcomes.set(c, (o = outcome(c)));
  return o;
};

describe('hostile values from the configuration and the command line', () => {
  test('every field is tried with every value', () => {
    expect(new Set(cases.map((c) => c.field))).toEqual(new Set(HOSTILE_FIELDS));
    expect(cases.length).toBe(HOSTILE_FIELDS.length * hostileValues(marker).length);
  });

  for (const c of cases) {
    test(`${c.field}: ${JSON.stringify(c.value).slice(0, 60)}`, () => {
      const o = of(c);
      if (!o.model || o.errors.length) {
        // Rejected: with an error that says where (run-level ones only for command-line values).
        expect(o.errors.length).toBeGreaterThan(0);
        if (!c.fromCommandLine) expect(o.errors.every((e) => e.line !== undefined)).toBe(true);
        return;
      }
      const model = o.model;
      // The pcs script, run by bash: each pcs invocation gets exactly the argv of the commands as data.
      const run = runPcsScript(model);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      const expected = [['cluster', 'cib', 'orig.xml'], ...pcsCommands(model).map((cmd) => ['-f', 'new.xml', ...pcsArgv(cmd)]), ['cluster', 'cib-push', 'new.xml', 'diff-against=orig.xml']];
      expect(run.argv).toEqual(expected);
      // The value itself reaches Pacemaker somewhere, unchanged (not only as a comment).
      if (c.reaches) expect(modelValues(model).some((v) => v.includes(c.reaches!))).toBe(true);
      // A command carried to an agent gives back, through the agent's eval, the argv keepalived would run.
      if (c.command) {
        const carried = allResources(model.cib.resources).flatMap((r) => (r.kind === 'primitive' ? r.instanceAttributes ?? [] : []));
        const lines = [...carried, ...(model.cib.alerts ?? []).flatMap((a) => a.instanceAttributes ?? [])].filter((nv) => nv.name === 'command' || nv.name === 'ka2pcmk_command').map((nv) => nv.value);
        const argvs = lines.map((l) => spawnSync('sh', ['-c', 'eval "set -- $1"; for a in "$@"; do printf "%s\\0" "$a"; done', 'agent', l], { encoding: 'utf8' }).stdout.split('\0').slice(0, -1));
        expect(argvs).toContainEqual(c.command);
      }
      expect(validateModel(model).filter((p) => p.severity === 'error')).toEqual([]);
      // The CIB reads back with every value intact.
      const tree = parseXml(emitCib(model));
      expect('error' in tree).toBe(false);
      const values = new Set(xmlValues(tree as XmlTree));
      expect(modelValues(model).filter((v) => !values.has(v))).toEqual([]);
      // corosync.conf: every line is a comment, a section, a closing brace or one `key: value`.
      const bad = emitCorosyncConf(model)
        .split('\n')
        .filter((l) => !/^\s*(?:|#.*|[a-z_0-9]+ \{|\}|[a-z_0-9]+: [^{}\n]*)$/.test(l));
      expect(bad).toEqual([]);
      expect(existsSync(marker)).toBe(false);
    });
  }

  test('commands carried to agents survive their `eval "set -- $command"`, and quoteArgv a remote shell', () => {
    for (const v of hostileValues(marker)) {
      const argv = ['/usr/local/bin/x.sh', v, `--opt=${v}`, '', v.replace(/\n/g, ' ')];
      const viaAgent = spawnSync('sh', ['-c', 'eval "set -- $1"; for a in "$@"; do printf "%s\\0" "$a"; done', 'agent', shLine(argv)], { encoding: 'utf8' });
      expect(viaAgent.stdout.split('\0').slice(0, -1)).toEqual(argv);
      const viaSsh = spawnSync('sh', ['-c', `for a in ${quoteArgv(['x', ...argv.slice(1)])}; do printf "%s\\0" "$a"; done`], { encoding: 'utf8' });
      expect(viaSsh.stdout.split('\0').slice(0, -1)).toEqual(['x', ...argv.slice(1)]);
    }
    expect(() => quoteArgv(['echo', 'a\0b'])).toThrow(/NUL/);
    expect(existsSync(marker)).toBe(false);
  });

  test('what is rejected, and why (the holes this test closed stay closed)', () => {
    const codes = (field: string, value: string) => of(cases.find((c) => c.field === field && c.value === value)!).errors.map((e) => e.code);
    const nl = hostileValues(marker).find((v) => v.includes('\n'))!;
    // Node names go into corosync.conf and every pcs/crmsh command: only host-name characters.
    for (const v of hostileValues(marker)) expect(codes('node name', v)).toContain('invalid-node-name');
    // A newline in a command argument cannot be stored in the CIB unchanged.
    expect(codes('notify argument', nl)).toContain('command-not-storable');
    expect(codes('vrrp_script argument', nl)).toContain('command-not-storable');
    // A name with a newline is passed to the notify script, through the CIB, changed; a label is an interface name.
    expect(codes('instance name', nl)).toContain('command-not-storable');
    expect(codes('sync group name', nl)).toContain('command-not-storable');
    expect(codes('VIP label', nl)).toContain('invalid-value');
    // Storage words become agent parameters: no control characters; no blanks where agents split on them.
    for (const f of ['storage clients', 'storage options', 'storage directory', 'storage device']) expect(codes(f, nl)).toContain('invalid-storage');
    expect(codes('storage clients', hostileValues(marker)[0])).toContain('invalid-storage');
    // Interface names follow Linux's rules (no blank, no '/'): the marker path has a '/'.
    expect(codes('interface', hostileValues(marker)[0])).toContain('invalid-value');
  });
});

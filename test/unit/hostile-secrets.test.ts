/**
 * Secrets (issue 7, security): keepalived's auth_pass never appears in what
 * analyze prints (text or --json), nor in any file of the plan it writes
 * with -o (report, ledger, plan, scripts), even when a diagnostic is about
 * the secret itself (too long, different between nodes).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/program.js';

/** Distinctive, and each also in the 8-byte form keepalived keeps. */
const SECRETS = ['Zx9Q7wLpTruncatedTail', 'Kv3MbN8rOther'];

const conf = (secret: string, prio: number) => `global_defs {
    router_id lb
}

vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority ${prio}
    unicast_src_ip 10.0.0.${prio === 150 ? 1 : 2}
    authentication {
        auth_type PASS
        auth_pass ${secret}
    }
    virtual_ipaddress {
        192.0.2.10/24
    }
}
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-secrets-'));
  writeFileSync(join(dir, 'node1.conf'), conf(SECRETS[0], 150));
  writeFileSync(join(dir, 'node2.conf'), conf(SECRETS[1], 100));
  writeFileSync(join(dir, 'same1.conf'), conf(SECRETS[0], 150));
  writeFileSync(join(dir, 'same2.conf'), conf(SECRETS[0], 100));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under a directory, as text. */
function allText(d: string): { path: string; text: string }[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? allText(p) : [{ path: p, text: readFileSync(p, 'latin1') }];
  });
}

/** The places where a secret (or its first 8 bytes, what keepalived keeps) appears. */
const leaks = (where: string, text: string) =>
  SECRETS.flatMap((s) => [s, s.slice(0, 8)]).filter((s) => text.includes(s)).map((s) => `${where}: ${s}`);

async function analyze(args: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await run(['analyze', ...args], io);
  return { code, out: io.stdout + io.stderr };
}

describe('secrets stay out of what analyze prints and writes', () => {
  test('--json and text, with the passwords differing between the nodes (an error about them)', async () => {
    for (const json of [true, false]) {
      const r = await analyze(['--node', 'node1=node1.conf', '--node', 'node2=node2.conf', '--no-stonith', ...(json ? ['--json'] : [])]);
      expect(r.out).toContain('node-mismatch');
      expect(r.out).toContain('auth-pass-truncated');
      expect(leaks(json ? 'json' : 'text', r.out)).toEqual([]);
    }
  });

  test('-o DIR: stdout, and every file of the plan (report, ledger, plan, scripts)', async () => {
    const out = join(dir, 'plan');
    const r = await analyze(['--node', 'node1=same1.conf', '--node', 'node2=same2.conf', '--no-stonith', '--json', '-o', out]);
    const files = allText(out);
    expect(files.length).toBeGreaterThan(3);
    // The authentication directive is in the ledger (as redesigned), masked.
    expect(files.some((f) => f.text.includes('auth_pass'))).toBe(true);
    expect([...leaks('stdout', r.out), ...files.flatMap((f) => leaks(f.path, f.text))]).toEqual([]);
  });
});

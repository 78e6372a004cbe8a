/**
 * known_hosts as OpenSSH writes it: plain, hashed (`ssh-keygen -H` output),
 * [host]:port, negation, @revoked; and the verdicts a presented key gets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendKnownHost, checkHostKey, fingerprint, hostsFieldMatches, keyTypeOf, knownHostsName, parseKnownHosts } from '../../src/exec/ssh-known-hosts.js';
import { changedKeyMessage } from '../../src/exec/ssh.js';

const KEY_B64 = 'AAAAC3NzaC1lZDI1NTE5AAAAIC4KBHqTSVkSzm2N4aXW8wnhFpyijHLG8NfOciXo2Vh4';
const KEY = Buffer.from(KEY_B64, 'base64');
/** A different ed25519 key (same type, other bytes). */
const OTHER = Buffer.concat([KEY.subarray(0, KEY.length - 1), Buffer.from([KEY[KEY.length - 1] ^ 1])]);
// Produced by `ssh-keygen -H` from "db1.example.com ..." and "[db2.example.com]:2222 ...".
const HASHED = [
  `|1|69+moPI7gWzzacERZKknxhXuSyA=|9kDKpv+/oTE05OBugN8sVxbryMc= ssh-ed25519 ${KEY_B64}`,
  `|1|axOrna8skbo/8rNtRDxzctYbOXM=|9ZYb1JipY2L03H4dwqNgKUNgqNo= ssh-ed25519 ${KEY_B64}`,
].join('\n');

test('names: port 22 is the bare host, any other port is [host]:port; lowercased', () => {
  expect(knownHostsName('DB1.example.com', 22)).toBe('db1.example.com');
  expect(knownHostsName('127.0.0.1', 4022)).toBe('[127.0.0.1]:4022');
});

test('key type and fingerprint come from the blob, as ssh-keygen -l prints them', () => {
  expect(keyTypeOf(KEY)).toBe('ssh-ed25519');
  expect(fingerprint(KEY)).toBe('SHA256:plDVCEp2t8cJVqqODzYXrX3/kemUWmZEvA6X5wLZAA0');
});

test('hashed entries written by ssh-keygen -H match their host (and port form) only', () => {
  const lines = parseKnownHosts(HASHED, 'kh');
  expect(lines).toHaveLength(2);
  expect(checkHostKey(lines, 'db1.example.com', KEY)).toMatchObject({ status: 'ok', line: { line: 1 } });
  expect(checkHostKey(lines, '[db2.example.com]:2222', KEY)).toMatchObject({ status: 'ok', line: { line: 2 } });
  expect(checkHostKey(lines, 'db2.example.com', KEY).status).toBe('unknown');
  expect(checkHostKey(lines, 'db1.example.com', OTHER)).toMatchObject({ status: 'changed', line: { file: 'kh', line: 1 } });
});

test('plain lists, wildcards and negation', () => {
  expect(hostsFieldMatches('node1,192.0.2.11', '192.0.2.11')).toBe(true);
  expect(hostsFieldMatches('*.example.com,!bad.example.com', 'db.example.com')).toBe(true);
  expect(hostsFieldMatches('*.example.com,!bad.example.com', 'bad.example.com')).toBe(false);
  expect(hostsFieldMatches('[127.0.0.1]:40??', '[127.0.0.1]:4022')).toBe(true);
  expect(hostsFieldMatches('node1', 'node10')).toBe(false);
});

test('verdicts: revoked beats a match; other key types make the host unknown, with the types listed', () => {
  const text = [
    '# comment',
    `node1,192.0.2.11 ssh-ed25519 ${KEY_B64}`,
    `node2 ecdsa-sha2-nistp256 ${KEY_B64}`,
    `@revoked * ssh-ed25519 ${OTHER.toString('base64')}`,
    'garbage',
    `@cert-authority *.example.com ssh-ed25519 ${KEY_B64}`,
  ].join('\n');
  const lines = parseKnownHosts(text);
  expect(lines.map((l) => l.line)).toEqual([2, 3, 4, 6]);
  expect(checkHostKey(lines, 'node1', KEY).status).toBe('ok');
  expect(checkHostKey(lines, 'node1', OTHER)).toMatchObject({ status: 'revoked', line: { line: 4 } });
  expect(checkHostKey(lines, 'node2', KEY)).toEqual({ status: 'unknown', otherTypes: ['ecdsa-sha2-nistp256'] });
  // A CA line is not a host key.
  expect(checkHostKey(lines, 'x.example.com', KEY).status).toBe('unknown');
});

test('append adds one line (after a missing final newline) and never rewrites an existing one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kh-'));
  try {
    const f = join(dir, 'sub', 'known_hosts');
    appendKnownHost(f, '[127.0.0.1]:4022', KEY);
    expect(readFileSync(f, 'utf8')).toBe(`[127.0.0.1]:4022 ssh-ed25519 ${KEY_B64}\n`);
    const g = join(dir, 'kh2');
    writeFileSync(g, `node1 ssh-ed25519 ${OTHER.toString('base64')}`);
    appendKnownHost(g, 'node2', KEY);
    expect(readFileSync(g, 'utf8').split('\n')).toEqual([`node1 ssh-ed25519 ${OTHER.toString('base64')}`, `node2 ssh-ed25519 ${KEY_B64}`, '']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the changed-key message names the host, the offending line and the way out', () => {
  const m = changedKeyMessage('[127.0.0.1]:4022', 'ssh-ed25519', KEY, '/x/known_hosts:3', '/x/known_hosts');
  expect(m).toBe(
    [
      'REMOTE HOST IDENTIFICATION HAS CHANGED!',
      'The ssh-ed25519 host key for [127.0.0.1]:4022 does not match the one in /x/known_hosts:3 (offending line).',
      'Someone could be eavesdropping on you right now (man-in-the-middle attack), or the host key has just been changed.',
      'The key sent by the remote host is SHA256:plDVCEp2t8cJVqqODzYXrX3/kemUWmZEvA6X5wLZAA0.',
      "Host key verification failed; nothing was run. If the change is expected, remove the old key with: ssh-keygen -R '[127.0.0.1]:4022' -f /x/known_hosts",
    ].join('\n'),
  );
});

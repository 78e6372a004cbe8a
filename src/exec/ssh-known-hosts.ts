/**
 * known_hosts, as OpenSSH reads and writes it (sshd(8) "SSH_KNOWN_HOSTS FILE
 * FORMAT"): `[marker] hostnames keytype base64 [comment]`, where hostnames is
 * a comma list of patterns (`*`, `?`, `!negation`, `[host]:port`) or a single
 * hashed entry `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`. A host on port
 * 22 is looked up as `host`, on any other port as `[host]:port`.
 * `@revoked` keys are refused; `@cert-authority` lines are skipped (ka2pcmk
 * does not do host certificates).
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { matchPattern } from './ssh-config.js';

export interface KnownHostLine {
  file: string;
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The hostnames field as written (hashed or patterns). */
  hosts: string;
  keyType: string;
  key: Buffer;
}

/** The outcome of checking a presented key. */
export type HostKeyStatus =
  | { status: 'ok'; line: KnownHostLine }
  | { status: 'changed'; line: KnownHostLine }
  | { status: 'revoked'; line: KnownHostLine }
  /** Nothing known for this host; `otherTypes` lists key types known for it. */
  | { status: 'unknown'; otherTypes: string[] };

/** The name a host is listed under. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Parses known_hosts text; malformed lines are skipped, as OpenSSH does. */
export function parseKnownHosts(text: string, file = 'known_hosts'): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  text.split('\n').forEach((raw, idx) => {
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    const f = t.split(/\s+/);
    let marker: KnownHostLine['marker'];
    if (f[0].startsWith('@')) {
      if (f[0] === '@revoked') marker = 'revoked';
      else if (f[0] === '@cert-authority') marker = 'cert-authority';
      else return;
      f.shift();
    }
    if (f.length < 3) return;
    const key = Buffer.from(f[2], 'base64');
    if (!key.length) return;
    out.push({ file, line: idx + 1, ...(marker ? { marker } : {}), hosts: f[0], keyType: f[1], key });
  });
  return out;
}

/** Whether a hostnames field names `name` (hashed entry, or pattern list with negation). */
export function hostsFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return mac.equals(Buffer.from(hash, 'base64'));
  }
  let hit = false;
  for (const p of field.split(',')) {
    const neg = p.startsWith('!');
    if (!matchPattern(name, neg ? p.slice(1) : p)) continue;
    if (neg) return false;
    hit = true;
  }
  return hit;
}

/** The key type written at the start of an SSH public key blob. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** OpenSSH's fingerprint: `SHA256:` + unpadded base64 of the blob's SHA-256. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** Checks a presented key against known lines, in OpenSSH's order of concern: revoked, match, changed, unknown. */
export function checkHostKey(lines: readonly KnownHostLine[], name: string, blob: Buffer): HostKeyStatus {
  const type = keyTypeOf(blob);
  const mine = lines.filter((l) => l.marker !== 'cert-authority' && hostsFieldMatches(l.hosts, name));
  const revoked = lines.find((l) => l.marker === 'revoked' && l.key.equals(blob));
  if (revoked) return { status: 'revoked', line: revoked };
  const plain = mine.filter((l) => !l.marker);
  const ok = plain.find((l) => l.keyType === type && l.key.equals(blob));
  if (ok) return { status: 'ok', line: ok };
  const changed = plain.find((l) => l.keyType === type);
  if (changed) return { status: 'changed', line: changed };
  return { status: 'unknown', otherTypes: [...new Set(plain.map((l) => l.keyType))].sort() };
}

/** Reads and parses every file that exists. */
export function loadKnownHosts(files: readonly string[]): KnownHostLine[] {
  return files.flatMap((f) => (existsSync(f) ? parseKnownHosts(readFileSync(f, 'utf8'), f) : []));
}

/** Appends `name type base64` to `file` (created 0600 with its folder 0700 if missing), never rewriting a line. */
export function appendKnownHost(file: string, name: string, blob: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file)) {
    const text = readFileSync(file);
    if (text.length && text[text.length - 1] !== 0x0a) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${name} ${keyTypeOf(blob)} ${blob.toString('base64')}\n`, { mode: 0o600 });
}

/**
 * Which credentials to offer a host, in OpenSSH's order: the agent
 * (SSH_AUTH_SOCK) unless IdentitiesOnly, then key files: the ones named
 * explicitly, then the config's IdentityFile lines, else the default
 * ~/.ssh/id_ed25519, id_ecdsa, id_rsa. Files that do not exist are skipped
 * silently (as OpenSSH does); a passphrase-protected key is skipped with a
 * note, because ka2pcmk never prompts: load it into the agent instead.
 * Reads key files only; imports ssh2's key parser through ssh.ts's types.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A method ssh2's authHandler accepts (structurally; ssh.ts hands these to ssh2). */
export type AuthOffer = { type: 'agent'; username: string; agent: string } | { type: 'publickey'; username: string; key: Buffer; path: string };

export interface AuthSources {
  username: string;
  /** SSH_AUTH_SOCK, or undefined. */
  agent?: string;
  identitiesOnly: boolean;
  /** Explicit identity files (an option), tried first. */
  explicit: readonly string[];
  /** IdentityFile lines from ssh_config. */
  configured: readonly string[];
  home: string;
  /** Tells whether a key file is encrypted (ssh2's parser, passed in by ssh.ts). */
  isEncrypted: (key: Buffer) => boolean;
}

export const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** The ordered offers, and notes about keys that could not be used. */
export function authOffers(s: AuthSources): { offers: AuthOffer[]; notes: string[] } {
  const offers: AuthOffer[] = [];
  const notes: string[] = [];
  if (s.agent && !s.identitiesOnly) offers.push({ type: 'agent', username: s.username, agent: s.agent });
  const files = [...s.explicit, ...(s.configured.length ? s.configured : DEFAULT_IDENTITIES.map((f) => join(s.home, '.ssh', f)))];
  const seen = new Set<string>();
  for (const path of files) {
    if (seen.has(path) || !existsSync(path)) continue;
    seen.add(path);
    let key: Buffer;
    try {
      key = readFileSync(path);
    } catch (e) {
      notes.push(`cannot read identity ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      continue;
    }
    if (s.isEncrypted(key)) {
      notes.push(`identity ${path} is protected by a passphrase: add it to ssh-agent (ssh-add ${path})`);
      continue;
    }
    offers.push({ type: 'publickey', username: s.username, key, path });
  }
  return { offers, notes };
}

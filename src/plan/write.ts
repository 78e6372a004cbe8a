/**
 * Writes a plan directory without ever leaving a half-written file: every
 * file is written to a temporary name in the same directory, flushed, and
 * renamed over the old one; plan.json goes last, so a directory whose
 * plan.json matches its artifacts' checksums is complete. Files are private
 * (0600; pcs.sh 0700): plans name hosts and may hold secrets. plan.json.sha256
 * (sha256sum's format) lets migrate verify plan.json itself.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

function writeAtomic(dir: string, name: string, content: string, mode: number): void {
  const tmp = join(dir, `.${name}.tmp-${process.pid}`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, join(dir, name));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes `files` into `dir` (created 0700 if missing); plan.json last. */
export function writePlanDir(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const names = Object.keys(files)
    .filter((n) => n !== 'plan.json')
    .sort();
  if ('plan.json' in files) names.push('plan.json');
  for (const n of names) writeAtomic(dir, n, files[n], n.endsWith('.sh') ? 0o700 : 0o600);
  if ('plan.json' in files) {
    // migrate verifies plan.json against this before it trusts the checksums inside it.
    writeAtomic(dir, 'plan.json.sha256', `${createHash('sha256').update(files['plan.json']).digest('hex')}  plan.json\n`, 0o600);
    names.push('plan.json.sha256');
  }
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
  return names;
}

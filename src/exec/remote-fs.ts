/**
 * How the synchronous source layer reads a host. The expander reads through
 * ConfigFileSystem, which is synchronous, and a host answers asynchronously;
 * so we iterate: expand against a recording in-memory file system, fetch
 * whatever it asked for and did not have (files, and the directories its
 * include globs walk), and expand again, until a run asks for nothing new.
 * Each round can only discover what the previous round's files include, so
 * the number of rounds is the include depth plus one; it is bounded anyway.
 *
 * Globs are never handed to a remote shell: the directory under the pattern's
 * fixed prefix is listed with `find -L DIR -mindepth 1 -maxdepth N` (NUL
 * separated, directories marked with '/'), and the pattern is matched here
 * with picomatch, as MemoryFileSystem does.
 */
import picomatch from 'picomatch';
import { Diagnostics } from '../diag/diagnostic.js';
import { expand } from '../source/expand.js';
import { byteOrder, type ConfigFileSystem, type ReadResult } from '../source/files.js';
import type { HostRunner } from './runner.js';

const hasMagic = (p: string) => /[*?[{]/.test(p);

/** Where a glob must be listed: the fixed directory before its first wildcard, and how deep below it. */
export function globBase(pattern: string): { base: string; depth: number } {
  const i = pattern.search(/[*?[{]/);
  const prefix = i < 0 ? pattern : pattern.slice(0, i);
  const slash = prefix.lastIndexOf('/');
  const base = slash <= 0 ? '/' : prefix.slice(0, slash);
  // Every '/' after the base is a level to descend (an upper bound when braces hold slashes).
  const depth = Math.max(1, (pattern.slice(base.length === 1 ? 1 : base.length + 1).match(/\//g) ?? []).length + 1);
  return { base, depth };
}

/** An in-memory ConfigFileSystem that records what it was asked for and did not know. */
export class RecordingFileSystem implements ConfigFileSystem {
  readonly texts = new Map<string, string>();
  readonly absent = new Set<string>();
  readonly unreadable = new Map<string, string>();
  /** Listed directory → depth listed and the paths found (directories end with '/'). */
  readonly listings = new Map<string, { depth: number; entries: string[] }>();
  readonly missingFiles = new Set<string>();
  readonly missingListings = new Map<string, number>();

  read(path: string): ReadResult {
    const text = this.texts.get(path);
    if (text !== undefined) return { ok: true, text };
    const why = this.unreadable.get(path);
    if (why) return { ok: false, reason: why };
    if (!this.absent.has(path)) this.missingFiles.add(path);
    return { ok: false, reason: 'ENOENT' };
  }

  glob(pattern: string): string[] {
    if (!hasMagic(pattern)) {
      if (this.texts.has(pattern) || this.unreadable.has(pattern)) return [pattern];
      if (!this.absent.has(pattern)) this.missingFiles.add(pattern);
      return [];
    }
    const { base, depth } = globBase(pattern);
    const listed = this.listings.get(base);
    if (!listed || listed.depth < depth) {
      this.missingListings.set(base, Math.max(depth, this.missingListings.get(base) ?? 0));
      return [];
    }
    const match = picomatch(pattern, { dot: false });
    return listed.entries.filter((p) => match(p.replace(/\/$/, ''))).sort(byteOrder);
  }
}

export interface FetchResult {
  fs: RecordingFileSystem;
  /** Every file fetched that exists, as bytes (for checksums and copies). */
  raw: Map<string, Buffer>;
  rounds: number;
  /** False when the bound was reached with requests still open. */
  complete: boolean;
}

/** Lists DIR to `depth` levels: full paths, directories marked with a trailing '/'. */
export async function listRemote(host: HostRunner, dir: string, depth: number): Promise<string[]> {
  const r = await host.run(['find', '-L', dir, '-mindepth', '1', '-maxdepth', String(depth), '-type', 'd', '-printf', '%p/\\0', '-o', '-print0']);
  // A missing directory is an empty listing, as glob(3) gives nothing for it.
  return r.stdout.split('\0').filter(Boolean);
}

/** Fetches into `fs` what the last expansion asked for; true when anything was asked. */
export async function fetchMissing(host: HostRunner, fs: RecordingFileSystem, raw: Map<string, Buffer>): Promise<boolean> {
  const files = [...fs.missingFiles];
  const lists = [...fs.missingListings];
  fs.missingFiles.clear();
  fs.missingListings.clear();
  for (const path of files) {
    try {
      const data = await host.readFile(path);
      if (data === undefined) fs.absent.add(path);
      else {
        raw.set(path, data);
        fs.texts.set(path, data.toString('utf8'));
      }
    } catch (e) {
      if ((e as { kind?: string }).kind) throw e; // a RemoteError: the connection, not the file
      fs.unreadable.set(path, (e as Error).message);
    }
  }
  for (const [dir, depth] of lists) fs.listings.set(dir, { depth, entries: await listRemote(host, dir, depth) });
  return files.length + lists.length > 0;
}

/** Fetches `entry` and everything it includes from the host, as keepalived would read it for `configId`. */
export async function fetchConfigTree(host: HostRunner, entry: string, configId: string | undefined, maxRounds = 16): Promise<FetchResult> {
  const fs = new RecordingFileSystem();
  const raw = new Map<string, Buffer>();
  for (let round = 1; round <= maxRounds; round++) {
    expand(entry, { fs, configId }, new Diagnostics());
    if (!(await fetchMissing(host, fs, raw))) return { fs, raw, rounds: round, complete: true };
  }
  return { fs, raw, rounds: maxRounds, complete: false };
}

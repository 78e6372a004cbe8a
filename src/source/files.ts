/**
 * Where configuration text comes from. The expander reads through this
 * interface only, so the same code reads local files, files fetched from a
 * host over SSH, or an in-memory set in tests.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, posix, resolve } from 'node:path';
import fg from 'fast-glob';
import picomatch from 'picomatch';

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

export interface ConfigFileSystem {
  /** Reads a whole file as UTF-8. */
  read(path: string): ReadResult;
  /**
   * Expands a glob(3) pattern with `{a,b}` braces, as keepalived does
   * (GLOB_BRACE | GLOB_MARK): sorted paths, directories marked with a
   * trailing '/'. A pattern without wildcards yields itself if it exists.
   */
  glob(pattern: string): string[];
}

function hasMagic(p: string): boolean {
  return /[*?[{]/.test(p);
}

/** The machine's own files. */
export class LocalFileSystem implements ConfigFileSystem {
  read(path: string): ReadResult {
    try {
      const st = statSync(path);
      if (st.isDirectory()) return { ok: false, reason: 'is a directory' };
      return { ok: true, text: readFileSync(path, 'utf8') };
    } catch (e) {
      return { ok: false, reason: (e as NodeJS.ErrnoException).code ?? String(e) };
    }
  }

  glob(pattern: string): string[] {
    if (!hasMagic(pattern)) {
      try {
        return [statSync(pattern).isDirectory() ? pattern.replace(/\/?$/, '/') : pattern];
      } catch {
        return [];
      }
    }
    const found = fg.sync(pattern, { onlyFiles: false, markDirectories: true, dot: false, braceExpansion: true, followSymbolicLinks: true, suppressErrors: true });
    return found.sort(byteOrder);
  }
}

/** An in-memory set of files (tests, and files fetched from a host). Paths are absolute POSIX paths. */
export class MemoryFileSystem implements ConfigFileSystem {
  constructor(private readonly files: ReadonlyMap<string, string>) {}

  static of(files: Record<string, string>): MemoryFileSystem {
    return new MemoryFileSystem(new Map(Object.entries(files)));
  }

  read(path: string): ReadResult {
    const text = this.files.get(path);
    return text === undefined ? { ok: false, reason: 'ENOENT' } : { ok: true, text };
  }

  glob(pattern: string): string[] {
    if (!hasMagic(pattern)) return this.files.has(pattern) ? [pattern] : [];
    const match = picomatch(pattern, { dot: false });
    return [...this.files.keys()].filter((p) => match(p)).sort(byteOrder);
  }
}

/** glob(3) in the C locale sorts by bytes. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Resolves an include pattern relative to the including file's directory, as keepalived's chdir does. */
export function resolveInclude(pattern: string, includingFile: string): string {
  if (isAbsolute(pattern)) return pattern;
  const base = dirname(includingFile);
  return base.startsWith('/') ? posix.join(base, pattern) : resolve(base, pattern);
}

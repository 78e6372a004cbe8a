/**
 * Whole-file reads and atomic writes on a host, as argv commands only (no
 * remote shell script, so a hostile path is just an argument):
 *  - read: `cat -- PATH`; when it fails, `test -e PATH` tells absence
 *    (exit 1) from an unreadable file, without parsing localised messages;
 *  - write: `install -m MODE /dev/null TMP` (the file exists with its final
 *    mode before any byte lands, so a secret is never world-readable),
 *    `dd of=TMP conv=fsync` fed on stdin, `mv -f -T -- TMP PATH` (rename in
 *    the same directory: readers see the old or the new file, never half),
 *    then `sync -- DIR` so the rename itself survives a crash (best effort).
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { type CommandResult, type RunOptions, RemoteError } from './runner.js';

type BytesResult = Omit<CommandResult, 'stdout' | 'stderr'> & { stdout: Buffer; stderr: Buffer };

function failure(node: string, what: string, r: { code: number | null; stderr: Buffer | string; timedOut?: boolean }): Error {
  const msg = `${what}: ${r.timedOut ? 'timed out' : `exit ${r.code}`}${String(r.stderr).trim() ? `: ${String(r.stderr).trim()}` : ''}`;
  return r.timedOut ? new RemoteError(node, msg, 'timeout') : new Error(`${node}: ${msg}`);
}

/** Reads PATH; undefined when it does not exist. */
export async function remoteReadFile(node: string, exec: (argv: string[]) => Promise<BytesResult>, path: string): Promise<Buffer | undefined> {
  const r = await exec(['cat', '--', path]);
  if (r.code === 0) return r.stdout;
  const t = await exec(['test', '-e', path]);
  if (t.code === 1) return undefined;
  throw failure(node, `cannot read ${path}`, r);
}

/** The temporary name a write uses: hidden, next to the target, unique. */
export function tempNameFor(path: string, random = randomBytes(6).toString('hex')): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.ka2pcmk-${random}`);
}

/** Writes PATH atomically with MODE. */
export async function remoteWriteFile(
  node: string,
  run: (argv: string[], opts?: RunOptions) => Promise<CommandResult>,
  path: string,
  data: Buffer | string,
  mode: number,
  random?: string,
): Promise<void> {
  if (!path.startsWith('/')) throw new Error(`${node}: refusing to write a relative path: ${path}`);
  const tmp = tempNameFor(path, random);
  const octal = (mode & 0o7777).toString(8).padStart(4, '0');
  const created = await run(['install', '-m', octal, '/dev/null', tmp]);
  if (created.code !== 0) throw failure(node, `cannot create ${tmp}`, created);
  try {
    const w = await run(['dd', `of=${tmp}`, 'conv=fsync', 'status=none'], { stdin: Buffer.from(data) });
    if (w.code !== 0) throw failure(node, `cannot write ${tmp}`, w);
    const mv = await run(['mv', '-f', '-T', '--', tmp, path]);
    if (mv.code !== 0) throw failure(node, `cannot rename ${tmp} to ${path}`, mv);
  } catch (e) {
    await run(['rm', '-f', '--', tmp]).catch(() => undefined);
    throw e;
  }
  await run(['sync', '--', posix.dirname(path)]);
}

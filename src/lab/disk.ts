/**
 * The lab's shared disk: a loop device over a sparse image file, formatted
 * ext4. /dev is shared, so every node sees the device; whoever holds it (the
 * Filesystem agent, or a test) mounts it inside its own node's private mount
 * namespace, never on the host.
 */
import { closeSync, openSync, ftruncateSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run, runOk } from './proc.js';
import { writeState, type LabState } from './state.js';

/** Size of the shared disk image (sparse: only what mkfs writes takes space). */
export const DISK_BYTES = 64 * 1024 * 1024;

/** Create, attach and format the shared disk; returns the loop device path. */
export async function createSharedDisk(state: LabState): Promise<string> {
  const image = join(state.dir, 'shared-disk.img');
  const rec = { device: '', image };
  // Record the image before attaching: teardown finds its devices with `losetup -j`.
  state.loops.push(rec);
  writeState(state);
  const fd = openSync(image, 'w');
  ftruncateSync(fd, DISK_BYTES);
  closeSync(fd);
  rec.device = (await runOk(['losetup', '--find', '--show', image])).trim();
  writeState(state);
  await runOk(['mkfs.ext4', '-q', '-F', '-L', 'ka2pcmk-lab', rec.device]);
  return rec.device;
}

/** Loop devices currently attached to an image file. */
export async function loopsOf(image: string): Promise<string[]> {
  const r = await run(['losetup', '--noheadings', '--output', 'NAME', '--associated', image]);
  return r.code === 0 ? r.stdout.split('\n').map((s) => s.trim()).filter(Boolean) : [];
}

/** All loop devices on the machine with their backing files (for before/after checks). */
export async function listLoops(): Promise<string[]> {
  const r = await run(['losetup', '--noheadings', '--list', '--output', 'NAME,BACK-FILE']);
  return r.stdout.split('\n').map((s) => s.trim().replace(/\s+/g, ' ')).filter(Boolean).sort();
}

/** Detach every loop device of a recorded image and remove the image. */
export async function destroySharedDisk(image: string): Promise<string[]> {
  const problems: string[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const devs = await loopsOf(image);
    if (devs.length === 0) break;
    // A node's mount namespace may still be going away; detach is retried.
    for (const d of devs) await run(['losetup', '--detach', d]);
    await new Promise((r) => setTimeout(r, 50));
    if (attempt === 99) problems.push(`loop device(s) ${devs.join(', ')} still attached to ${image}`);
  }
  rmSync(image, { force: true });
  return problems;
}

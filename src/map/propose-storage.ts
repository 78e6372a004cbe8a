/**
 * Reading a notify script for the storage it manages. Runbooks very often
 * make keepalived's notify_master mount a shared disk and serve it over NFS
 * (and notify_backup undo it). Those steps are exactly what Pacemaker's
 * Filesystem → nfsserver → exportfs group does, better (monitored, fenced,
 * ordered), so we propose that group from the script's own lines. Pure: the
 * script texts are read beforehand and passed in.
 *
 * Recognised (one command per line, or `&&`/`;`-joined):
 *   mount [-t FSTYPE] [-o OPTS] DEVICE DIR
 *   exportfs -o OPTS CLIENT:DIR            (not -u, -r, -a)
 *   systemctl start nfs-server|nfs-kernel-server, service nfs-kernel-server start
 *   drbdadm primary RESOURCE
 */
import { SourceFile, type Span } from '../diag/span.js';
import { splitCommand } from '../model/command.js';
import type { KeepalivedConfig } from '../model/types.js';
import type { StorageSpec } from './types.js';

/** What one script line does, as far as storage goes. */
export type StorageStep =
  | { kind: 'mount'; device: string; directory: string; fstype?: string; options?: string; span: Span }
  | { kind: 'export'; clients: string; directory: string; options: string; span: Span }
  | { kind: 'nfs-start'; span: Span }
  | { kind: 'drbd-primary'; resource: string; span: Span }
  /** The reverse actions (umount, exportfs -u, stop, secondary): Pacemaker's stop does them. */
  | { kind: 'undo'; span: Span }
  /** A command we cannot take over: it would be lost if the script stopped running. */
  | { kind: 'other'; text: string; span: Span };

const SHELL_SYNTAX = /^(case|esac|if|then|else|elif|fi|do|done|for|while|exit|set|echo|logger|printf|true|:|#!|[a-zA-Z_|*"$-][^ ]*\)|;;|\{|\}|[A-Za-z_][A-Za-z0-9_]*=\S*)$/;

/** Splits a line into commands on `&&`, `||`, `;` (outside quotes, roughly: scripts rarely quote these). */
function commands(line: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const re = /&&|\|\||;;|;/g;
  let last = 0;
  for (let m = re.exec(line); ; m = re.exec(line)) {
    const end = m ? m.index : line.length;
    const text = line.slice(last, end);
    if (text.trim()) out.push({ text: text.trim(), offset: last + (text.length - text.trimStart().length) });
    if (!m) break;
    last = m.index + m[0].length;
  }
  return out;
}

function optionValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

function operands(argv: string[], withValue: string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    if (withValue.includes(argv[i])) i++;
    else if (!argv[i].startsWith('-')) out.push(argv[i]);
  }
  return out;
}

function step(argv: string[], text: string, span: Span): StorageStep | undefined {
  while (argv[0] === 'sudo' || argv[0] === 'exec' || argv[0] === 'command') argv = argv.slice(1);
  const cmd = (argv[0] ?? '').replace(/^.*\//, '');
  const words = argv.slice(1);
  switch (cmd) {
    case 'mount': {
      const ops = operands(argv, ['-t', '-o', '-O', '-L', '-U']);
      if (ops.length !== 2) return { kind: 'other', text, span };
      return { kind: 'mount', device: ops[0], directory: ops[1], fstype: optionValue(argv, '-t'), options: optionValue(argv, '-o'), span };
    }
    case 'umount':
      return { kind: 'undo', span };
    case 'exportfs': {
      if (words.some((w) => /^-[a-z]*[uraf]/.test(w))) return { kind: 'undo', span };
      const ops = operands(argv, ['-o', '-i']);
      const target = ops.length === 1 ? /^([^:]*):(\/.*)$/.exec(ops[0]) : null;
      if (!target) return { kind: 'other', text, span };
      return { kind: 'export', clients: target[1] || '*', directory: target[2], options: optionValue(argv, '-o') ?? 'ro', span };
    }
    case 'systemctl':
    case 'service': {
      const unit = cmd === 'systemctl' ? words[1] : words[0];
      const action = cmd === 'systemctl' ? words[0] : words[1];
      if (!/^nfs-(server|kernel-server)(\.service)?$/.test(unit ?? '')) return { kind: 'other', text, span };
      if (action === 'start' || action === 'restart') return { kind: 'nfs-start', span };
      return action === 'stop' ? { kind: 'undo', span } : { kind: 'other', text, span };
    }
    case 'drbdadm':
      if (words[0] === 'primary' && words[1]) return { kind: 'drbd-primary', resource: words[words.length - 1], span };
      if (words[0] === 'secondary') return { kind: 'undo', span };
      return { kind: 'other', text, span };
    default:
      return SHELL_SYNTAX.test(argv.join(' ')) || SHELL_SYNTAX.test(argv[0] ?? '') ? undefined : { kind: 'other', text, span };
  }
}

/** Every storage-relevant step of a script, with spans into `file`. Comments and shell syntax are skipped. */
export function scriptSteps(file: SourceFile): StorageStep[] {
  const out: StorageStep[] = [];
  const lines = file.text.split('\n');
  let offset = 0;
  for (const raw of lines) {
    const hash = raw.search(/(^|\s)#/);
    const line = hash >= 0 ? raw.slice(0, hash) : raw;
    for (const c of commands(line)) {
      // A case label on the same line as its command: `master) mount ...`.
      const label = /^[^\s()]+\)\s*/.exec(c.text);
      const text = label ? c.text.slice(label[0].length) : c.text;
      if (!text) continue;
      const start = offset + c.offset + (label ? label[0].length : 0);
      const s = step(splitCommand([text]), text, { file, start, end: start + text.length });
      if (s) out.push(s);
    }
    offset += raw.length + 1;
  }
  return out;
}

/** The storage a script's steps describe, or undefined when it mounts nothing. */
export function storageFromSteps(steps: readonly StorageStep[]): StorageSpec | undefined {
  const mount = steps.find((s): s is Extract<StorageStep, { kind: 'mount' }> => s.kind === 'mount');
  if (!mount) return undefined;
  const exports = steps
    .filter((s): s is Extract<StorageStep, { kind: 'export' }> => s.kind === 'export')
    .map((e) => (e.directory === mount.directory ? { clients: e.clients, options: e.options } : { clients: e.clients, options: e.options, directory: e.directory }));
  const drbd = steps.find((s): s is Extract<StorageStep, { kind: 'drbd-primary' }> => s.kind === 'drbd-primary');
  const spec: StorageSpec = { device: mount.device, directory: mount.directory, fstype: mount.fstype ?? 'ext4', exports, proposedFrom: mount.span };
  if (mount.options) spec.options = mount.options;
  if (drbd) spec.drbdResource = drbd.resource;
  return spec;
}

/**
 * Storage proposed by the notify scripts of `config`, one per script that
 * mounts something, for the instance (or the sync group's first member) whose
 * notify calls it. `scripts` holds script texts by path (argv[0] of the call).
 * A mount without `-t` is proposed as ext4: the caller says so.
 */
export function proposeStorage(config: KeepalivedConfig, scripts: Readonly<Record<string, string>>): StorageSpec[] {
  const out: StorageSpec[] = [];
  const seen = new Set<string>();
  const calls = [
    ...config.instances.map((i) => ({ instance: i.name, notify: i.notify })),
    ...config.syncGroups.map((g) => ({ instance: g.members[0]?.name, notify: g.notify })),
  ];
  for (const { instance, notify } of calls) {
    for (const call of Object.values(notify)) {
      const path = call?.argv[0];
      if (!path || seen.has(path) || scripts[path] === undefined) continue;
      seen.add(path);
      const spec = storageFromSteps(scriptSteps(new SourceFile(path, scripts[path])));
      if (spec) out.push(instance ? { ...spec, instance } : spec);
    }
  }
  return out;
}

/**
 * The one place that runs keepalived itself: `keepalived -t -f FILE [-i ID]`
 * parses a configuration without running anything, and is the oracle for
 * what a configuration means. Its messages are read and classified: some
 * depend on the machine (interfaces, users, scripts present), not the file.
 */
import { spawnSync } from 'node:child_process';

export interface KeepalivedMessage {
  /** The file named in the message, when it names one. */
  file?: string;
  line?: number;
  text: string;
  /** Depends on the machine keepalived ran on, not on the configuration text. */
  machineDependent: boolean;
}

export interface KeepalivedVerdict {
  exitCode: number | null;
  /** Killed by a signal (keepalived segfaults on some inputs). */
  signal: NodeJS.Signals | null;
  messages: KeepalivedMessage[];
}

const MACHINE_DEPENDENT = [
  /doesn't exist/,
  /Non-existent interface/,
  /Unknown interface/,
  /cannot use a loopback interface/,
  /Unable to set default user/,
  /SECURITY VIOLATION/,
  /script_security/,
  /since not found/,
  /not found\/accessible/,
  /Cannot find an IP address/,
  /resolves to/,
  /not executable/,
  /No such file/,
  /Unable to access/,
  /insecure/i,
  /Cannot open/i,
  /ipset/,
  /net_namespace/,
  /Unable to find .*interface/i,
  /does not have an IP address/i,
  /Unable to get/,
];

/** Parses keepalived's stderr: `(FILE: Line N) text`, `(Line N) text`, or bare text. */
export function parseKeepalivedOutput(out: string): KeepalivedMessage[] {
  const seen = new Set<string>();
  const msgs: KeepalivedMessage[] = [];
  for (const raw of out.split('\n')) {
    const lineText = raw.trim();
    if (!lineText) continue;
    const m = /^\((?:(.+?): )?Line (\d+)\) (.*)$/.exec(lineText);
    const msg: KeepalivedMessage = m ? { file: m[1], line: Number(m[2]), text: m[3], machineDependent: false } : { text: lineText, machineDependent: false };
    msg.machineDependent = MACHINE_DEPENDENT.some((r) => r.test(msg.text));
    // keepalived reads the file in several passes: a message can repeat.
    const key = `${msg.file ?? ''}:${msg.line ?? ''}:${msg.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    msgs.push(msg);
  }
  // A track script "not found" because keepalived removed it for a machine reason
  // (no such user, script missing) is a consequence of that reason.
  const removed = new Set(msgs.filter((m) => m.machineDependent).flatMap((m) => /(?:vrrp script|track script) (\S+)/.exec(m.text)?.slice(1) ?? []));
  for (const m of msgs) {
    const t = /track script (\S+) not found/.exec(m.text);
    if (t && removed.has(t[1])) m.machineDependent = true;
  }
  return msgs;
}

/** Runs `keepalived -t`. Returns undefined when keepalived is not installed. */
export function keepalivedCheck(file: string, configId?: string, cwd?: string): KeepalivedVerdict | undefined {
  const args = ['-t', '-f', file];
  if (configId) args.push('-i', configId);
  const r = spawnSync('keepalived', args, { encoding: 'utf8', timeout: 60_000, cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  return { exitCode: r.status, signal: r.signal, messages: parseKeepalivedOutput(`${r.stderr ?? ''}\n${r.stdout ?? ''}`) };
}

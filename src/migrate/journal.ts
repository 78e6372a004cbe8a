/**
 * The migration's journal: DIR/journal.ndjson, append-only, one JSON object
 * per line, each line flushed to disk (fsync) before the action it announces
 * runs. A step is written as "started" with its inverse before anything
 * touches a host, and "done" or "failed" with evidence after, so that
 * `rollback` can undo a migration from this file alone, even when ka2pcmk
 * was killed between the two lines. Secrets never enter it: steps name the
 * authkey, they do not hold it.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Step, Survey } from './types.js';

export const JOURNAL = 'journal.ndjson';

/** What a command showed, trimmed, as evidence. */
export interface Evidence {
  code?: number | null;
  stdout?: string;
  stderr?: string;
  note?: string;
  ms?: number;
}

export type JournalEntry =
  | { type: 'begin'; t: number; planId: string; /** plan.json's whole sha256 (older journals: planId only). */ planSha256?: string; tool: string; nodes: string[]; vips: { address: string; resource: string; group: string }[]; survey: Survey; dryRun?: false }
  | { type: 'step'; t: number; id: string; event: 'started'; step: Step }
  | { type: 'step'; t: number; id: string; event: 'done' | 'failed' | 'skipped'; evidence: Evidence }
  | { type: 'undo'; t: number; id: string; event: 'started' | 'done' | 'failed' | 'skipped'; evidence?: Evidence }
  | { type: 'probe'; t: number; report: unknown; /** Absent: the cutover's probe. */ phase?: 'rollback' }
  /** migrate's final checklist ({name, pass, evidence}: evidence is command output, never a secret). */
  | { type: 'check'; t: number; items: { name: string; pass: boolean; evidence: string }[] }
  /** The operator stopped migrate (SIGINT, SIGTERM) between two steps: `after` finished, `before` never started. */
  | { type: 'interrupted'; t: number; signal: string; after?: string; before?: string }
  | { type: 'end'; t: number; outcome: 'migrated' | 'failed' | 'rolled-back' | 'rollback-incomplete'; detail?: string };

/** Trims command output for the journal (enough to diagnose, not a log dump). */
export function clip(text: string | undefined, max = 2000): string | undefined {
  if (!text) return undefined;
  return text.length > max ? text.slice(0, max) + `… (${text.length - max} more characters)` : text;
}

/** An open journal: appends lines durably. */
export class Journal {
  private constructor(readonly path: string) {}

  /** Opens DIR/journal.ndjson for appending (created 0600, its folder fsynced so the file itself survives a crash). */
  static open(dir: string): Journal {
    const path = join(dir, JOURNAL);
    const fresh = !existsSync(path);
    closeSync(openSync(path, 'a', 0o600));
    if (fresh) {
      const d = openSync(dirname(path), 'r');
      try {
        fsyncSync(d);
      } finally {
        closeSync(d);
      }
    }
    return new Journal(path);
  }

  /** Appends one entry and fsyncs before returning. */
  append(entry: JournalEntry): void {
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, JSON.stringify(entry) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** Reads every entry; a torn last line (a crash mid-write) is ignored, any other bad line is an error. */
export function readJournal(dir: string): JournalEntry[] {
  const path = join(dir, JOURNAL);
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: JournalEntry[] = [];
  lines.forEach((line, k) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as JournalEntry);
    } catch {
      if (k < lines.length - 2) throw new Error(`${path}:${k + 1}: not a journal line`);
    }
  });
  return out;
}

/** A step as the journal tells it: its definition, and how far it got. */
export interface JournaledStep {
  step: Step;
  /** 'started' without an outcome: ka2pcmk died while it ran; its effect may or may not be there. */
  state: 'started' | 'done' | 'failed' | 'skipped';
  /** Its inverse already replayed by an earlier rollback. */
  undone: boolean;
}

/** The last migration in the journal: its header and its steps in execution order. */
export function lastRun(entries: readonly JournalEntry[]): { begin: Extract<JournalEntry, { type: 'begin' }>; steps: JournaledStep[] } | undefined {
  const k = entries.map((e) => e.type).lastIndexOf('begin');
  if (k < 0) return undefined;
  const begin = entries[k] as Extract<JournalEntry, { type: 'begin' }>;
  const byId = new Map<string, JournaledStep>();
  const order: string[] = [];
  for (const e of entries.slice(k + 1)) {
    if (e.type === 'step') {
      if (e.event === 'started') {
        if (!byId.has(e.id)) order.push(e.id);
        byId.set(e.id, { step: e.step, state: 'started', undone: false });
      } else {
        const s = byId.get(e.id);
        if (s) s.state = e.event;
      }
    } else if (e.type === 'undo' && (e.event === 'done' || e.event === 'skipped')) {
      const s = byId.get(e.id);
      if (s) s.undone = true;
    }
  }
  return { begin, steps: order.map((id) => byId.get(id)!) };
}

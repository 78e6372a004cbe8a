/**
 * The behaviour table for report.md (markdown) and for machines (JSON). Pure
 * and deterministic: rows in the order the proof made them (scenario, then
 * instance), no timings inside the table itself.
 */
import type { BehaviourRow } from './explain.js';

/** Escapes what would break a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const VERDICT: Readonly<Record<BehaviourRow['verdict'], string>> = { match: 'match', explained: 'mismatch (explained)', unexplained: '**MISMATCH (unexplained)**' };

/** Counts per verdict. */
export function summary(rows: readonly BehaviourRow[]): Record<BehaviourRow['verdict'], number> {
  const out = { match: 0, explained: 0, unexplained: 0 };
  for (const r of rows) out[r.verdict]++;
  return out;
}

/**
 * A markdown table: scenario, instance, keepalived's holder and why,
 * Pacemaker's holder, the verdict and its explanation; then one summary line.
 * A row whose answers agree but rest on an assumption or on different timing
 * is "explained" too, so the reader sees it.
 */
export function markdownTable(rows: readonly BehaviourRow[]): string {
  const lines = [
    '| scenario | instance | keepalived | why (keepalived) | Pacemaker | verdict | explanation |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      [
        cell(r.title),
        cell(r.instance),
        cell(r.keepalived.holder ?? '(none)'),
        cell(r.keepalived.why),
        cell(r.pacemaker.holder ?? '(stopped)'),
        cell(r.classes.length ? `${VERDICT[r.verdict]}: ${r.classes.join(', ')}` : VERDICT[r.verdict]),
        cell(r.explanation ?? ''),
      ].join(' | '),
    ).map((l) => `| ${l} |`),
  ];
  const s = summary(rows);
  lines.push('', `${rows.length} rows: ${s.match} match, ${s.explained} explained, ${s.unexplained} unexplained.`);
  return lines.join('\n') + '\n';
}

/** The rows as JSON (stable key order), with the summary. */
export function jsonTable(rows: readonly BehaviourRow[]): string {
  return JSON.stringify({ summary: summary(rows), rows }, null, 2) + '\n';
}

/**
 * The report as one JSON document: the ReportData itself, tagged with its
 * kind and format version so a script can refuse a format it does not know.
 */
import { REPORT_VERSION, type ReportData } from './types.js';

/** Renders the report as pretty-printed JSON (with a trailing newline). */
export function renderJson(d: ReportData): string {
  return JSON.stringify({ kind: 'ka2pcmk-report', version: REPORT_VERSION, ...d }, null, 2) + '\n';
}

/**
 * `ka2pcmk report DIR [--format md|html|json] [-o FILE]`: the report of a
 * plan directory (and of the migration run from it, when there was one), to
 * stdout or to FILE. Exit 0; 1 when DIR holds no usable plan; 2 usage.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { loadReport, ReportInputError } from '../report/load.js';
import { renderMarkdown } from '../report/md.js';
import type { ReportData } from '../report/types.js';
import { ExitCode, type Io, UsageError } from './io.js';

export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  format?: string;
  /** Write to this file instead of stdout. */
  output?: string;
}

const RENDER: Record<ReportFormat, (d: ReportData) => string> = { md: renderMarkdown, html: renderHtml, json: renderJson };

export async function report(dirArg: string, opts: ReportOptions, io: Io): Promise<number> {
  const format = (opts.format ?? 'md') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format ${opts.format}: give one of ${REPORT_FORMATS.join(', ')}`);
  let data: ReportData;
  try {
    data = loadReport(resolve(io.cwd, dirArg), dirArg);
  } catch (e) {
    if (e instanceof ReportInputError) {
      io.err(`ka2pcmk report: ${e.message}`);
      return ExitCode.errors;
    }
    throw e;
  }
  const text = RENDER[format](data);
  if (opts.output) {
    writeFileSync(resolve(io.cwd, opts.output), text);
    io.err(`report written to ${opts.output}`);
  } else io.out(text);
  for (const n of data.notes) io.err(`ka2pcmk report: note: ${n}`);
  return ExitCode.ok;
}

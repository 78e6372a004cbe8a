/** The checklist for a terminal (the JSON form is the ChecklistResult itself). */
import { quoteArgv } from '../exec/runner.js';
import type { Style } from '../ui/style.js';
import type { ChecklistResult } from './types.js';

export function checklistText(r: ChecklistResult, style: Style, verbose = false): string {
  const mark = { pass: style.ok('PASS'), fail: style.bad('FAIL'), skip: style.dim('SKIP') };
  const lines: string[] = [];
  for (const i of r.items) {
    lines.push(`${mark[i.status]}  ${i.title}: ${i.detail}`);
    if (verbose || i.status === 'fail') {
      for (const e of i.evidence) {
        // quoteArgv: the line shown is the one the host's shell received, so it can be pasted.
        lines.push(style.dim(`        ${e.node}$ ${e.argv[0]?.startsWith('(') ? e.argv.join(' ') : quoteArgv(e.argv)}  → exit ${e.code ?? 'none'}`));
        for (const l of e.output.split('\n').filter(Boolean).slice(0, 12)) lines.push(`          ${l}`);
      }
    }
  }
  const n = (s: string) => r.items.filter((i) => i.status === s).length;
  lines.push('', `${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped`);
  return lines.join('\n');
}

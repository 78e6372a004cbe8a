#!/usr/bin/env node
/**
 * The entry point: the only place that calls process.exit. An unexpected
 * exception is a bug: it is printed with its stack and exits 70 (EX_SOFTWARE).
 */
import { processIo } from './cli/io.js';
import { run } from './cli/program.js';

const argv = process.argv.slice(2);
run(argv, processIo(argv.includes('--no-color'))).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ka2pcmk: internal error (a bug, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(70);
  },
);

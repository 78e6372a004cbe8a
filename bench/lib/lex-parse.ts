/**
 * The floor of any front end built on chevrotain, for bench/parse-5000.mjs:
 * read the file, run ka2pcmk's chevrotain lexer and parser over it, nothing
 * else (no expansion, no spans, no model, no checks, no output). Bundled by
 * the benchmark and run as its own process, so Node's start-up and loading
 * chevrotain count, as they do for `ka2pcmk analyze`.
 */
import { readFileSync } from 'node:fs';
import { getParser } from '../../src/parse/parser.js';
import { getLexer } from '../../src/parse/tokens.js';

const text = readFileSync(process.argv[2], 'utf8');
const lexed = getLexer().tokenize(text);
const parser = getParser();
parser.input = lexed.tokens;
const statements = parser.config();
if (process.env.BENCH_DEBUG) console.log(`${lexed.tokens.length} tokens, ${statements.length} top-level statements, ${parser.errors.length} errors`);

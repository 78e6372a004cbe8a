// Issue 2's figure: a generated configuration with 5,000 vrrp_instances
// (about 1.6 MB) read by `keepalived -t` and by `ka2pcmk analyze`, side by
// side in one run. Target: ka2pcmk no slower than keepalived (ratio <= 1).
import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, fmt } from './lib/measure.mjs';

const N = 5000;
const parts = ['global_defs {\n    router_id bench\n    enable_script_security\n    script_user root\n}\n\nvrrp_script chk {\n    script "/bin/true"\n    interval 2\n    weight -20\n}\n'];
for (let i = 0; i < N; i++) {
  const ifc = `eth${Math.floor(i / 250)}`;
  const vrid = (i % 250) + 1;
  const a = 10 + Math.floor(i / 250);
  const b = i % 250;
  parts.push(`
vrrp_instance VI_${i} {
    state ${i % 2 ? 'BACKUP' : 'MASTER'}
    interface ${ifc}
    virtual_router_id ${vrid}
    priority ${100 + (i % 100)}
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass pw${i % 1000}
    }
    virtual_ipaddress {
        10.${a}.${b}.1/24 dev ${ifc} label ${ifc}:${i % 100}
        10.${a}.${b}.2/24
    }
    track_script {
        chk weight -10
    }
}
`);
}
const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-bench-'));
const file = join(dir, 'keepalived.conf');
if (process.env.BENCH_KEEP) console.log(`file: ${file}`);
writeFileSync(file, parts.join(''));
const size = statSync(file).size;
// keepalived -t reads and checks; `analyze --no-map` does the same work (the
// like-for-like figure the target is about); plain `analyze` also maps every
// instance onto Pacemaker and explains it, shown for what it costs.
// The floors: Node's own start-up, and chevrotain's lexer and parser alone on
// this file (bench/lib/lex-parse.ts, bundled as ka2pcmk is): what any
// front end on this stack pays before it checks anything.
const lexParse = join(dir, 'lex-parse.cjs');
await build({ entryPoints: ['bench/lib/lex-parse.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: lexParse, logLevel: 'warning' });
const [ka, lint, full, nodeFloor, chevFloor] = compare([
  ['keepalived', '-t', '-f', file],
  ['node', 'dist/ka2pcmk.cjs', 'analyze', '--no-map', '--json', file],
  ['node', 'dist/ka2pcmk.cjs', 'analyze', '--json', file],
  ['node', '-e', '0'],
  ['node', lexParse, file],
]);
console.log(`config: ${N} vrrp_instances, ${(size / 1e6).toFixed(2)} MB`);
console.log(`keepalived -t -f FILE                 median ${fmt(ka)}`);
console.log(`ka2pcmk analyze --no-map --json FILE  median ${fmt(lint)}   ratio ${(lint / ka).toFixed(2)} (target <= 1.00: ${lint <= ka ? 'met' : 'NOT met'})`);
console.log(`ka2pcmk analyze --json FILE (+ map)   median ${fmt(full)}   ratio ${(full / ka).toFixed(2)}`);
console.log(`floor: node -e 0                      median ${fmt(nodeFloor)}   ratio ${(nodeFloor / ka).toFixed(2)}`);
console.log(`floor: chevrotain lex + parse only    median ${fmt(chevFloor)}   ratio ${(chevFloor / ka).toFixed(2)} (Node start, chevrotain loaded, lexer and parser on FILE; nothing checked)`);
if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });

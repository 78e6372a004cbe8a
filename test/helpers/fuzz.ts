/**
 * The front-end fuzz harness, shared by the short run in the test suite
 * (test/unit/fuzz-*.test.ts) and the long run (bench/fuzz.mjs, which bundles
 * this file). A case is a set of in-memory files and the nodes that read
 * them; `runCase` pushes it through everything a user's file reaches
 * (expand → parse → model → map → every emitter, and the rendering of
 * diagnostics) and says which property it broke, if any:
 *  - nothing throws;
 *  - every diagnostic carries a span, except the run-level ones (RUN_LEVEL);
 *  - the time it took, so callers can judge seconds per megabyte.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { type Diagnostic, Diagnostics, diagnosticToJson } from '../../src/diag/diagnostic.js';
import { renderDiagnostics } from '../../src/diag/render.js';
import { emitAnsibleVars } from '../../src/emit/ansible.js';
import { emitCib } from '../../src/emit/cib.js';
import { emitCorosyncConf } from '../../src/emit/corosync.js';
import { emitCrmshScript } from '../../src/emit/crmsh.js';
import { emitPcsScript } from '../../src/emit/pcs.js';
import { type NodeInput, readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import type { MapOptions, StorageSpec } from '../../src/map/types.js';
import { quoteWord } from '../../src/parse/printer.js';
import { validateModel } from '../../src/pcmk/validate.js';
import { expand } from '../../src/source/expand.js';
import { MemoryFileSystem } from '../../src/source/files.js';

/**
 * Diagnostics about the run itself, with no file to point into: the entry
 * file could not be read. Mapping diagnostics about the cluster as a whole
 * (fencing, a node's address) point at the first instance, and have no span
 * only when there is no instance at all (RUN_LEVEL_MAP).
 */
export const RUN_LEVEL = new Set(['file-unreadable']);
export const RUN_LEVEL_MAP = new Set(['no-fencing', 'stonith-disabled', 'node-address-unknown']);

export const ENTRY = '/etc/keepalived/keepalived.conf';

export interface FuzzCase {
  /** Absolute path → text (already decoded, as LocalFileSystem would). */
  files: Record<string, string>;
  /** Nodes reading them; default: one node reading ENTRY with config-id `node1`. */
  nodes?: NodeInput[];
  /** What made it (generator name, mutation), for reproducers. */
  label: string;
}

export interface CaseResult {
  /** Input size in bytes (UTF-8), all files. */
  bytes: number;
  ms: number;
  /** The broken property, with detail; undefined when all held. */
  failure?: { kind: 'exception' | 'no-span'; message: string; stack?: string };
  diagnostics: number;
  mapped: boolean;
  /** Characters and lines the first node's entry expands to (untimed; 0 when it cannot expand). */
  expanded: number;
  expandedLines: number;
}

/** Runs one case through the whole front end and the emitters. Never throws. */
export function runCase(c: FuzzCase): CaseResult {
  const bytes = Object.values(c.files).reduce((n, t) => n + Buffer.byteLength(t), 0);
  const nodes = c.nodes ?? [{ name: 'node1', entry: ENTRY, configId: 'node1' }];
  const t0 = performance.now();
  let diagnostics = 0;
  let mapped = false;
  try {
    const fs = new MemoryFileSystem(new Map(Object.entries(c.files)));
    const front = readNodes(nodes, fs);
    diagnostics = front.diagnostics.length;
    const missing = front.diagnostics.find((d) => !d.span && !RUN_LEVEL.has(d.code));
    if (missing) return done({ kind: 'no-span', message: `front end: ${describe(missing)}` });
    render(front.diagnostics);
    if (!front.diagnostics.some((d) => d.severity === 'error')) {
      const m = mapToPacemaker(front.nodes.map((n) => ({ name: n.name, config: n.config })));
      mapped = true;
      diagnostics += m.diagnostics.length;
      const hasInstance = front.nodes.some((n) => n.config.instances.length > 0);
      const mMissing = m.diagnostics.find((d) => !d.span && !(RUN_LEVEL_MAP.has(d.code) && !hasInstance));
      if (mMissing) return done({ kind: 'no-span', message: `mapping: ${describe(mMissing)}` });
      render(m.diagnostics);
      validateModel(m.model);
      emitCib(m.model);
      emitPcsScript(m.model);
      emitCrmshScript(m.model);
      emitCorosyncConf(m.model);
      emitAnsibleVars(m.model);
    }
    return done();
  } catch (e) {
    const err = e as Error;
    return done({ kind: 'exception', message: String(err?.message ?? err).slice(0, 500), stack: err?.stack });
  }

  function done(failure?: CaseResult['failure']): CaseResult {
    const ms = performance.now() - t0;
    const ex = failure ? { chars: 0, lines: 0 } : expansionSize(c);
    return { bytes, ms, failure, diagnostics, mapped, expanded: ex.chars, expandedLines: ex.lines };
  }
}

/**
 * How much text the front end really read: generators and parameters make it
 * more than the file. The larger of the lines that came out and what the
 * expander generated (a generator's lines are each read and evaluated even
 * when they produce nothing, e.g. a nested generator refused as too large).
 * Measured apart from the timed run, and only where the text can expand.
 */
export function expansionSize(c: FuzzCase): { chars: number; lines: number } {
  const text = Object.values(c.files).join('');
  if (!/[$~]|include/.test(text)) return { chars: 0, lines: 0 };
  const node = (c.nodes ?? [{ entry: ENTRY, configId: 'node1' }])[0];
  const ex = expand(node.entry, { fs: new MemoryFileSystem(new Map(Object.entries(c.files))), configId: node.configId }, new Diagnostics());
  const out = ex.lines.reduce((n, l) => n + l.length + 1, 0);
  return { chars: Math.max(out, ex.generated.chars), lines: Math.max(ex.lines.length, ex.generated.lines) };
}

function describe(d: Diagnostic): string {
  return `[${d.code}] ${d.message.slice(0, 200)}`;
}

/** Rendering is part of the property: a span past the end of its file must not crash the code frame. */
function render(ds: readonly Diagnostic[]): void {
  renderDiagnostics(ds);
  for (const d of ds) JSON.stringify(diagnosticToJson(d));
}

// ---------------------------------------------------------------------------
// Seeds: the corpus of real configurations.

/** Where the corpus lives (overridable for other checkouts). */
export const CORPUS_DIR = process.env.KA2PCMK_CORPUS ?? '/work/shared/corpus';

/** Every corpus file as bytes, by name; empty when the corpus is absent. */
export function loadCorpus(dir = CORPUS_DIR): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  for (const sub of ['real', 'samples', 'templated']) {
    let names: string[];
    try {
      names = readdirSync(join(dir, sub)).sort();
    } catch {
      continue;
    }
    for (const n of names) out.push({ name: `${sub}/${n}`, bytes: readFileSync(join(dir, sub, n)) });
  }
  return out;
}

/** Bytes as LocalFileSystem would give them: UTF-8 with U+FFFD for what is not. */
export const decode = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

// ---------------------------------------------------------------------------
// Mutations of a seed: what a bad copy, a bad merge or a bad editor does.

export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'byte'; at: number; value: number }
  | { op: 'delete-line'; line: number }
  | { op: 'duplicate-line'; line: number; times: number }
  | { op: 'delete-brace'; nth: number }
  | { op: 'duplicate-brace'; nth: number; times: number }
  | { op: 'swap-lines'; a: number; b: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'splice-junk'; at: number; junk: number[] };

/** Applies mutations in order; positions are taken modulo the current size, so any numbers work. */
export function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Buffer {
  let b = Buffer.from(seed);
  for (const m of mutations) {
    const len = b.length;
    switch (m.op) {
      case 'flip':
        if (len) b[m.at % len] ^= 1 << (m.bit & 7);
        break;
      case 'byte':
        if (len) b[m.at % len] = m.value & 0xff;
        break;
      case 'truncate':
        b = b.subarray(0, len ? m.at % (len + 1) : 0);
        break;
      case 'insert':
      case 'splice-junk': {
        const at = m.at % (len + 1);
        const add = m.op === 'insert' ? Buffer.from(m.text, 'utf8') : Buffer.from(m.junk);
        b = Buffer.concat([b.subarray(0, at), add, b.subarray(at)]);
        break;
      }
      case 'delete-line':
      case 'duplicate-line':
      case 'swap-lines': {
        const lines = splitLines(b);
        if (!lines.length) break;
        if (m.op === 'delete-line') lines.splice(m.line % lines.length, 1);
        else if (m.op === 'duplicate-line') {
          const k = m.line % lines.length;
          lines.splice(k, 0, ...Array<Buffer>(m.times).fill(lines[k]));
        } else {
          const a = m.a % lines.length;
          const c = m.b % lines.length;
          [lines[a], lines[c]] = [lines[c], lines[a]];
        }
        b = Buffer.concat(lines);
        break;
      }
      case 'delete-brace':
      case 'duplicate-brace': {
        const at: number[] = [];
        for (let i = 0; i < len; i++) if (b[i] === 0x7b || b[i] === 0x7d) at.push(i);
        if (!at.length) break;
        const i = at[m.nth % at.length];
        const rep = m.op === 'delete-brace' ? Buffer.alloc(0) : Buffer.alloc(m.times + 1, b[i]);
        b = Buffer.concat([b.subarray(0, i), rep, b.subarray(i + 1)]);
        break;
      }
    }
  }
  return b;
}

/** Lines with their line endings kept. */
function splitLines(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x0a) {
      out.push(b.subarray(s, i + 1));
      s = i + 1;
    }
  }
  if (s < b.length) out.push(b.subarray(s));
  return out;
}

// ---------------------------------------------------------------------------
// fast-check arbitraries.

const nat = fc.nat({ max: 1 << 30 });

/** Things that look like keepalived text, so mutations meet the parser's interesting paths. */
const FRAGMENTS = [
  '{', '}', '{{', '}}', '{%', '%}', '"', "'", '\\', '\\\n', '#', '!', '@', '@^', '$', '${', '~SEQ', '~SEQx', '~LST', '(', ')', ',',
  '\n', '\r\n', '\t', ' ', '\0', '\ufeff', '\u2028', '\uFFFD', 'include ', 'includer ', '$A=', '$A', '${A}', '${_RANDOM 1 9}', '$_PWD', '$_INSTANCE',
  'vrrp_instance VI_1 {\n', 'virtual_ipaddress {\n', '192.0.2.1/24 dev eth0 label eth0:1\n', 'state MASTER\n', 'interface eth0\n', 'virtual_router_id 51\n',
  'priority 100\n', 'track_script {\n', 'chk weight -20\n', 'vrrp_script chk {\n', 'script "/bin/true"\n', 'notify_master "/x.sh a b"\n',
  'authentication {\n auth_type PASS\n auth_pass s3cr3t!\n}\n', 'global_defs {\n', 'router_id R\n', 'unicast_peer {\n10.0.0.2\n}\n', 'virtual_server 10.0.0.1 80 {\n',
  'real_server 10.0.0.5 80 {\n', 'HTTP_GET {\n', 'url {\n path /\n}\n', 'vrrp_sync_group G {\n group {\n VI_1\n }\n}\n', '@node1 ', '@^node1 ', '@node2 ',
];

export const fragmentText = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((a) => a.join(''));

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: nat, bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('byte' as const), at: nat, value: fc.nat({ max: 255 }) }),
  fc.record({ op: fc.constant('delete-line' as const), line: nat }),
  fc.record({ op: fc.constant('duplicate-line' as const), line: nat, times: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('delete-brace' as const), nth: nat }),
  fc.record({ op: fc.constant('duplicate-brace' as const), nth: nat, times: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('swap-lines' as const), a: nat, b: nat }),
  fc.record({ op: fc.constant('truncate' as const), at: nat }),
  fc.record({ op: fc.constant('insert' as const), at: nat, text: fragmentText }),
  fc.record({ op: fc.constant('splice-junk' as const), at: nat, junk: fc.array(fc.nat({ max: 255 }), { maxLength: 64 }) }),
);

/** A corpus file with a few mutations. */
export function corpusMutationArb(corpus: readonly { name: string; bytes: Buffer }[]): fc.Arbitrary<FuzzCase> {
  return fc.tuple(fc.nat({ max: corpus.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 8 })).map(([k, ms]) => ({
    files: { [ENTRY]: decode(mutate(corpus[k].bytes, ms)) },
    label: `mutate ${corpus[k].name} ${JSON.stringify(ms)}`,
  }));
}

/** Random bytes, decoded as the local file system would (invalid UTF-8 becomes U+FFFD). */
export const junkArb: fc.Arbitrary<FuzzCase> = fc.uint8Array({ maxLength: 4096 }).map((b) => ({ files: { [ENTRY]: decode(b) }, label: 'junk bytes' }));

/** Keepalived-looking fragments in any order. */
export const fragmentArb: fc.Arbitrary<FuzzCase> = fragmentText.map((t) => ({ files: { [ENTRY]: t }, label: 'fragments' }));

/** Several files including each other (cycles, self-includes, globs), optionally read by two nodes. */
export const includeArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.array(fc.tuple(fragmentText, fc.array(fc.constantFrom('a.conf', 'b.conf', 'keepalived.conf', '*.conf', 'sub/c.conf', '../keepalived/a.conf', '/etc/keepalived/{a,b}.conf', 'missing.conf', 'sub/', 'sub/*'), { maxLength: 3 })), { minLength: 1, maxLength: 4 }),
    fc.boolean(),
  )
  .map(([parts, twoNodes]) => {
    const names = [ENTRY, '/etc/keepalived/a.conf', '/etc/keepalived/b.conf', '/etc/keepalived/sub/c.conf'];
    const files: Record<string, string> = {};
    parts.forEach(([text, incs], i) => {
      files[names[i]] = `${incs.map((p) => `include ${p}\n`).join('')}${text}`;
    });
    const nodes: NodeInput[] | undefined = twoNodes
      ? [
          { name: 'node1', entry: ENTRY, configId: 'node1' },
          { name: 'node2', entry: ENTRY, configId: 'node2' },
        ]
      : undefined;
    return { files, nodes, label: 'includes' };
  });

/** Huge tokens and lines: one word of N bytes, one line of N characters, many short lines. */
export const hugeArb = (maxBytes: number): fc.Arbitrary<FuzzCase> =>
  fc
    .tuple(fc.constantFrom('word', 'quoted', 'line', 'lines', 'comment', 'braces'), fc.integer({ min: 1, max: maxBytes }), fc.constantFrom('a', 'é', '$', '{', '"', '\\', '#', ' ', '\0', '\uFFFD'))
    .map(([shape, n, ch]) => {
      let text: string;
      switch (shape) {
        case 'word':
          text = `vrrp_instance ${ch.repeat(n)} {\n}\n`;
          break;
        case 'quoted':
          text = `global_defs {\n router_id "${ch.repeat(n)}"\n}\n`;
          break;
        case 'line':
          text = `${'x '.repeat(Math.floor(n / 2))}${ch}\n`;
          break;
        case 'lines':
          text = `${ch}\n`.repeat(Math.max(1, Math.floor(n / 2)));
          break;
        case 'comment':
          text = `# ${ch.repeat(n)}\nglobal_defs {\n}\n`;
          break;
        default:
          text = `${'{'.repeat(Math.floor(n / 2))}${'}'.repeat(Math.floor(n / 2))}`;
      }
      return { files: { [ENTRY]: text }, label: `huge ${shape} ${n} ${JSON.stringify(ch)}` };
    });

/** Blocks nested N deep, closed or not. */
export const deepArb = (maxDepth: number): fc.Arbitrary<FuzzCase> =>
  fc.tuple(fc.integer({ min: 1, max: maxDepth }), fc.boolean(), fc.constantFrom('vrrp_instance V', 'x', '', 'virtual_ipaddress', 'track_script')).map(([n, closed, kw]) => ({
    files: { [ENTRY]: `${`${kw} {\n`.repeat(n)}${closed ? '}\n'.repeat(n) : ''}` },
    label: `deep ${n} ${closed ? 'closed' : 'open'} ${JSON.stringify(kw)}`,
  }));

/** Parameters and generators that expand a lot: nested ~SEQ, ~LST, definitions of definitions, multi-line ones. */
export const expansionArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.tuple(fc.constantFrom('~SEQ', '~SEQx'), fc.integer({ min: -5, max: 2_000_000 }), fc.integer({ min: -3, max: 1000 })).map(([g, end, step]) => `${g}(i, 0, ${step}, ${end}) `),
        fc.integer({ min: 0, max: 40 }).map((n) => `~LST(v, ${Array.from({ length: n }, (_, k) => `x${k}`).join(', ') || 'a'}) `),
        fc.constant('~SEQ(j, 1000) '),
        fc.constant('~SEQ(k, 1000000) '),
      ),
      { maxLength: 3 },
    ),
    fc.array(fc.constantFrom('$A=$B $B $B $B $B $B $B $B', '$B=$C $C $C $C $C $C $C $C', '$C=$D $D $D $D $D $D $D $D', '$D=xxxxxxxxxxxxxxxx', '$A=$A', '$M=\\\nx\\\n$M', '$N=\\\n$N\\\n$N', '$L=~SEQ(i, 100000) $L', '$G=~SEQ(i, 1000) $G'), { maxLength: 5 }),
    fc.constantFrom('$A', '${A}', '$M', '$N', '$L', '$G', 'x $i', 'vrrp_instance VI_$i {\n', 'virtual_ipaddress {\n10.0.0.$i\n}', '$A $A $A $A'),
  )
  .map(([gens, defs, body]) => ({ files: { [ENTRY]: `${defs.join('\n')}\n\n${gens.join('')}${body}\n` }, label: 'expansion' }));

/** Every kind of case, weighted; `maxBytes` bounds the huge ones. */
export function anyCaseArb(corpus: readonly { name: string; bytes: Buffer }[], opts: { maxBytes: number; maxDepth: number }): fc.Arbitrary<FuzzCase> {
  const arbs: fc.WeightedArbitrary<FuzzCase>[] = [
    { weight: 6, arbitrary: fragmentArb },
    { weight: 3, arbitrary: junkArb },
    { weight: 3, arbitrary: includeArb },
    { weight: 2, arbitrary: expansionArb },
    { weight: 1, arbitrary: hugeArb(opts.maxBytes) },
    { weight: 1, arbitrary: deepArb(opts.maxDepth) },
  ];
  if (corpus.length) arbs.push({ weight: 10, arbitrary: corpusMutationArb(corpus) });
  return fc.oneof(...arbs);
}

// ---------------------------------------------------------------------------
// Hostile values (issue 7, security): every field that reaches a command or a
// generated file, with values that would run something if quoting failed.

/** Where hostile values point their `touch`: a test checks that nothing appeared there. */
export const MARKER_DIR = tmpdir();

/** Values that run `touch MARKER` if anything evaluates them, and others that look like options or break lines. */
export function hostileValues(marker: string): string[] {
  return [`192.0.2.1; touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `a\ntouch ${marker}`, `it's "${marker}"`, '--force', '-rf'];
}

export const HOSTILE_FIELDS = [
  'instance name',
  'interface',
  'VIP dev',
  'VIP label',
  'notify path',
  'notify argument',
  'vrrp_script path',
  'vrrp_script argument',
  'vrrp_script name',
  'router_id',
  'sync group name',
  'notification_email',
  'notification_email_from',
  'node name',
  'storage clients',
  'storage options',
  'storage directory',
  'storage device',
] as const;

export interface HostileCase {
  field: (typeof HOSTILE_FIELDS)[number];
  value: string;
  conf: string;
  nodes: string[];
  options?: MapOptions;
  /** The value is given on the command line (no file position to report). */
  fromCommandLine?: boolean;
  /** Text that must reach Pacemaker unchanged in some attribute value, when the case is mapped. */
  reaches?: string;
  /** The argv a `command` parameter must give back, when the case is mapped. */
  command?: string[];
}

/** A command line as keepalived splits it (model/command.ts): blanks, quotes and backslashes escaped. */
const cmdWord = (v: string) => v.replace(/[\\ \t'"]/g, (c) => `\\${c}`);

/** Every field with every value, as a configuration (and command-line options) for two nodes. */
export function hostileCases(marker = join(MARKER_DIR, `ka2pcmk-pwned-${process.pid}`)): HostileCase[] {
  return hostileValues(marker).flatMap((value) => HOSTILE_FIELDS.map((field) => hostileCase({ [field]: value }, value)));
}

/**
 * One configuration (and command-line options) with the given fields set to
 * the given values and every other field ordinary; `field` and `value` of
 * the result name the first.
 */
export function hostileCase(fields: Partial<Record<(typeof HOSTILE_FIELDS)[number], string>>, value = Object.values(fields)[0] ?? ''): HostileCase {
  const q = quoteWord;
  const s = {
    instance: 'VI_1',
    iface: 'eth0',
    dev: '',
    label: '',
    notify: '/usr/local/bin/notify.sh master',
    script: '/usr/local/bin/chk.sh --quiet',
    scriptName: 'chk',
    routerId: 'lb1',
    group: 'G1',
    email: 'ops@example.com',
    from: 'ka@example.com',
  };
  const names = Object.keys(fields) as (typeof HOSTILE_FIELDS)[number][];
  const c: HostileCase = { field: names[0], value, conf: '', nodes: ['node1', 'node2'] };
  const storage: StorageSpec = { device: '/dev/sdb1', directory: '/srv/nfs', fstype: 'xfs', exports: [{ clients: '192.0.2.0/24', options: 'rw,sync' }] };
  const reach = (v: string) => (c.reaches ??= v);
  for (const field of names) {
    const v = fields[field]!;
    switch (field) {
      case 'instance name': s.instance = v; break;
      case 'interface': s.iface = v; reach(v); break;
      case 'VIP dev': s.dev = ` dev ${q(v)}`; reach(v); break;
      case 'VIP label': s.label = ` label ${q(`eth0:${v}`)}`; break;
      case 'notify path': s.notify = `${cmdWord(v)} master`; c.command ??= [v, 'master']; break;
      case 'notify argument': s.notify = `/usr/local/bin/notify.sh ${cmdWord(v)}`; c.command ??= ['/usr/local/bin/notify.sh', v]; break;
      case 'vrrp_script path': s.script = `${cmdWord(v)} --quiet`; c.command ??= [v, '--quiet']; break;
      case 'vrrp_script argument': s.script = `/usr/local/bin/chk.sh ${cmdWord(v)}`; c.command ??= ['/usr/local/bin/chk.sh', v]; break;
      case 'vrrp_script name': s.scriptName = v; break;
      case 'router_id': s.routerId = v; break;
      case 'sync group name': s.group = v; reach(v); break;
      case 'notification_email': s.email = `${v}@example.com`; reach(s.email); break;
      case 'notification_email_from': s.from = `${v}@example.com`; reach(s.from); break;
      case 'node name': c.nodes = [v, 'node2']; c.fromCommandLine = true; break;
      case 'storage clients': storage.exports = [{ clients: v, options: 'rw' }]; c.fromCommandLine = true; reach(v); break;
      case 'storage options': storage.options = v; storage.exports = storage.exports.map((e) => ({ ...e, options: v })); c.fromCommandLine = true; reach(v); break;
      case 'storage directory': storage.directory = v; c.fromCommandLine = true; reach(v); break;
      case 'storage device': storage.device = v; c.fromCommandLine = true; reach(v); break;
    }
  }
  if (names.some((f) => f.startsWith('storage'))) c.options = { storage: [storage] };
  c.conf = `global_defs {
    router_id ${q(s.routerId)}
    notification_email {
        ${q(s.email)}
    }
    notification_email_from ${q(s.from)}
}

vrrp_script ${q(s.scriptName)} {
    script ${q(s.script)}
    interval 2
}

vrrp_sync_group ${q(s.group)} {
    group {
        ${q(s.instance)}
    }
    notify_backup "/usr/local/bin/group.sh backup"
}

vrrp_instance ${q(s.instance)} {
    state BACKUP
    interface ${q(s.iface)}
    virtual_router_id 51
    priority 100
    smtp_alert
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        192.0.2.10/24${s.dev}${s.label}
    }
    track_script {
        ${q(s.scriptName)}
    }
    notify_master ${q(s.notify)}
}
`;
  return c;
}

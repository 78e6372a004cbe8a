/** Shell completion generated from the commander program: bash accepts it, and completes in a real bash. */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashScript, programSpec, zshScript } from '../../src/cli/completion.js';
import { captureIo } from '../../src/cli/io.js';
import { buildProgram, run } from '../../src/cli/program.js';

const spec = programSpec(buildProgram(captureIo(), () => {}));
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Runs the completion function in a bash subshell for the words typed so far; returns its candidates. */
function complete(script: string, words: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-compl-'));
  try {
    const file = join(dir, 'ka2pcmk.bash');
    writeFileSync(file, script);
    const arr = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `source '${file}'; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _ka2pcmk; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8', cwd: dir });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('completion', () => {
  it('reads every visible command and its options from the program', () => {
    expect(spec.commands.map((c) => c.name)).toEqual(expect.arrayContaining(['analyze', 'check', 'migrate', 'rollback', 'report', 'completion', 'help']));
    const report = spec.commands.find((c) => c.name === 'report')!;
    expect(report.options.find((o) => o.flags.includes('--format'))!.value).toEqual({ kind: 'choices', choices: ['md', 'html', 'json'] });
    expect(report.args).toEqual({ kind: 'dir' });
    expect(spec.commands.find((c) => c.name === 'analyze')!.options.find((o) => o.flags.includes('--node'))!.repeatable).toBe(true);
  });

  it('prints the bash and zsh scripts, and refuses another shell with exit 2', async () => {
    const io = captureIo();
    expect(await run(['completion', 'bash'], io)).toBe(0);
    expect(io.stdout).toContain('complete -o filenames -F _ka2pcmk ka2pcmk');
    const z = captureIo();
    expect(await run(['completion', 'zsh'], z)).toBe(0);
    expect(z.stdout.startsWith('#compdef ka2pcmk\n')).toBe(true);
    expect(await run(['completion', 'fish'], captureIo())).toBe(2);
  });

  const bash = has('bash') ? it : it.skip;
  bash('bash accepts the script (bash -n)', () => {
    const r = spawnSync('bash', ['-n'], { input: bashScript(spec), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  bash('completes subcommands, options, option choices and global options in bash', () => {
    const s = bashScript(spec);
    expect(complete(s, ['ka2pcmk', 'rep'])).toEqual(['report']);
    expect(complete(s, ['ka2pcmk', 'r'])).toEqual(['rollback', 'report']);
    expect(complete(s, ['ka2pcmk', 'report', 'plan/', '--f'])).toEqual(['--format']);
    expect(complete(s, ['ka2pcmk', 'report', 'plan/', '--format', ''])).toEqual(['md', 'html', 'json']);
    expect(complete(s, ['ka2pcmk', 'analyze', '--lvs', 'l'])).toEqual(['ldirectord']);
    expect(complete(s, ['ka2pcmk', 'migrate', 'plan/', '--dry'])).toEqual(['--dry-run']);
    expect(complete(s, ['ka2pcmk', 'check', '--no-c'])).toEqual(['--no-color']);
    expect(complete(s, ['ka2pcmk', 'completion', ''])).toEqual(['bash', 'zsh']);
    expect(complete(s, ['ka2pcmk', 'help', 'mi'])).toEqual(['migrate']);
    expect(complete(s, ['ka2pcmk', '--v'])).toEqual(['--version']);
  });

  const zsh = has('zsh') ? it : it.skip;
  zsh('zsh accepts the script (zsh -n)', () => {
    const r = spawnSync('zsh', ['-n'], { input: zshScript(spec), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the zsh script describes every command and quotes what _arguments would misread', () => {
    const z = zshScript(spec);
    for (const c of spec.commands) expect(z).toContain(`        ${c.name}) _arguments `);
    expect(z).toContain("'--format=[output format]:value:(md html json)'");
    // Brackets and colons inside descriptions are escaped, or _arguments would cut the spec there.
    expect(z).toMatch(/'\*--node=\[a cluster node\\: its own FILE/);
    expect(z).toContain('compdef _ka2pcmk ka2pcmk');
  });
});

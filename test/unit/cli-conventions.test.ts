/** Every command has --help with examples and exit codes; --version; --no-color and NO_COLOR. */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { captureIo } from '../../src/cli/io.js';
import { buildProgram, run, VERSION } from '../../src/cli/program.js';

const commands = buildProgram(captureIo(), () => {})
  .commands.map((c) => c.name())
  .filter((n) => n !== 'help');

describe('CLI conventions', () => {
  it('has the commands issue 6 asks for', () => {
    expect(commands).toEqual(expect.arrayContaining(['analyze', 'check', 'migrate', 'rollback', 'report', 'completion']));
  });

  it.each(commands)('%s --help shows examples and the exit codes, and exits 0', async (cmd) => {
    const io = captureIo();
    expect(await run([cmd, '--help'], io)).toBe(0);
    expect(io.stdout).toContain(`Usage: ka2pcmk ${cmd}`);
    expect(io.stdout).toMatch(/\nExamples:\n {2}.*ka2pcmk /);
    expect(io.stdout).toMatch(/\nExit codes: 0 /);
    expect(io.stdout).toContain('2 usage');
  });

  it('the top-level help lists every exit code and NO_COLOR', async () => {
    const io = captureIo();
    expect(await run(['--help'], io)).toBe(0);
    for (const code of ['0  success', '1  input', '2  usage', '3  migration failed and was rolled back', '4  migration failed and rollback is incomplete']) expect(io.stdout).toContain(code);
    expect(io.stdout).toContain('NO_COLOR');
    expect(io.stdout).toContain('--no-color');
  });

  it('--version and -V print the version', async () => {
    for (const flag of ['--version', '-V']) {
      const io = captureIo();
      expect(await run([flag], io)).toBe(0);
      expect(io.stdout.trim()).toBe(VERSION);
    }
  });

  it('a usage error exits 2 and points at --help', async () => {
    const io = captureIo();
    expect(await run(['analyze', '--bogus'], io)).toBe(2);
    expect(io.stderr).toContain('(run with --help for usage)');
  });

  it('--no-color turns colour off even where colour is allowed', async () => {
    const file = join(process.cwd(), 'fixtures', 'examples', 'pair', 'keepalived.conf');
    const coloured = captureIo({ color: true });
    await run(['analyze', file, '--node', 'node1', '--node', 'node2'], coloured);
    expect(coloured.stdout + coloured.stderr).toMatch(/\x1b\[/);
    for (const argv of [['--no-color', 'analyze', file, '--node', 'node1', '--node', 'node2'], ['analyze', file, '--node', 'node1', '--node', 'node2', '--no-color']]) {
      const io = captureIo({ color: true });
      await run(argv, io);
      expect(io.stdout + io.stderr).not.toMatch(/\x1b\[/);
    }
  });
});

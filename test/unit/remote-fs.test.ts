/**
 * Reading a host's configuration through the synchronous source layer:
 * rounds of expand → fetch what was missing, globs listed remotely with find
 * and matched here (never a pattern handed to a shell), and the remote file
 * primitives as argv commands.
 */
import { FakeRunner } from '../../src/exec/fake.js';
import { fetchConfigTree, globBase } from '../../src/exec/remote-fs.js';
import { remoteReadFile, remoteWriteFile, tempNameFor } from '../../src/exec/ssh-files.js';
import { quoteArgv } from '../../src/exec/runner.js';

const find = (dir: string, depth: number) => ['find', '-L', dir, '-mindepth', '1', '-maxdepth', String(depth), '-type', 'd', '-printf', '%p/\\0', '-o', '-print0'];

test('glob base and depth: the fixed directory before the first wildcard', () => {
  expect(globBase('/etc/keepalived/conf.d/*.conf')).toEqual({ base: '/etc/keepalived/conf.d', depth: 1 });
  expect(globBase('/etc/*/x.conf')).toEqual({ base: '/etc', depth: 2 });
  expect(globBase('/*.conf')).toEqual({ base: '/', depth: 1 });
  expect(globBase('/etc/k/{a,b}.conf')).toEqual({ base: '/etc/k', depth: 1 });
});

test('includes are fetched round by round; globs are listed with find and matched locally', async () => {
  const runner = new FakeRunner(
    [{ node: 'n1', argv: find('/etc/keepalived/conf.d', 1), result: { stdout: '/etc/keepalived/conf.d/a.conf\0/etc/keepalived/conf.d/b.txt\0/etc/keepalived/conf.d/sub/\0/etc/keepalived/conf.d/.hidden.conf\0' } }],
    {
      n1: {
        '/etc/keepalived/keepalived.conf': 'include conf.d/*.conf\ninclude /etc/keepalived/extra.conf\n@n1 include /etc/keepalived/only-n1.conf\n',
        '/etc/keepalived/conf.d/a.conf': 'include ../nested.conf\n',
        '/etc/keepalived/nested.conf': 'global_defs {\n}\n',
        '/etc/keepalived/extra.conf': '',
        '/etc/keepalived/only-n1.conf': '',
      },
    },
  );
  const r = await fetchConfigTree(runner.host('n1'), '/etc/keepalived/keepalived.conf', 'n1');
  expect(r.complete).toBe(true);
  expect([...r.raw.keys()].sort()).toEqual(['/etc/keepalived/conf.d/a.conf', '/etc/keepalived/extra.conf', '/etc/keepalived/keepalived.conf', '/etc/keepalived/nested.conf', '/etc/keepalived/only-n1.conf']);
  // entry; its plain includes and the glob's listing; a.conf the glob found; nested.conf; nothing new.
  expect(r.rounds).toBe(5);
  expect(runner.pending).toEqual([]);
  // Only the glob went to the host as a command, as plain argv.
  expect(runner.calls.map((c) => c.argv[0])).toEqual(['find']);
});

test('a config-id decides which includes are read at all', async () => {
  const runner = new FakeRunner([], { n2: { '/k.conf': '@n1 include /only-n1.conf\n' } });
  const r = await fetchConfigTree(runner.host('n2'), '/k.conf', 'n2');
  expect([...r.raw.keys()]).toEqual(['/k.conf']);
  expect(r.fs.absent.size).toBe(0);
});

test('an include loop settles (the expander reports the cycle; fetching stops when nothing new is asked)', async () => {
  const runner = new FakeRunner([], { n: { '/a.conf': 'include /b.conf\n', '/b.conf': 'include /a.conf\n' } });
  const r = await fetchConfigTree(runner.host('n'), '/a.conf', 'n');
  expect(r.complete).toBe(true);
  expect(r.rounds).toBeLessThanOrEqual(3);
});

test('read: cat, and test -e tells absence from failure', async () => {
  const calls: string[][] = [];
  const exec = (results: Record<string, number>) => async (argv: string[]) => {
    calls.push(argv);
    return { code: results[argv[0]] ?? 0, stdout: Buffer.from(argv[0] === 'cat' && results.cat === 0 ? 'data' : ''), stderr: Buffer.from(''), durationMs: 0 };
  };
  expect(await remoteReadFile('n', exec({ cat: 0 }), '/x')).toEqual(Buffer.from('data'));
  expect(await remoteReadFile('n', exec({ cat: 1, test: 1 }), '/missing')).toBeUndefined();
  await expect(remoteReadFile('n', exec({ cat: 1, test: 0 }), '/secret')).rejects.toThrow('n: cannot read /secret: exit 1');
  expect(calls.slice(0, 3)).toEqual([['cat', '--', '/x'], ['cat', '--', '/missing'], ['test', '-e', '/missing']]);
});

test('atomic write: created with its mode, filled through stdin with fsync, renamed, directory synced; cleaned up on failure', async () => {
  const path = '/etc/keepalived/a b;$(id).conf';
  const tmp = tempNameFor(path, 'r4nd');
  expect(tmp).toBe('/etc/keepalived/.a b;$(id).conf.ka2pcmk-r4nd');
  const runner = new FakeRunner([
    { node: 'n', argv: ['install', '-m', '0600', '/dev/null', tmp] },
    { node: 'n', argv: ['dd', `of=${tmp}`, 'conv=fsync', 'status=none'] },
    { node: 'n', argv: ['mv', '-f', '-T', '--', tmp, path] },
    { node: 'n', argv: ['sync', '--', '/etc/keepalived'] },
  ]);
  const h = runner.host('n');
  await remoteWriteFile('n', (a, o) => h.run(a, o), path, 'secret', 0o600, 'r4nd');
  expect(runner.pending).toEqual([]);

  const failing = new FakeRunner([
    { node: 'n', argv: ['install', '-m', '0644', '/dev/null', tmp] },
    { node: 'n', argv: ['dd', `of=${tmp}`, 'conv=fsync', 'status=none'], result: { code: 1, stderr: 'No space left on device' } },
    { node: 'n', argv: ['rm', '-f', '--', tmp] },
  ]);
  const f = failing.host('n');
  await expect(remoteWriteFile('n', (a, o) => f.run(a, o), path, 'x', 0o644, 'r4nd')).rejects.toThrow(/cannot write .*: exit 1: No space left on device/);
  expect(failing.pending).toEqual([]);
  await expect(remoteWriteFile('n', (a, o) => f.run(a, o), 'relative', 'x', 0o644)).rejects.toThrow(/relative path/);
});

test('hostile values are one word each for the remote shell', () => {
  expect(quoteArgv(['ip', 'addr', 'add', '192.0.2.1; touch /tmp/pwned'])).toBe("ip addr add '192.0.2.1; touch /tmp/pwned'");
  expect(quoteArgv(['echo', '$(id)', '`id`', "it's", 'a\nb', '"q"', '', '*'])).toBe("echo '$(id)' '`id`' 'it'\\''s' 'a\nb' '\"q\"' '' '*'");
  expect(() => quoteArgv(['echo', 'a\0b'])).toThrow(/NUL/);
  expect(() => quoteArgv([])).toThrow(/empty/);
});

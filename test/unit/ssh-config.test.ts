/** ~/.ssh/config as OpenSSH applies it: patterns, negation, first match wins, IdentityFile accumulates, ProxyJump hops. */
import { matchPattern, matchPatternList, parseHostSpec, parseSshConfig, resolveHost, splitConfigLine } from '../../src/exec/ssh-config.js';

const ctx = { home: '/home/op', localUser: 'op' };

const CONFIG = `
# global options come first in effect only if nothing earlier set them
Host db? !db9
    HostName %h.prod.example.com
    User admin
    IdentityFile ~/.ssh/prod_ed25519
    ProxyJump bastion

Host db1
    Port 2201
    User ignored-because-first-wins
    IdentityFile %d/.ssh/db1_%r

Host bastion
    HostName bastion.example.com
    User=jump
    Port = 2222

Host lab-*
    HostName "192.0.2.1%h"
    ProxyJump hop1,admin@hop2:2022
    IdentitiesOnly yes
    StrictHostKeyChecking accept-new
    UserKnownHostsFile ~/.ssh/lab_known_hosts

Match exec "test -f /tmp/x"
    User never

Match all
    ConnectTimeout 7

Host *
    User fallback
    Include other.conf
`;

test('line splitting: Key value, Key=value, Key = value, quotes', () => {
  expect(splitConfigLine('HostName   example.com')).toEqual(['HostName', 'example.com']);
  expect(splitConfigLine('User=jump')).toEqual(['User', 'jump']);
  expect(splitConfigLine('Port = 2222')).toEqual(['Port', '2222']);
  expect(splitConfigLine('IdentityFile "/path with/space key"')).toEqual(['IdentityFile', '/path with/space key']);
});

test('patterns: * and ?, case-insensitive, negation vetoes', () => {
  expect(matchPattern('db1', 'db?')).toBe(true);
  expect(matchPattern('db10', 'db?')).toBe(false);
  expect(matchPattern('DB1.Example.com', '*.example.com')).toBe(true);
  expect(matchPattern('a.b', 'a?b')).toBe(true);
  expect(matchPattern('axb', 'a.b')).toBe(false); // '.' is literal
  const list = [{ pattern: 'db?', negated: false }, { pattern: 'db9', negated: true }];
  expect(matchPatternList('db1', list)).toBe(true);
  expect(matchPatternList('db9', list)).toBe(false);
  expect(matchPatternList('x', [{ pattern: 'x', negated: true }])).toBe(false);
});

test('first value wins across blocks; IdentityFile accumulates with ~ and % tokens; %h in HostName', () => {
  const cfg = parseSshConfig(CONFIG);
  const r = resolveHost(cfg, 'db1', ctx);
  expect(r).toMatchObject({
    hostName: 'db1.prod.example.com',
    user: 'admin',
    port: 2201,
    identityFiles: ['/home/op/.ssh/prod_ed25519', '/home/op/.ssh/db1_admin'],
    proxyJump: [{ host: 'bastion' }],
    connectTimeoutS: 7,
  });
});

test('negated host falls through to later blocks; unsupported Match never applies', () => {
  const cfg = parseSshConfig(CONFIG);
  const r = resolveHost(cfg, 'db9', ctx);
  expect(r.hostName).toBe('db9');
  expect(r.user).toBe('fallback');
  expect(r.proxyJump).toEqual([]);
  expect(cfg.unsupported.map((u) => u.keyword)).toEqual(['Match exec test -f /tmp/x', 'Include']);
});

test('ProxyJump with several hops, accept-new and a known_hosts file from the config', () => {
  const r = resolveHost(parseSshConfig(CONFIG), 'lab-1', ctx);
  expect(r.hostName).toBe('192.0.2.1lab-1');
  expect(r.proxyJump).toEqual([{ host: 'hop1' }, { host: 'hop2', user: 'admin', port: 2022 }]);
  expect(r.identitiesOnly).toBe(true);
  expect(r.strictHostKeyChecking).toBe('accept-new');
  expect(r.userKnownHostsFiles).toEqual(['/home/op/.ssh/lab_known_hosts']);
  expect(resolveHost(parseSshConfig(CONFIG), 'bastion', ctx)).toMatchObject({ hostName: 'bastion.example.com', user: 'jump', port: 2222 });
});

test('ProxyJump none, and a host nothing matches', () => {
  const cfg = parseSshConfig('Host a\n  ProxyJump none\n');
  expect(resolveHost(cfg, 'a', ctx).proxyJump).toEqual([]);
  expect(resolveHost(cfg, 'zz', ctx)).toEqual({ alias: 'zz', hostName: 'zz', identityFiles: [], identitiesOnly: false, proxyJump: [], userKnownHostsFiles: [] });
});

test('host specs: user@host:port, IPv6 in brackets, ssh:// URIs; bad ones refused', () => {
  expect(parseHostSpec('root@192.0.2.11:2222')).toEqual({ host: '192.0.2.11', user: 'root', port: 2222 });
  expect(parseHostSpec('db1')).toEqual({ host: 'db1' });
  expect(parseHostSpec('[2001:db8::1]:22')).toEqual({ host: '2001:db8::1', port: 22 });
  expect(parseHostSpec('2001:db8::1')).toEqual({ host: '2001:db8::1' });
  expect(parseHostSpec('ssh://op@h:2')).toEqual({ host: 'h', user: 'op', port: 2 });
  expect(() => parseHostSpec('h:0')).toThrow(/not \[user@\]host/);
  expect(() => parseHostSpec('@h')).toThrow();
});

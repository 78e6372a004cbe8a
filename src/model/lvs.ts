/**
 * LVS: virtual_server (ADDR PORT | fwmark N | group NAME) with its
 * real_servers and checkers, and virtual_server_group. ka2pcmk never drops
 * these: the mapping keeps keepalived as the LVS checker or uses ldirectord.
 */
import type { CheckContext, Entries, Entry } from './check.js';
import type { Checker, KeepalivedConfig, RealServer, VirtualServer } from './types.js';
import { readIpPrefix } from './values.js';

const CHECKERS = ['HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'MISC_CHECK', 'SMTP_CHECK', 'DNS_CHECK', 'BFD_CHECK', 'UDP_CHECK', 'PING_CHECK', 'FILE_CHECK'];

export function buildVirtualServers(e: Entry, cfg: KeepalivedConfig, ctx: CheckContext): void {
  const words = e.stmt.words.slice(1).map((w) => w.value);
  if (e.spec.name === 'virtual_server_group') {
    if (!words[0]) {
      ctx.diags.error('missing-name', 'virtual_server_group needs a name', e.keyword.span);
      return;
    }
    cfg.virtualServerGroups.push({ name: words[0], span: e.stmt.words[1].span, entries: (e.lines ?? []).map((l) => l.words.map((w) => w.value)) });
    return;
  }
  const c = e.children;
  const span = e.keyword.span;
  let vs: VirtualServer;
  if (words[0] === 'fwmark' || words[0] === 'group') {
    if (!words[1]) {
      ctx.diags.error('missing-value', `virtual_server ${words[0]} needs a value`, span);
      return;
    }
    vs = { key: words.slice(0, 2).join(' '), kind: words[0] === 'fwmark' ? 'fwmark' : 'group', span, realServers: [] };
  } else {
    const addr = e.stmt.words[1];
    if (!addr) {
      ctx.diags.error('missing-value', 'virtual_server needs an address and port, fwmark N or group NAME', span);
      return;
    }
    if (!readIpPrefix(addr.value).ok) {
      ctx.diags.error('invalid-address', `invalid virtual server address '${addr.value}'`, addr.span);
    }
    vs = { key: words.slice(0, 2).join(' '), kind: 'address', address: words[0], port: words[1], span, realServers: [] };
  }
  if (c) {
    vs.protocol = c.value<string>('protocol');
    vs.scheduler = c.value<string>('lvs_sched') ?? c.value<string>('lb_algo');
    vs.method = c.value<string>('lvs_method') ?? c.value<string>('lb_kind');
    vs.delayLoop = c.value<number>('delay_loop');
    vs.persistenceTimeout = c.value<number>('persistence_timeout');
    for (const r of c.list('real_server')) vs.realServers.push(readRealServer(r));
    const sorry = c.get('sorry_server');
    if (sorry?.stmt.words[1]) vs.sorryServer = { address: sorry.stmt.words[1].value, port: sorry.stmt.words[2]?.value, span: sorry.keyword.span };
    if (!vs.scheduler) ctx.diags.warning('lvs-no-scheduler', `virtual_server ${vs.key}: no scheduler (lvs_sched/lb_algo); keepalived uses wlc`, span);
    if (!vs.method) ctx.diags.warning('lvs-no-method', `virtual_server ${vs.key}: no forwarding method (lvs_method/lb_kind); keepalived uses NAT`, span);
    if (vs.kind === 'fwmark' && c.has('protocol')) ctx.diags.warning('fwmark-protocol', `virtual_server ${vs.key}: protocol is ignored for a fwmark service`, c.get('protocol')!.keyword.span);
  }
  cfg.virtualServers.push(vs);
}

function readRealServer(r: Entry): RealServer {
  const rs: RealServer = { address: r.stmt.words[1]?.value ?? '', port: r.stmt.words[2]?.value, span: r.keyword.span, checks: [] };
  const c: Entries | undefined = r.children;
  if (!c) return rs;
  rs.weight = c.value<number>('weight');
  for (const kind of CHECKERS) {
    for (const ch of c.list(kind)) rs.checks.push(readChecker(kind, ch));
  }
  return rs;
}

function readChecker(kind: string, e: Entry): Checker {
  const settings: Record<string, string[]> = {};
  for (const s of e.stmt.block?.statements ?? []) {
    if (s.words.length) settings[s.words[0].value] = s.words.slice(1).map((w) => w.value);
  }
  return { kind, span: e.keyword.span, settings };
}

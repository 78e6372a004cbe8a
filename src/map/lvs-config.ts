/**
 * Configuration texts for the LVS part, written by the migration on every
 * node: a keepalived.conf holding only global_defs and the virtual servers
 * (for `keepalived --check`), or an ldirectord.cf. Pure: text from the model.
 */
import type { KeepalivedConfig, VirtualServer } from '../model/types.js';
import type { Statement } from '../parse/ast.js';
import { printStatements } from '../parse/printer.js';

/** global_defs keywords that only concern VRRP: left out of the checker's configuration. */
export const VRRP_GLOBAL = /^(vrrp_|enable_traps|lvs_sync_daemon$|dynamic_interfaces|max_auto_priority)/;

/**
 * keepalived.conf for the LVS checker only: global_defs without its VRRP
 * settings, then every virtual_server_group and virtual_server block as
 * written (after includes, parameters and `@` lines were applied for the
 * node). `keys` limits it to some virtual servers (`ADDR PORT`, `fwmark N`, `group NAME`).
 */
export function renderLvsConfig(config: KeepalivedConfig, keys?: ReadonlySet<string>): string {
  const roots = config.directives.filter((d) => d.path.length === 0);
  const out: Statement[] = [];
  const global = roots.find((d) => d.keyword === 'global_defs')?.statement;
  if (global?.block) out.push({ words: global.words, block: { ...global.block, statements: global.block.statements.filter((s) => !VRRP_GLOBAL.test(s.words[0]?.value ?? '')) } });
  const wanted = (s: Statement) => !keys || keys.has(s.words.slice(1, 3).map((w) => w.value).join(' '));
  const groups = new Set(config.virtualServers.filter((v) => v.kind === 'group' && (!keys || keys.has(v.key))).map((v) => v.key.slice('group '.length)));
  for (const d of roots) {
    if (d.keyword === 'virtual_server_group' && (!keys || groups.has(d.statement.words[1]?.value ?? ''))) out.push(d.statement);
    if (d.keyword === 'virtual_server' && wanted(d.statement)) out.push(d.statement);
  }
  return `# LVS part of keepalived.conf, for keepalived --check under Pacemaker (written by ka2pcmk)\n${printStatements(out)}\n`;
}

const METHODS: Record<string, string> = { DR: 'gate', NAT: 'masq', TUN: 'ipip' };

function checkLines(vs: VirtualServer): string[] {
  const c = vs.realServers.flatMap((r) => r.checks)[0];
  if (!c) return ['\tchecktype=on'];
  switch (c.kind) {
    case 'HTTP_GET':
    case 'SSL_GET': {
      const path = c.settings.path?.[0] ?? '/';
      return ['\tchecktype=negotiate', `\tservice=${c.kind === 'HTTP_GET' ? 'http' : 'https'}`, `\trequest="${path.replace(/^\//, '')}"`, '\treceive=""'];
    }
    case 'MISC_CHECK':
      return ['\tchecktype=external', `\tcheckcommand="${(c.settings.misc_path ?? []).join(' ')}"`];
    default:
      return ['\tchecktype=connect'];
  }
}

/**
 * An ldirectord.cf with the same virtual and real servers. Checkers become
 * ldirectord's closest check (TCP_CHECK → connect, HTTP_GET/SSL_GET →
 * negotiate, MISC_CHECK → external); others fall back to connect.
 */
export function renderLdirectordConfig(config: KeepalivedConfig): string {
  const out = ['# ldirectord.cf translated from keepalived.conf by ka2pcmk: review the checks', 'quiescent=no', ''];
  for (const vs of config.virtualServers) {
    if (vs.kind !== 'address') {
      out.push(`# virtual_server ${vs.key}: not translated (ldirectord takes fwmarks as virtual=N; groups have no equivalent)`, '');
      continue;
    }
    const host = vs.address?.includes(':') ? `[${vs.address}]` : vs.address;
    out.push(`virtual=${host}:${vs.port}`);
    for (const r of vs.realServers) out.push(`\treal=${r.address.includes(':') ? `[${r.address}]` : r.address}:${r.port ?? vs.port} ${METHODS[vs.method ?? 'NAT'] ?? 'masq'} ${r.weight ?? 1}`);
    out.push(`\tprotocol=${(vs.protocol ?? 'TCP').toLowerCase()}`, `\tscheduler=${vs.scheduler ?? 'wlc'}`);
    if (vs.delayLoop !== undefined) out.push(`\tcheckinterval=${vs.delayLoop}`);
    if (vs.persistenceTimeout !== undefined) out.push(`\tpersistent=${vs.persistenceTimeout}`);
    if (vs.sorryServer) out.push(`\tfallback=${vs.sorryServer.address}:${vs.sorryServer.port ?? vs.port}`);
    out.push(...checkLines(vs), '');
  }
  return `${out.join('\n')}`;
}

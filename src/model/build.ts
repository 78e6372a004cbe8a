/**
 * Builds one node's KeepalivedConfig from the AST: the keyword table checks
 * every statement (check.ts); this file reads the checked entries into typed
 * objects and adds the semantic checks keepalived itself makes (missing VRID,
 * truncated auth_pass, unknown track_script...).
 */
import type { Diagnostics } from '../diag/diagnostic.js';
import type { Span } from '../diag/span.js';
import { ROOT } from '../keywords/index.js';
import type { ConfigAst, Statement } from '../parse/ast.js';
import { type CheckContext, type Entries, type Entry, checkBlock, stmtSpan } from './check.js';
import { readInitFile, readPeer, readRoute, readTrackRef, readVip, type TrackRefKind } from './lines.js';
import { splitCommand } from './command.js';
import type { GlobalDefs, KeepalivedConfig, ScriptCall, SyncGroup, TrackRef, Vip, VrrpInstance, VrrpScript } from './types.js';
import { buildVirtualServers } from './lvs.js';
import { groupTrackChecks } from './tracking.js';

export function buildModel(ast: ConfigAst, files: readonly string[], configId: string | undefined, diags: Diagnostics): KeepalivedConfig {
  const ctx: CheckContext = { diags, directives: [] };
  const cfg: KeepalivedConfig = {
    configId,
    files,
    globalDefs: { notificationEmail: [], enableScriptSecurity: false, garp: {} },
    instances: [],
    scripts: [],
    trackFiles: [],
    trackProcesses: [],
    syncGroups: [],
    virtualServers: [],
    virtualServerGroups: [],
    staticIpaddress: [],
    staticRoutes: [],
    staticRules: [],
    bfdInstances: [],
    directives: ctx.directives,
  };
  // Root statements are checked one by one so that each object's directives name their owner.
  for (const stmt of ast.statements) {
    if (!stmt.words.length) continue;
    const name = stmt.words[1]?.value ?? '';
    const kw = stmt.words[0].value;
    const owner = name ? `${kw}:${name}` : kw;
    const root = checkBlock([stmt], ROOT, [], owner, ctx);
    const e = root.all[0];
    if (!e) continue;
    readRootEntry(e, cfg, ctx);
  }
  crossChecks(cfg, ctx);
  return cfg;
}

function nameOf(e: Entry, ctx: CheckContext, what: string): { name: string; span: Span } | undefined {
  const w = e.stmt.words[1];
  if (!w) {
    ctx.diags.error('missing-name', `${what} needs a name`, e.keyword.span);
    return undefined;
  }
  return { name: w.value, span: w.span };
}

function readRootEntry(e: Entry, cfg: KeepalivedConfig, ctx: CheckContext): void {
  const c = e.children;
  switch (e.spec.name) {
    case 'global_defs':
      if (c) cfg.globalDefs = readGlobal(e, c, ctx);
      break;
    case 'vrrp_instance': {
      const n = nameOf(e, ctx, 'vrrp_instance');
      if (n && c) cfg.instances.push(readInstance(n.name, n.span, c, cfg.globalDefs, ctx));
      break;
    }
    case 'vrrp_script': {
      const n = nameOf(e, ctx, 'vrrp_script');
      if (n && c) cfg.scripts.push(readScript(n.name, n.span, c, ctx, blockSpan(e)));
      break;
    }
    case 'vrrp_sync_group': {
      const n = nameOf(e, ctx, 'vrrp_sync_group');
      if (n && c) cfg.syncGroups.push(readSyncGroup(n.name, n.span, c, ctx));
      break;
    }
    // track_file is the current name, vrrp_track_file the old one; keepalived reads both alike (track_file.c).
    case 'track_file':
    case 'vrrp_track_file': {
      const keyword = e.spec.name;
      const n = nameOf(e, ctx, keyword);
      if (n && c) {
        const init = c.get('init_file');
        cfg.trackFiles.push({
          name: n.name,
          span: n.span,
          keyword,
          file: c.value<string>('file'),
          weight: c.value<number>('weight'),
          weightReverse: c.get('weight')?.stmt.words.some((w) => w.value === 'reverse'),
          initFile: init ? readInitFile(init.stmt, n.name, ctx) : undefined,
        });
        if (!c.has('file')) ctx.diags.warning('track-file-no-file', `${keyword} '${n.name}' names no file; keepalived ignores it`, n.span);
      }
      break;
    }
    case 'vrrp_track_process': {
      const n = nameOf(e, ctx, 'vrrp_track_process');
      if (n && c) {
        cfg.trackProcesses.push({
          name: n.name,
          span: n.span,
          process: c.value<string>('process'),
          param: c.value<string>('param_match'),
          quorum: c.value<number>('quorum'),
          quorumMax: c.value<number>('quorum_max'),
          weight: c.value<number>('weight'),
          weightReverse: c.value<string>('weight', 1) === 'reverse',
          delay: c.value<number>('delay'),
        });
      }
      break;
    }
    case 'static_ipaddress':
      for (const l of e.lines ?? []) {
        const v = readVip(l, ctx);
        if (v) cfg.staticIpaddress.push(v);
      }
      break;
    case 'static_routes':
      for (const l of e.lines ?? []) cfg.staticRoutes.push(routeWithChecks(l, ctx));
      break;
    case 'static_rules':
      for (const l of e.lines ?? []) cfg.staticRules.push(ruleWithChecks(l, ctx));
      break;
    case 'virtual_server':
    case 'virtual_server_group':
      buildVirtualServers(e, cfg, ctx);
      break;
    case 'bfd_instance': {
      const n = nameOf(e, ctx, 'bfd_instance');
      if (n) cfg.bfdInstances.push(n);
      break;
    }
    default:
      break;
  }
}

function readGlobal(e: Entry, c: Entries, ctx: CheckContext): GlobalDefs {
  const mail = c.get('notification_email');
  if (mail && !(mail.lines ?? []).length) ctx.diags.warning('empty-notification-email', "empty 'notification_email' block", blockSpan(mail));
  return {
    span: e.keyword.span,
    routerId: c.value<string>('router_id'),
    notificationEmail: (mail?.lines ?? []).flatMap((l) => l.words.map((w) => w.value)),
    notificationEmailFrom: c.value<string>('notification_email_from'),
    smtpServer: c.value<string>('smtp_server'),
    enableScriptSecurity: c.has('enable_script_security'),
    scriptUser: c.value<string>('script_user'),
    garp: {
      masterDelay: c.value<number>('vrrp_garp_master_delay'),
      masterRepeat: c.value<number>('vrrp_garp_master_repeat'),
      masterRefresh: c.value<number>('vrrp_garp_master_refresh'),
      masterRefreshRepeat: c.value<number>('vrrp_garp_master_refresh_repeat'),
      interval: c.value<number>('vrrp_garp_interval'),
      lowerPrioDelay: c.value<number>('vrrp_garp_lower_prio_delay'),
      lowerPrioRepeat: c.value<number>('vrrp_garp_lower_prio_repeat'),
    },
  };
}

/** From a keyword to the end of its block: keepalived reports block-level problems at the closing brace. */
function blockSpan(e: Entry): Span {
  const close = e.stmt.block?.close;
  return close && close.file === e.keyword.span.file ? { file: close.file, start: e.keyword.span.start, end: close.end } : e.keyword.span;
}

function scriptCall(e: Entry | undefined): ScriptCall | undefined {
  if (!e || e.stmt.words.length < 2) return undefined;
  return { argv: splitCommand(e.stmt.words.slice(1).map((w) => w.value)), span: e.stmt.words[1].span };
}

/** The notify_* scripts a block sets (instances and sync groups take the same keywords; the table says which apply). */
function notifyOf(c: Entries): VrrpInstance['notify'] {
  const out: VrrpInstance['notify'] = {};
  const kinds: [keyof VrrpInstance['notify'], string][] = [
    ['master', 'notify_master'],
    ['backup', 'notify_backup'],
    ['fault', 'notify_fault'],
    ['stop', 'notify_stop'],
    ['deleted', 'notify_deleted'],
    ['generic', 'notify'],
    ['master_rx_lower_pri', 'notify_master_rx_lower_pri'],
  ];
  for (const [k, keyword] of kinds) {
    const call = scriptCall(c.get(keyword));
    if (call) out[k] = call;
  }
  return out;
}

function smtpAlertOf(c: Entries): boolean | undefined {
  return c.has('smtp_alert') ? c.value<boolean>('smtp_alert') !== false : undefined;
}

/** The references of a `kind` block of `owner` (an instance's or sync group's name); lines keepalived discards are left out. */
function trackRefs(c: Entries, kind: TrackRefKind, owner: string, ctx: CheckContext): TrackRef[] {
  const out: TrackRef[] = [];
  for (const e of c.list(kind)) for (const l of e.lines ?? []) {
    const r = readTrackRef(l, ctx, kind, owner);
    if (r) out.push(r);
  }
  return out;
}

function routeWithChecks(l: Statement, ctx: CheckContext) {
  const r = readRoute(l, ctx);
  // keepalived tracks a route through its interface: without one it cannot (vrrp_iproute.c).
  if (!r.dev && !r.words.includes('no_track')) {
    ctx.diags.warning('route-no-interface', `route ${r.to ?? r.words.join(' ')} names no interface ('dev'); keepalived cannot track it`, r.span);
  }
  return r;
}

function ruleWithChecks(l: Statement, ctx: CheckContext) {
  const r = readRoute(l, ctx);
  if (!r.words.some((w) => ['preference', 'priority', 'pref', 'prio'].includes(w))) {
    ctx.diags.warning('rule-no-preference', 'rule has no preference; keepalived sets 16384, which is probably not what you want', r.span);
  }
  return r;
}

function readInstance(name: string, span: Span, c: Entries, g: GlobalDefs, ctx: CheckContext): VrrpInstance {
  const dev = c.value<string>('interface');
  const vips = (list: string) => c.list(list).flatMap((e) => (e.lines ?? []).map((l) => readVip(l, ctx, dev)).filter((v) => v !== undefined));
  const auth = c.get('authentication')?.children;
  const inst: VrrpInstance = {
    name,
    span,
    state: c.value<'MASTER' | 'BACKUP'>('state'),
    interface: dev,
    virtualRouterId: c.value<number>('virtual_router_id'),
    priority: c.value<number>('priority'),
    advertInt: c.value<number>('advert_int'),
    version: c.value<number>('version'),
    nopreempt: c.has('nopreempt'),
    dontTrackPrimary: c.has('dont_track_primary') || undefined,
    preemptDelay: c.value<number>('preempt_delay'),
    useVmac: c.has('use_vmac') ? (c.value<string>('use_vmac') ?? true) : undefined,
    vips: vips('virtual_ipaddress'),
    excludedVips: vips('virtual_ipaddress_excluded'),
    virtualRoutes: c.list('virtual_routes').flatMap((e) => (e.lines ?? []).map((l) => routeWithChecks(l, ctx))),
    virtualRules: c.list('virtual_rules').flatMap((e) => (e.lines ?? []).map((l) => ruleWithChecks(l, ctx))),
    trackScripts: trackRefs(c, 'track_script', name, ctx),
    trackInterfaces: trackRefs(c, 'track_interface', name, ctx),
    trackFiles: trackRefs(c, 'track_file', name, ctx),
    trackProcesses: trackRefs(c, 'track_process', name, ctx),
    trackBfds: trackRefs(c, 'track_bfd', name, ctx),
    notify: notifyOf(c),
    smtpAlert: smtpAlertOf(c),
    authentication: auth
      ? { type: auth.value<'PASS' | 'AH'>('auth_type') ?? 'PASS', pass: auth.value<string>('auth_pass'), span: c.get('authentication')!.keyword.span }
      : undefined,
    unicastSrcIp: c.value<string>('unicast_src_ip'),
    unicastPeers: c.list('unicast_peer').flatMap((e) => (e.lines ?? []).map((l) => readPeer(l, ctx)).filter((p) => p !== undefined)),
    mcastSrcIp: c.value<string>('mcast_src_ip'),
    garp: {
      masterDelay: c.value<number>('garp_master_delay') ?? g.garp.masterDelay,
      masterRepeat: c.value<number>('garp_master_repeat') ?? g.garp.masterRepeat,
      masterRefresh: c.value<number>('garp_master_refresh') ?? g.garp.masterRefresh,
      masterRefreshRepeat: c.value<number>('garp_master_refresh_repeat') ?? g.garp.masterRefreshRepeat,
      interval: c.value<number>('garp_interval') ?? g.garp.interval,
      lowerPrioDelay: c.value<number>('garp_lower_prio_delay') ?? g.garp.lowerPrioDelay,
      lowerPrioRepeat: c.value<number>('garp_lower_prio_repeat') ?? g.garp.lowerPrioRepeat,
    },
  };
  if (inst.virtualRouterId === undefined && !c.get('virtual_router_id')) {
    ctx.diags.error('missing-vrid', `vrrp_instance '${name}' has no virtual_router_id; keepalived refuses the instance`, span);
  }
  if (!inst.interface) ctx.diags.warning('missing-interface', `vrrp_instance '${name}' names no interface`, span);
  const pass = auth?.get('auth_pass');
  if (pass && typeof pass.values[0] === 'string' && Buffer.byteLength(pass.values[0]) > 8) {
    // On the keyword, where keepalived reports it; the code frame masks the password (src/diag/render.ts).
    ctx.diags.warning('auth-pass-truncated', 'auth_pass is longer than 8 characters; keepalived truncates it to 8', pass.keyword.span);
  }
  if (inst.state === 'MASTER' && inst.authentication?.type === 'AH') {
    ctx.diags.warning('master-with-ah', `vrrp_instance '${name}': initial state MASTER is incompatible with AH authentication; keepalived clears it`, span);
  }
  if (inst.nopreempt && inst.state === 'MASTER') {
    ctx.diags.warning('nopreempt-master', "'nopreempt' does not work with 'state MASTER'; keepalived ignores it", c.get('nopreempt')!.keyword.span);
  }
  // The same address twice: keepalived adds it twice and the kernel keeps the first.
  const seenVip = new Map<string, Vip>();
  for (const list of [inst.vips, inst.excludedVips]) {
    for (let k = 0; k < list.length; k++) {
      const v = list[k];
      const first = seenVip.get(v.address);
      if (!first) {
        seenVip.set(v.address, v);
        continue;
      }
      ctx.diags.warning('duplicate-vip', `${v.address} is already a VIP of vrrp_instance '${name}'; the kernel holds it once, as first written`, v.span, {
        related: [{ message: 'first written here', span: first.span }],
      });
      list.splice(k--, 1);
    }
  }
  const family = c.has('native_ipv6') ? 6 : inst.vips[0]?.family;
  inst.vips = inst.vips.filter((v) => {
    if (v.family === family) return true;
    ctx.diags.warning('vip-family-mismatch', `${v.address}/${v.prefix} is IPv${v.family} but vrrp_instance '${name}' is IPv${family}; keepalived ignores it (use virtual_ipaddress_excluded for the other family)`, v.span);
    return false;
  });
  for (const t of inst.trackInterfaces) {
    if (t.name === inst.interface) ctx.diags.warning('track-own-interface', `track_interface ${t.name} is the instance's own interface, which keepalived always tracks; it ignores this line`, t.span);
  }
  if (!inst.vips.length && !c.has('virtual_ipaddress')) ctx.diags.info('no-vip', `vrrp_instance '${name}' has no virtual_ipaddress`, span);
  return inst;
}

function readScript(name: string, span: Span, c: Entries, ctx: CheckContext, whole: Span): VrrpScript {
  const w = c.get('weight');
  const s: VrrpScript = {
    name,
    span,
    script: scriptCall(c.get('script')),
    interval: c.value<number>('interval'),
    timeout: c.value<number>('timeout'),
    weight: c.value<number>('weight'),
    weightReverse: w?.stmt.words.some((x) => x.value === 'reverse'),
    rise: c.value<number>('rise'),
    fall: c.value<number>('fall'),
    user: c.value<string>('user'),
    initFail: c.has('init_fail'),
  };
  if (!s.script) ctx.diags.warning('script-missing', `vrrp_script '${name}' has no 'script'; keepalived removes it`, whole);
  return s;
}

function readSyncGroup(name: string, span: Span, c: Entries, ctx: CheckContext): SyncGroup {
  // keepalived reads a value block word by word: `group { VI_1 VI_2 }` on one line names two members.
  const members = c.list('group').flatMap((e) => (e.lines ?? []).flatMap((l) => l.words.map((w) => ({ name: w.value, span: w.span }))));
  if (!members.length) ctx.diags.warning('sync-group-empty', `vrrp_sync_group '${name}' has no members`, span);
  return {
    name,
    span,
    members,
    notify: notifyOf(c),
    smtpAlert: smtpAlertOf(c),
    trackScripts: trackRefs(c, 'track_script', name, ctx),
    trackInterfaces: trackRefs(c, 'track_interface', name, ctx),
    trackFiles: trackRefs(c, 'track_file', name, ctx),
    trackProcesses: trackRefs(c, 'track_process', name, ctx),
    trackBfds: trackRefs(c, 'track_bfd', name, ctx),
  };
}

/** References between objects, checked once everything is read (keepalived allows any order). */
function crossChecks(cfg: KeepalivedConfig, ctx: CheckContext): void {
  const scripts = new Set(cfg.scripts.filter((s) => s.script).map((s) => s.name));
  const files = new Set(cfg.trackFiles.map((f) => f.name));
  const procs = new Set(cfg.trackProcesses.map((p) => p.name));
  const instances = new Map(cfg.instances.map((i) => [i.name, i]));
  const refCheck = (refs: TrackRef[], known: Set<string>, what: string, owner: string) => {
    for (const r of refs) if (!known.has(r.name)) ctx.diags.warning('unknown-reference', `${owner}: ${what} '${r.name}' is not defined; keepalived ignores it`, r.span);
  };
  for (const i of cfg.instances) {
    refCheck(i.trackScripts, scripts, 'vrrp_script', `vrrp_instance '${i.name}'`);
    refCheck(i.trackFiles, files, 'vrrp_track_file', `vrrp_instance '${i.name}'`);
    refCheck(i.trackProcesses, procs, 'vrrp_track_process', `vrrp_instance '${i.name}'`);
  }
  const seen = new Map<string, string>();
  for (const g of cfg.syncGroups) {
    refCheck(g.trackScripts, scripts, 'vrrp_script', `vrrp_sync_group '${g.name}'`);
    refCheck(g.trackFiles, files, 'vrrp_track_file', `vrrp_sync_group '${g.name}'`);
    refCheck(g.trackProcesses, procs, 'vrrp_track_process', `vrrp_sync_group '${g.name}'`);
    for (const m of g.members) {
      const inst = instances.get(m.name);
      if (!inst) {
        ctx.diags.error('unknown-reference', `vrrp_sync_group '${g.name}': vrrp_instance '${m.name}' is not defined`, m.span);
        continue;
      }
      const other = seen.get(m.name);
      if (other) ctx.diags.error('sync-group-overlap', `vrrp_instance '${m.name}' is already in vrrp_sync_group '${other}'`, m.span);
      else {
        seen.set(m.name, g.name);
        inst.syncGroup = g.name;
      }
    }
    groupTrackChecks(cfg, g, ctx);
  }
}

export { stmtSpan };

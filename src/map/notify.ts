/**
 * notify_master/backup/fault (and the generic `notify`) → Pacemaker alerts
 * running our notify-alert agent, which calls the user's script with the
 * arguments keepalived would have passed, on the node where the instance's
 * group started (MASTER), stopped (BACKUP) or failed (FAULT). smtp_alert →
 * Pacemaker's sample SMTP alert agent, mailing global_defs'
 * notification_email.
 *
 * What differs, and is said: alerts run as hacluster, not root, and
 * asynchronously (Pacemaker does not wait for them), with a timeout. Notify
 * directives whose work the storage resources took over are already in the
 * ledger (storage.ts) and get no alert.
 */
import type { ScriptCall, VrrpInstance } from '../model/types.js';
import type { Alert, Group, NvPair } from '../pcmk/model.js';
import type { MapContext } from './context.js';
import { directiveWithWord } from './directives.js';
import { directivesOf, groupOf, instancesByName } from './instances.js';
import { shLine, unstorableArgument } from './quote.js';

/** Where the migration installs agents/ka2pcmk/notify-alert on every node. */
export const NOTIFY_ALERT_PATH = '/usr/libexec/ka2pcmk/notify-alert';
/** The shim name of the notify alert agent (ctx.shims). */
export const NOTIFY_ALERT_SHIM = 'alert:ka2pcmk:notify-alert';
/** Pacemaker's own sample SMTP alert agent (package pacemaker-common). */
export const SMTP_ALERT_PATH = '/usr/share/pacemaker/alerts/alert_smtp.sh.sample';

type NotifyKind = keyof VrrpInstance['notify'];

/** The keepalived state a notify kind reports, and the Pacemaker event that stands for it. */
const EVENTS: Partial<Record<NotifyKind, { event: string; when: string }>> = {
  master: { event: 'master', when: "when the group's last member has started on this node (keepalived MASTER)" },
  backup: { event: 'backup', when: "when the group's first member has stopped on this node (the group left it: keepalived BACKUP)" },
  fault: { event: 'fault', when: 'when an operation of a group member fails on this node (keepalived FAULT)' },
  generic: { event: 'any', when: 'on each of those events, with keepalived\'s arguments TYPE NAME STATE PRIORITY appended' },
};

const DROPPED: Partial<Record<NotifyKind, string>> = {
  stop: 'Pacemaker has no event an alert sees when the cluster stack stops on a node; the group\'s stop there runs the notify_backup alert',
  deleted: 'instances are never deleted by a reload in Pacemaker',
  master_rx_lower_pri: 'there are no VRRP adverts from a lower priority any more',
};

export function mapNotify(ctx: MapContext): void {
  const byInstance = instancesByName(ctx);
  const done = new Map<string, string>();
  for (const [name, per] of byInstance) {
    const group = groupOf(ctx, name);
    const prios = per.map((p) => `${p.node}=${p.inst.priority ?? 100}`).join(' ');
    for (const { inst } of per) notifyAlerts(ctx, done, 'INSTANCE', name, inst.notify, group, prios);
  }
  for (const n of ctx.nodes) {
    for (const g of n.config.syncGroups) {
      const lead = g.members[0]?.name;
      const group = lead ? groupOf(ctx, lead) : undefined;
      const prios = (byInstance.get(lead ?? '') ?? []).map((p) => `${p.node}=${p.inst.priority ?? 100}`).join(' ');
      notifyAlerts(ctx, done, 'GROUP', g.name, g.notify, group, prios);
    }
  }
  smtp(ctx);
}

function notifyAlerts(ctx: MapContext, done: Map<string, string>, type: 'INSTANCE' | 'GROUP', name: string, notify: VrrpInstance['notify'], group: Group | undefined, priorities: string): void {
  for (const [k, call] of Object.entries(notify) as [NotifyKind, ScriptCall | undefined][]) {
    if (!call) continue;
    const d = directiveWithWord(ctx, call.span);
    if (!d || ctx.isRecorded(d.span)) continue;
    const ev = EVENTS[k];
    if (!ev || !group || group.members.length === 0) {
      ctx.record(d, 'dropped', '-', DROPPED[k] ?? 'the instance has no resources whose events could stand for its state');
      continue;
    }
    // Per-node files repeat the same directive: one alert serves every node (it runs on all of them).
    const key = `${type}\u0000${name}\u0000${k}\u0000${shLine(call.argv)}`;
    const made = done.get(key);
    if (made) {
      ctx.record(d, 'approximate', `alert ${made}`, 'the same alert as on the other nodes: it runs on every node');
      continue;
    }
    // The name is an argument too: notify-alert passes it to the script as keepalived's NAME.
    const bad = unstorableArgument(call.argv) ?? (unstorableArgument([name]) && `the ${type === 'GROUP' ? 'group' : 'instance'} name, passed to the script, holds a newline, tab or NUL byte, which the CIB cannot store unchanged`);
    if (bad) ctx.diags.error('command-not-storable', `${d.keyword}: ${bad}; the alert would run a different command`, call.span, { hint: 'write the argument without control characters (a wrapper script can add them)' });
    const members = group.members.map((m) => m.id);
    const options: NvPair[] = [
      { name: 'ka2pcmk_event', value: ev.event },
      { name: 'ka2pcmk_command', value: shLine(call.argv) },
      { name: 'ka2pcmk_start_resource', value: members[members.length - 1] },
      { name: 'ka2pcmk_stop_resource', value: members[0] },
      { name: 'ka2pcmk_resources', value: members.join(' ') },
      { name: 'ka2pcmk_type', value: type },
      { name: 'ka2pcmk_name', value: name },
      { name: 'ka2pcmk_sudo', value: 'true' },
    ];
    if (k === 'generic') options.push({ name: 'ka2pcmk_append_state', value: 'true' }, { name: 'ka2pcmk_priorities', value: priorities });
    const id = ctx.ids.unique('notify', name, k === 'generic' ? 'any' : k);
    const alert: Alert = {
      id,
      path: NOTIFY_ALERT_PATH,
      instanceAttributes: options,
      source: ctx.source(d.span, d.keyword),
      description: `${d.keyword} of ${type === 'GROUP' ? 'vrrp_sync_group' : 'vrrp_instance'} ${name}`,
    };
    (ctx.model.cib.alerts ??= []).push(alert);
    done.set(key, id);
    ctx.shims.add(NOTIFY_ALERT_SHIM);
    ctx.record(d, 'approximate', `alert ${id}`, `notify-alert runs ${call.argv[0]} ${ev.when}; as hacluster through sudo -n (keepalived ran it as root) and asynchronously (keepalived ran it as the transition happened)`);
    ctx.diags.warning(
      'alert-async',
      `${d.keyword} ${call.argv[0]}: Pacemaker alerts run as hacluster, asynchronously and with a timeout (30 s by default), unlike keepalived's notify scripts, which run as root as the state changes; the alert calls the script through 'sudo -n', so hacluster needs a sudoers rule for it`,
      d.span,
      { hint: `hacluster ALL=(root) NOPASSWD: ${call.argv[0]}` },
    );
  }
}

function smtp(ctx: MapContext): void {
  const flagged = ctx.nodes.flatMap((n) => n.config.directives.filter((d) => d.keyword === 'smtp_alert' || d.keyword === 'smtp_alert_vrrp'));
  const vrrpFlags = flagged.filter((d) => !d.owner.startsWith('virtual_server'));
  const g = ctx.nodes[0]?.config.globalDefs;
  const lvsKeeps = ctx.nodes.some((n) => n.config.virtualServers.length > 0) && ctx.options.lvs !== 'ldirectord';
  const on = vrrpFlags.some((d) => !/^(off|false|no)$/i.test(d.args[0]?.value ?? ''));
  let id: string | undefined;
  if (on && g && g.notificationEmail.length) {
    id = ctx.ids.unique('smtp-alert');
    const opts: NvPair[] = [{ name: 'email_sender', value: g.notificationEmailFrom ?? 'hacluster' }];
    (ctx.model.cib.alerts ??= []).push({
      id,
      path: SMTP_ALERT_PATH,
      instanceAttributes: opts,
      recipients: g.notificationEmail.map((to) => ({ id: ctx.ids.unique(id!, 'recipient', to), value: to })),
      source: ctx.source(vrrpFlags[0].span, 'smtp_alert'),
      description: 'smtp_alert: mails cluster events to notification_email',
    });
    ctx.diags.warning('smtp-alert-sendmail', `smtp_alert becomes Pacemaker's sample SMTP alert, which mails through the local sendmail${g.smtpServer ? `: configure the nodes' MTA to relay through ${g.smtpServer}` : ''}; it mails every resource and node event, not only VRRP transitions`, vrrpFlags[0].span);
  }
  for (const d of vrrpFlags) {
    if (id) ctx.record(d, 'approximate', `alert ${id}`, 'Pacemaker mails its events (resources starting, stopping, failing; nodes joining, leaving) instead of VRRP state changes');
    else ctx.record(d, 'dropped', '-', on ? 'global_defs has no notification_email to mail' : 'smtp_alert is off');
  }
  for (const d of directivesOf(ctx, 'global_defs')) {
    const mail = d.path[d.path.length - 1] === 'notification_email' || ['notification_email', 'notification_email_from', 'smtp_server', 'smtp_connect_timeout', 'smtp_helo_name'].includes(d.keyword);
    if (!mail) continue;
    if (lvsKeeps) {
      ctx.record(d, 'exact', 'keepalived-lvs.conf global_defs', 'kept in the LVS checker\'s configuration, which still mails its checker events');
    } else if (!id) {
      ctx.record(d, 'dropped', '-', 'only keepalived\'s mails used this, and no smtp_alert is migrated');
    } else if (d.keyword === 'smtp_server') {
      ctx.record(d, 'approximate', 'the nodes\' MTA relay', 'the sample SMTP alert uses the local sendmail; its relay must point at this server');
    } else if (d.keyword === 'notification_email_from') {
      ctx.record(d, 'exact', `alert ${id} email_sender`, 'the sender of the mails');
    } else if (d.keyword === 'notification_email' || d.path[d.path.length - 1] === 'notification_email') {
      ctx.record(d, 'exact', `alert ${id} recipients`, 'one alert recipient per address');
    } else {
      ctx.record(d, 'dropped', '-', 'the sample SMTP alert has no such setting; sendmail decides');
    }
  }
}

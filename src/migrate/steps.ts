/**
 * Compiles a plan and the survey of the live hosts into the ordered steps of
 * a migration. Pure: no I/O, no clock, no randomness; the same input gives
 * the same steps, so `--dry-run` shows exactly what `migrate` runs.
 *
 * The cutover follows the sequence measured to lose no probe (shared
 * LAB.md): the backups' keepalived is stopped first, so nothing else can
 * claim the address; the CIB goes in as one change with a location
 * preference for the node holding each VIP now, so Pacemaker's probe finds
 * the address there and adopts it instead of moving it; then keepalived on
 * the holder is SIGKILLed, parent and VRRP child together, so it cannot
 * release the address that Pacemaker now owns; then the temporary
 * preference goes away.
 */
import { dirname } from 'node:path/posix';
import type { Action, Check, Step, Survey } from './types.js';

/** What the compiler needs from a loaded plan. */
export interface CompileInput {
  planId: string;
  /** Cluster node names, in the plan's order (the first one pushes the CIB). */
  nodes: string[];
  vips: { address: string; prefix: number; resource: string; group: string }[];
  /** Per node: keepalived files to back up. */
  files: Record<string, string[]>;
  /** The plan's corosync.conf (its logfile's folder must exist). */
  corosyncConf: string;
  /** Shim agents to install, as `ocf:PROVIDER:TYPE`. */
  shims: string[];
  /** Node attributes the shim checks publish, seeded with their initial value before the push. */
  attributes: string[];
  survey: Survey;
}

export const BACKUP_ROOT = '/var/lib/ka2pcmk/backup';
export const WORK_ROOT = '/var/lib/ka2pcmk/work';
export const PACKAGES = ['corosync', 'pacemaker', 'pacemaker-cli-utils', 'resource-agents'];
/** Clocks further apart than this make logs and Pacemaker's timestamps misleading. */
export const MAX_CLOCK_SKEW_MS = 3000;
/** Backups need little room, but a full /var/lib also stops the CIB from being written. */
export const MIN_FREE_KB = 50 * 1024;

const run = (argv: string[], extra: Partial<Extract<Action, { kind: 'run' }>> = {}): Action => ({ kind: 'run', argv, ...extra });
const systemctl = (...args: string[]) => run(['systemctl', ...args]);
const inactive = (unit: string): Check => ({ argv: ['systemctl', 'is-active', unit], negate: true });
const xpathCheck = (xpath: string, negate = false): Check => ({ argv: ['cibadmin', '--query', '--xpath', xpath], ...(negate ? { negate } : {}) });

/** The temporary preference's id for a group. */
export const adoptId = (group: string): string => `ka2pcmk-adopt-${group}`;
/** The temporary ban that keeps a group off every node but its VIP's holder while Pacemaker adopts it. */
export const onlyId = (group: string): string => `ka2pcmk-adopt-${group}-only`;

/** Where a shim agent lives on the nodes. */
export function agentPath(shim: string): string {
  const [, provider, type] = shim.split(':');
  return `/usr/lib/ocf/resource.d/${provider}/${type}`;
}

/** The node holding each VIP now, when exactly one does. */
export function currentHolder(survey: Survey, address: string): string | undefined {
  const h = survey.holders[address] ?? [];
  return h.length === 1 ? h[0] : undefined;
}

function preflight(input: CompileInput): Step[] {
  const out: Step[] = [];
  const { survey } = input;
  for (const node of input.nodes) {
    const s = (what: string, title: string, action: Action): Step => ({ id: `preflight/${what}/${node}`, phase: 'preflight', node, title, action, inverse: null });
    out.push(s('ssh', 'SSH reaches the node and runs commands', run(['true'])));
    out.push(
      s('name', 'the host calls itself by its cluster node name', run(['uname', '-n'], { expect: { stdoutMatches: `^${node.replace(/[.]/g, '\\.')}\\s*$`, meaning: `the host's name must be ${node}: Pacemaker names nodes by it` } })),
    );
    out.push(s('packages', `${PACKAGES.join(', ')} installed`, run(['dpkg-query', '-W', '-f=${Package} ${Version} ${db:Status-Status}\\n', ...PACKAGES], { expect: { stdoutMatches: PACKAGES.map((p) => `(?=[\\s\\S]*^${p} \\S+ installed$)`).join(''), meaning: 'install the cluster packages on every node first' } })));
    out.push(s('resolve', 'every node name resolves', run(['getent', 'hosts', ...input.nodes])));
    out.push(s('clock', `clock within ${MAX_CLOCK_SKEW_MS} ms of ours`, { kind: 'clock', maxSkewMs: MAX_CLOCK_SKEW_MS }));
    out.push(s('space', `${MIN_FREE_KB / 1024} MiB free under /var/lib for backups and the CIB`, run(['df', '-Pk', '/var/lib'], { expect: { minAvailKb: MIN_FREE_KB, meaning: 'free space under /var/lib' } })));
    if (!survey.clusterExisted) {
      out.push(s('port', "corosync's port (udp 5405) is free", run(['ss', '-H', '-uln', 'sport = :5405'], { expect: { stdoutEmpty: true, meaning: 'something already listens on udp 5405 (another corosync?)' } })));
    }
  }
  return out;
}

function backup(input: CompileInput): Step[] {
  const remoteDir = `${BACKUP_ROOT}/${input.planId}`;
  return input.nodes.map((node) => {
    const files = input.files[node] ?? [];
    const sums = input.survey.nodes.find((n) => n.node === node)?.files ?? {};
    return {
      id: `backup/keepalived/${node}`,
      phase: 'backup',
      node,
      title: `back up ${files.join(', ')} and keepalived's enable state to ${remoteDir} (and DIR/backup/${node})`,
      action: { kind: 'backup', files, unit: 'keepalived', remoteDir },
      inverse: { kind: 'restore', files: files.map((path) => ({ path, sha256: sums[path] ?? null })), remoteDir },
    };
  });
}

function bootstrap(input: CompileInput): Step[] {
  if (input.survey.clusterExisted) return [];
  const out: Step[] = [];
  const logDir = /^\s*logfile:\s*(\S+)/m.exec(input.corosyncConf)?.[1];
  for (const node of input.nodes) {
    const s = (what: string, title: string, action: Action, inverse: Action | null, check?: Check): Step => ({ id: `bootstrap/${what}/${node}`, phase: 'bootstrap', node, title, action, inverse, ...(check ? { check } : {}) });
    out.push(s('fresh', 'no CIB left from an earlier cluster', run(['test', '!', '-e', '/var/lib/pacemaker/cib/cib.xml']), run(['find', '/var/lib/pacemaker/cib', '-maxdepth', '1', '-type', 'f', '-name', 'cib*', '-delete'])));
    if (logDir) out.push(s('logdir', `corosync's log folder ${dirname(logDir)}`, run(['mkdir', '-p', dirname(logDir)]), null));
    out.push(s('corosync.conf', 'write /etc/corosync/corosync.conf (from the plan)', { kind: 'write', path: '/etc/corosync/corosync.conf', mode: 0o644, content: { artifact: 'corosync.conf' } }, run(['rm', '-f', '/etc/corosync/corosync.conf']), { argv: ['test', '-e', '/etc/corosync/corosync.conf'] }));
    out.push(s('authkey', 'write /etc/corosync/authkey (one key for every node, 0400)', { kind: 'write', path: '/etc/corosync/authkey', mode: 0o400, content: { secret: 'authkey' } }, run(['rm', '-f', '/etc/corosync/authkey']), { argv: ['test', '-e', '/etc/corosync/authkey'] }));
    out.push(s('enable', 'enable corosync and pacemaker at boot', systemctl('enable', 'corosync', 'pacemaker'), systemctl('disable', 'corosync', 'pacemaker'), { argv: ['systemctl', 'is-enabled', 'pacemaker'] }));
  }
  for (const node of input.nodes) {
    out.push({ id: `bootstrap/start-corosync/${node}`, phase: 'bootstrap', node, title: 'start corosync', action: systemctl('start', 'corosync'), inverse: systemctl('stop', 'corosync'), check: { argv: ['systemctl', 'is-active', 'corosync'] } });
  }
  for (const node of input.nodes) {
    out.push({ id: `bootstrap/start-pacemaker/${node}`, phase: 'bootstrap', node, title: 'start pacemaker', action: systemctl('start', 'pacemaker'), inverse: systemctl('stop', 'pacemaker'), check: { argv: ['systemctl', 'is-active', 'pacemaker'] } });
  }
  const first = input.nodes[0];
  out.push({ id: `bootstrap/online/${first}`, phase: 'bootstrap', node: first, title: `wait until ${input.nodes.join(', ')} are online`, action: { kind: 'wait', until: { kind: 'online', nodes: input.nodes }, timeoutMs: 180_000 }, inverse: null });
  return out;
}

function push(input: CompileInput): Step[] {
  const out: Step[] = [];
  for (const shim of input.shims) {
    const path = agentPath(shim);
    for (const node of input.nodes) {
      const existed = input.survey.nodes.find((n) => n.node === node)?.files[path];
      // rmdir's exit 1 (not empty, or removed already through another node sharing it) is fine: only an empty folder we made should go.
      out.push({ id: `push/agent-dir/${shim}/${node}`, phase: 'push', node, title: `folder for ${shim}`, action: run(['mkdir', '-p', dirname(path)]), inverse: existed ? null : run(['rmdir', dirname(path)], { okCodes: [0, 1] }) });
      out.push({
        id: `push/agent/${shim}/${node}`,
        phase: 'push',
        node,
        title: `install the ${shim} agent as ${path}`,
        action: { kind: 'write', path, mode: 0o755, content: { agent: shim } },
        // An agent that was there before stays (the same agent from an earlier run, or the operator's).
        inverse: existed ? null : run(['rm', '-f', path]),
      });
    }
  }
  for (const attr of input.attributes) {
    for (const node of input.nodes) {
      // The check agents publish 1 once they run; until then a rule on an undefined attribute would
      // ban the VIP and make Pacemaker stop the address it is about to adopt.
      out.push({ id: `push/attribute/${attr}/${node}`, phase: 'push', node, title: `seed node attribute ${attr}=1 (the check's initial value)`, action: run(['attrd_updater', '--name', attr, '--update', '1']), inverse: run(['attrd_updater', '--name', attr, '--delete']) });
    }
  }
  return out;
}

function cibPushStep(input: CompileInput): Step {
  const first = input.nodes[0];
  const groups = [...new Set(input.vips.map((v) => v.group))];
  const prefer = groups.flatMap((group) => {
    const holders = new Set(input.vips.filter((v) => v.group === group).map((v) => currentHolder(input.survey, v.address)));
    const [node] = [...holders];
    return holders.size === 1 && node ? [{ constraintId: adoptId(group), rsc: group, node, only: onlyId(group) }] : [];
  });
  const workDir = `${WORK_ROOT}/${input.planId}`;
  const firstResource = input.vips[0]?.resource ?? groups[0];
  return {
    id: `cutover/cib/${first}`,
    phase: 'cutover',
    node: first,
    title: `push the plan's CIB in one change${prefer.length ? `, with ${prefer.map((p) => `${p.rsc} preferring ${p.node} (its VIP holder now)`).join(', ')}` : ''}`,
    action: { kind: 'cib-push', artifact: 'cib.xml', prefer, workDir },
    inverse: { kind: 'cib-remove', artifact: 'cib.xml', extraIds: prefer.flatMap((p) => [p.constraintId, onlyId(p.rsc)]), workDir, endMaintenance: input.survey.clusterExisted },
    ...(firstResource ? { check: xpathCheck(`//*[@id='${firstResource}']`) } : {}),
  };
}

function cutover(input: CompileInput): Step[] {
  const out: Step[] = [];
  const { survey } = input;
  const holders = new Set(Object.values(survey.holders).flat());
  // Off at boot before anything stops: a node that reboots mid-cutover (a crash, measured in the
  // lab) must not start keepalived again, which would claim the VIP Pacemaker holds elsewhere.
  // The finish phase's disable steps then only confirm it.
  for (const n of survey.nodes) {
    if (!n.keepalived.enabled) continue;
    out.push({ id: `cutover/disable-keepalived/${n.node}`, phase: 'cutover', node: n.node, title: 'disable keepalived at boot before the cutover (a node rebooting now must not start it)', action: systemctl('disable', 'keepalived'), inverse: systemctl('enable', 'keepalived'), check: { argv: ['systemctl', 'is-enabled', 'keepalived'], negate: true } });
  }
  for (const n of survey.nodes) {
    if (holders.has(n.node) || !n.keepalived.active) continue;
    out.push({ id: `cutover/stop-backup/${n.node}`, phase: 'cutover', node: n.node, title: 'stop keepalived on this backup (it must not claim the VIP)', action: systemctl('stop', 'keepalived'), inverse: systemctl('start', 'keepalived'), check: inactive('keepalived') });
  }
  // Only now, with nothing else able to claim the address, the CIB goes in.
  out.push(cibPushStep(input));
  const first = input.nodes[0];
  const adopt = input.vips.map((v) => ({ id: v.resource, node: currentHolder(survey, v.address) ?? '' }));
  if (adopt.length) {
    out.push({ id: `cutover/adopted/${first}`, phase: 'cutover', node: first, title: `wait until Pacemaker reports ${adopt.map((a) => `${a.id} on ${a.node || 'a node'}`).join(', ')}`, action: { kind: 'wait', until: { kind: 'adopted', resources: adopt }, timeoutMs: 90_000 }, inverse: null });
  }
  for (const node of input.nodes.filter((n) => holders.has(n))) {
    const active = survey.nodes.find((x) => x.node === node)?.keepalived.active;
    if (!active) continue;
    out.push({ id: `cutover/kill-holder/${node}`, phase: 'cutover', node, title: "SIGKILL keepalived's parent and VRRP child together (the address stays, now Pacemaker's)", action: { kind: 'kill-unit', unit: 'keepalived', signal: 'KILL' },
      // keepalived starts as a backup and removes its VIPs, then takes them back as master (3 x advert_int
      // later, measured): Pacemaker goes to maintenance first, so its monitor does not "recover" the address
      // under keepalived's feet meanwhile.
      inverse: { kind: 'seq', actions: [run(['crm_attribute', '--type', 'crm_config', '--name', 'maintenance-mode', '--update', 'true']), systemctl('start', 'keepalived')] },
      check: inactive('keepalived') });
  }
  const groups = [...new Set(input.vips.map((v) => v.group))];
  for (const group of groups) {
    const holder = currentHolder(survey, input.vips.find((v) => v.group === group)!.address);
    if (!holder) continue;
    const id = adoptId(group);
    out.push({ id: `cutover/unprefer/${group}`, phase: 'cutover', node: first, title: `remove the temporary preference ${id}: the plan's scores decide from now on`, action: run(['cibadmin', '--delete', '--xml-text', `<rsc_location id="${id}"/>`]), inverse: null, check: xpathCheck(`//rsc_location[@id='${id}']`, true) });
    const only = onlyId(group);
    out.push({ id: `cutover/unprefer-only/${group}`, phase: 'cutover', node: first, title: `remove the temporary ban ${only}: ${group} may run on every node again`, action: run(['cibadmin', '--delete', '--xml-text', `<rsc_location id="${only}"/>`]), inverse: null, check: xpathCheck(`//rsc_location[@id='${only}']`, true) });
  }
  return out;
}

function finish(input: CompileInput): Step[] {
  return input.survey.nodes
    .filter((n) => n.keepalived.enabled)
    .map((n) => ({ id: `finish/disable-keepalived/${n.node}`, phase: 'finish' as const, node: n.node, title: 'disable keepalived at boot', action: systemctl('disable', 'keepalived'), inverse: systemctl('enable', 'keepalived'), check: { argv: ['systemctl', 'is-enabled', 'keepalived'], negate: true } }));
}

/** The migration's steps, in execution order. */
export function compileSteps(input: CompileInput): Step[] {
  const steps = [...preflight(input), ...backup(input), ...bootstrap(input), ...push(input), ...cutover(input), ...finish(input)];
  const seen = new Set<string>();
  for (const s of steps) {
    if (seen.has(s.id)) throw new Error(`duplicate step id ${s.id}`);
    seen.add(s.id);
  }
  return steps;
}

/** One line for an action, as `--dry-run` and the journal's readers show it. */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'run':
      return a.argv.join(' ');
    case 'write':
      return `write ${a.path} (mode ${a.mode.toString(8).padStart(4, '0')}) from ${'artifact' in a.content ? `the plan's ${a.content.artifact}` : 'secret' in a.content ? 'a key generated once for all nodes (never shown)' : `agent ${a.content.agent}`}`;
    case 'wait':
      return a.until.kind === 'online' ? `poll crm_mon --output-as=xml until ${a.until.nodes.join(', ')} online (${a.timeoutMs / 1000} s)` : `poll crm_mon --output-as=xml until ${a.until.resources.map((r) => `${r.id} started on ${r.node || 'a node'}`).join(', ')}, failing on any failed action (${a.timeoutMs / 1000} s)`;
    case 'kill-unit':
      return `read ${a.unit}'s MainPID (systemctl show) and its children (/proc/PID/task/*/children); kill -STOP PID CHILDREN; kill -${a.signal} PID CHILDREN`;
    case 'backup':
      return `copy ${a.files.join(' ')} to ${a.remoteDir}/ (sha256 each); systemctl is-enabled ${a.unit} > ${a.remoteDir}/${a.unit}.enabled`;
    case 'restore':
      return `for ${a.files.map((f) => f.path).join(', ')}: if its sha256 differs, copy it back from ${a.remoteDir}/; verify sha256`;
    case 'cib-push':
      return `cibadmin --query > ${a.workDir}/live.xml; merge ${a.artifact}${a.prefer.length ? ` + ${a.prefer.map((p) => `rsc_location ${p.constraintId} (${p.rsc} on ${p.node}, INFINITY)${p.only ? ` + rsc_location ${p.only} (${p.rsc} nowhere else, -INFINITY)` : ''}`).join(', ')}` : ''} > new.xml; crm_diff --no-version -o live.xml -n new.xml > patch.xml; cibadmin --patch --xml-file patch.xml`;
    case 'cib-remove':
      return `crm_attribute --type crm_config --name maintenance-mode --update true; cibadmin --query > live.xml; remove ${a.artifact}'s resources and constraints${a.extraIds.length ? ` and ${a.extraIds.join(', ')}` : ''}; crm_diff + cibadmin --patch; crm_resource --cleanup${a.endMaintenance ? '; crm_attribute --name maintenance-mode --delete' : ''}`;
    case 'clock':
      return `date +%s.%N, compared with ours (at most ${a.maxSkewMs} ms apart)`;
    case 'seq':
      return a.actions.map(describeAction).join('; ');
    case 'vip-home':
      return `poll ip -o addr on ${a.nodes.join(', ')} until ${a.vips.map((v) => `${v.address} is on ${v.node} only`).join(', ')}`;
  }
}

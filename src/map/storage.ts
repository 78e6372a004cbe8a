/**
 * Shared storage served from the VIP holder, in the instance's group and in
 * this order: Filesystem → nfsserver → exportfs (one per export) → the
 * IPaddr2 members. The VIP comes up last and goes down first, so clients
 * never reach an address whose exports are not there (and NFS clients see a
 * clean server restart, with the state kept on the shared disk). With DRBD,
 * a promotable drbd clone runs under the group: the group follows the
 * Promoted role and starts after the promotion.
 *
 * The spec comes from the user (options.storage) or is proposed from the
 * notify scripts (propose-storage.ts); either way the notify directives whose
 * script did this work are recorded as taken over, so no alert fights the
 * resources.
 */
import { SourceFile } from '../diag/span.js';
import type { Group, NvPair, Primitive } from '../pcmk/model.js';
import type { MapContext } from './context.js';
import { groupOf, instancesByName } from './instances.js';
import { proposeStorage, scriptSteps } from './propose-storage.js';
import type { StorageSpec } from './types.js';
import { directiveWithWord } from './directives.js';
import { mappingOf } from './weights.js';

/** A stable exportfs fsid from the directory (FNV-1a, 1..2^31-1): the same on every run and every node. */
export function fsidFor(directory: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < directory.length; i++) {
    h ^= directory.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String((h % 0x7ffffffe) + 1);
}

const ops = (monitor: [string, string], start: string, stop: string): Primitive['operations'] => [
  { name: 'monitor', interval: monitor[0], timeout: monitor[1] },
  { name: 'start', interval: '0s', timeout: start },
  { name: 'stop', interval: '0s', timeout: stop },
];

/** Every storage spec to build: the user's, else the proposals of every node's notify scripts. */
function specs(ctx: MapContext): { list: StorageSpec[]; proposed: boolean } {
  const scripts = ctx.options.scripts ?? {};
  const proposals: StorageSpec[] = [];
  for (const n of ctx.nodes) {
    for (const p of proposeStorage(n.config, scripts)) {
      if (!proposals.some((q) => q.proposedFrom?.file.path === p.proposedFrom?.file.path)) proposals.push(p);
    }
  }
  for (const p of proposals) {
    const exp = p.exports.map((e) => `${e.clients}:${e.directory ?? p.directory} (${e.options})`).join(', ');
    ctx.diags.info(
      'storage-proposed',
      `proposed storage for ${p.instance}: ${p.drbdResource ? `DRBD ${p.drbdResource}, ` : ''}${p.fstype} ${p.device} on ${p.directory}${exp ? `, NFS exports ${exp}` : ''}${ctx.options.storage ? ' (not used: the storage you gave is)' : ''}`,
      p.proposedFrom,
      { hint: /-t /.test(p.proposedFrom ? p.proposedFrom.file.text.slice(p.proposedFrom.start, p.proposedFrom.end) : '') ? undefined : 'the mount names no file system type: ext4 is assumed; give the storage explicitly if it differs' },
    );
  }
  return ctx.options.storage ? { list: ctx.options.storage, proposed: false } : { list: proposals, proposed: proposals.length > 0 };
}

/**
 * Why a storage description cannot be used as written, if it cannot. Its
 * words become agent parameters: a control character would be stored changed
 * by the CIB (a newline as `\n`), and the exportfs and Filesystem agents split
 * clients, options and the file system type on blanks, where none is valid.
 */
export function invalidStorage(spec: StorageSpec): string | undefined {
  const words: [string, string | undefined][] = [
    ['device', spec.device],
    ['directory', spec.directory],
    ['fstype', spec.fstype],
    ['options', spec.options],
    ['drbd', spec.drbdResource],
    ['instance', spec.instance],
    ...spec.exports.flatMap((e): [string, string | undefined][] => [
      ['export clients', e.clients],
      ['export options', e.options],
      ['export directory', e.directory],
      ['export fsid', e.fsid],
    ]),
  ];
  for (const [what, v] of words) {
    // eslint-disable-next-line no-control-regex
    if (v !== undefined && /[\u0000-\u001f\u007f]/.test(v)) return `${what} ${JSON.stringify(v)} holds a control character`;
    if (v !== undefined && /\s/.test(v) && ['fstype', 'options', 'export clients', 'export options', 'export fsid', 'drbd'].includes(what)) return `${what} ${JSON.stringify(v)} holds a blank`;
  }
  return undefined;
}

export function mapStorage(ctx: MapContext): void {
  const { list, proposed } = specs(ctx);
  for (const spec of list) {
    const bad = invalidStorage(spec);
    if (bad) {
      ctx.diags.error('invalid-storage', `storage ${JSON.stringify(spec.directory)}: ${bad}; it is not migrated`, spec.proposedFrom);
      continue;
    }
    const instance = spec.instance ?? ctx.instances[0]?.instance;
    const group = instance ? groupOf(ctx, instance) : undefined;
    if (!instance || !group) {
      ctx.diags.error('storage-no-instance', `storage ${spec.directory}: no vrrp_instance ${spec.instance ?? ''} to serve it from`, spec.proposedFrom);
      continue;
    }
    const ids = buildStorage(ctx, instance, group, spec);
    if (proposed) ctx.diags.info('storage-from-notify', `the storage group of ${instance} was proposed from its notify script (no storage was given): check it`, spec.proposedFrom);
    takeOverNotify(ctx, instance, ids);
  }
}

function buildStorage(ctx: MapContext, instance: string, group: Group, spec: StorageSpec): string[] {
  const src = spec.proposedFrom ? ctx.source(spec.proposedFrom, 'storage proposed from a notify script') : undefined;
  const fsParams: NvPair[] = [
    { name: 'device', value: spec.device },
    { name: 'directory', value: spec.directory },
    { name: 'fstype', value: spec.fstype },
  ];
  if (spec.options) fsParams.push({ name: 'options', value: spec.options });
  const members: Primitive[] = [
    {
      kind: 'primitive',
      id: ctx.ids.unique(instance, 'fs'),
      agent: { class: 'ocf', provider: 'heartbeat', type: 'Filesystem' },
      instanceAttributes: fsParams,
      operations: ops(['20s', '40s'], '60s', '60s'),
      source: src,
      description: `shared file system ${spec.directory}`,
    },
  ];
  if (spec.exports.length) {
    const vip = mappingOf(ctx, instance)?.vips[0]?.address;
    const nfs: NvPair[] = [{ name: 'nfs_shared_infodir', value: `${spec.directory.replace(/\/$/, '')}/.nfs-state` }];
    if (vip) nfs.push({ name: 'nfs_ip', value: vip });
    members.push({
      kind: 'primitive',
      id: ctx.ids.unique(instance, 'nfsserver'),
      agent: { class: 'ocf', provider: 'heartbeat', type: 'nfsserver' },
      instanceAttributes: nfs,
      operations: ops(['10s', '20s'], '40s', '20s'),
      source: src,
      description: 'NFS server; its state (locks, clients) lives on the shared disk so it survives failover',
    });
    for (const e of spec.exports) {
      const dir = e.directory ?? spec.directory;
      members.push({
        kind: 'primitive',
        id: ctx.ids.unique(instance, 'export', e.clients === '*' ? 'all' : e.clients),
        agent: { class: 'ocf', provider: 'heartbeat', type: 'exportfs' },
        instanceAttributes: [
          { name: 'clientspec', value: e.clients },
          { name: 'options', value: e.options },
          { name: 'directory', value: dir },
          { name: 'fsid', value: e.fsid ?? fsidFor(dir) },
          { name: 'unlock_on_stop', value: 'true' },
        ],
        operations: ops(['10s', '20s'], '40s', '120s'),
        source: src,
        description: `NFS export of ${dir} to ${e.clients}${e.fsid ? '' : ' (fsid derived from the directory: stable across nodes and runs)'}`,
      });
    }
    ctx.diags.warning('nfs-server-boot', `nfs-server must be disabled at boot on every node (systemctl disable nfs-server): Pacemaker's nfsserver starts it on the VIP holder only`, spec.proposedFrom ?? firstSpan(ctx, instance));
  }
  // In front of everything the instance rule put there: the VIPs come up last.
  group.members.unshift(...members);
  const ids = members.map((m) => m.id);
  if (spec.drbdResource) ids.push(...drbd(ctx, group, spec));
  return ids;
}

function firstSpan(ctx: MapContext, instance: string) {
  return instancesByName(ctx).get(instance)?.[0]?.inst.span;
}

/** A promotable drbd clone; the group runs with the Promoted instance, after the promotion. */
function drbd(ctx: MapContext, group: Group, spec: StorageSpec): string[] {
  const res = spec.drbdResource!;
  const p: Primitive = {
    kind: 'primitive',
    id: ctx.ids.unique('drbd', res),
    agent: { class: 'ocf', provider: 'linbit', type: 'drbd' },
    instanceAttributes: [{ name: 'drbd_resource', value: res }],
    operations: [
      { name: 'monitor', interval: '29s', timeout: '20s', role: 'Promoted' },
      { name: 'monitor', interval: '31s', timeout: '20s', role: 'Unpromoted' },
      { name: 'start', interval: '0s', timeout: '240s' },
      { name: 'stop', interval: '0s', timeout: '100s' },
      { name: 'promote', interval: '0s', timeout: '90s' },
      { name: 'demote', interval: '0s', timeout: '90s' },
    ],
    source: spec.proposedFrom ? ctx.source(spec.proposedFrom, `drbdadm primary ${res}`) : undefined,
    description: `DRBD resource ${res} under ${spec.directory}`,
  };
  const clone = {
    kind: 'clone' as const,
    id: ctx.ids.unique(p.id, 'clone'),
    child: p,
    promotable: true,
    metaAttributes: [
      { name: 'promoted-max', value: '1' },
      { name: 'promoted-node-max', value: '1' },
      { name: 'clone-max', value: String(ctx.nodes.length) },
      { name: 'clone-node-max', value: '1' },
      { name: 'notify', value: 'true' },
    ],
    description: 'DRBD: Promoted on the node that serves the file system',
  };
  // Before the group in the resource list, so the scripts create it first.
  ctx.model.cib.resources.splice(ctx.model.cib.resources.indexOf(group), 0, clone);
  const col = ctx.ids.unique('col', group.id, clone.id);
  const ord = ctx.ids.unique('order', clone.id, group.id);
  ctx.model.cib.constraints.push(
    { kind: 'colocation', id: col, rsc: group.id, withRsc: clone.id, withRscRole: 'Promoted', score: 'INFINITY', description: 'the file system runs where DRBD is Promoted' },
    { kind: 'order', id: ord, first: clone.id, firstAction: 'promote', then: group.id, thenAction: 'start', description: 'promote DRBD before mounting' },
  );
  return [clone.id, col, ord];
}

/** notify directives whose script did the storage work are now done by the resources: say so. */
function takeOverNotify(ctx: MapContext, instance: string, ids: string[]): void {
  const scripts = ctx.options.scripts ?? {};
  const warned = new Set<string>();
  for (const [, per] of [...instancesByName(ctx)].filter(([n]) => n === instance)) {
    for (const { node, inst } of per) {
      const config = ctx.nodes.find((n) => n.name === node)!.config;
      const groups = config.syncGroups.filter((g) => g.members.some((m) => m.name === instance));
      const calls = [
        ...Object.entries(inst.notify).map(([k, c]) => ({ k, c, owner: `vrrp_instance:${instance}` })),
        ...groups.flatMap((g) => Object.entries(g.notify).map(([k, c]) => ({ k, c, owner: `vrrp_sync_group:${g.name}` }))),
      ];
      for (const { k, c } of calls) {
        const path = c?.argv[0];
        if (!c || !path || scripts[path] === undefined) continue;
        const steps = scriptSteps(new SourceFile(path, scripts[path]));
        if (!steps.some((s) => s.kind === 'mount' || s.kind === 'undo')) continue;
        const d = directiveWithWord(ctx, c.span);
        if (!d) continue;
        ctx.record(d, 'approximate', ids.join(', '), `what ${path} does on ${k} (mount, NFS, exports) is done by the storage resources, in order, on the VIP holder; no alert runs the script, so nothing fights them`);
        for (const o of steps.filter((s): s is Extract<typeof s, { kind: 'other' }> => s.kind === 'other')) {
          if (warned.has(`${path}:${o.span.start}`)) continue;
          warned.add(`${path}:${o.span.start}`);
          ctx.diags.warning('notify-not-taken-over', `${path}: '${o.text}' is not storage work and no longer runs on ${k}: move it into a resource or an alert if it matters`, o.span);
        }
      }
    }
  }
}

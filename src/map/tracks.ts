/**
 * track_interface, track_file / vrrp_track_file, track_process /
 * vrrp_track_process and track_bfd: the other things keepalived adds to an
 * instance's priority. Interfaces are watched by Pacemaker's own ethmonitor
 * agent; files by our check agent in file mode; processes become the daemon
 * itself when we know it, else a check; BFD has no Pacemaker counterpart.
 */
import type { TrackFile, TrackRef } from '../model/types.js';
import type { Expression, NvPair, Primitive } from '../pcmk/model.js';
import { CHECK_AGENT, checkAttribute, serviceCheck, shimCheck, type CheckSpec } from './checks.js';
import type { MapContext } from './context.js';
import { recordAt, recordBlocks } from './directives.js';
import { directivesOf } from './instances.js';
import { unitOfProcess } from './services.js';
import { liveSites, recordRefs, type RefUse, withGroupRefs } from './group-refs.js';
import { addCheckRules, addClone, adjustment, mappingOf, trackSites, weightRule } from './weights.js';

/** What instances and sync groups both track. */
type Tracking = { trackInterfaces: TrackRef[]; trackFiles: TrackRef[]; trackProcesses: TrackRef[] };

function names(ctx: MapContext, pick: (i: Tracking) => TrackRef[]): string[] {
  const out = new Set<string>();
  for (const n of ctx.nodes) {
    for (const i of n.config.instances) for (const r of pick(i)) out.add(r.name);
    for (const g of n.config.syncGroups) for (const r of pick(g)) out.add(r.name);
  }
  return [...out];
}

export function mapTracks(ctx: MapContext): void {
  mapInterfaces(ctx);
  mapFiles(ctx);
  mapProcesses(ctx);
  recordDiscardedRefs(ctx);
  const owners = [...ctx.instances.map((m) => `vrrp_instance:${m.instance}`), ...new Set(ctx.nodes.flatMap((n) => n.config.syncGroups.map((g) => `vrrp_sync_group:${g.name}`)))];
  for (const owner of owners) {
    recordBlocks(ctx, owner, ['track_interface', 'track_file', 'track_process']);
    for (const d of directivesOf(ctx, owner).filter((x) => x.keyword === 'sync_group_tracking_weight' || x.keyword === 'global_tracking')) {
      const old = d.keyword === 'global_tracking' ? 'the deprecated synonym of sync_group_tracking_weight: ' : '';
      ctx.record(d, 'exact', '-', `${old}the members keep the weights of their own trackers, as in keepalived, so their location rules carry them (without it keepalived ignores a member's weighted script and zeroes a weighted interface, and so does the mapping); the group's own trackers are weighted either way`);
    }
    for (const d of directivesOf(ctx, owner).filter((x) => x.path[x.path.length - 1] === 'track_bfd' || x.keyword === 'track_bfd')) {
      ctx.record(d, 'dropped', '-', 'Pacemaker has no BFD session tracking; corosync\'s own link monitoring (knet) watches the cluster links, not the routers BFD watched');
    }
  }
}

/** The blocks whose lines are tracking references. */
const TRACK_BLOCKS = new Set(['track_script', 'track_interface', 'track_file', 'track_process', 'track_bfd']);

/**
 * Reference lines keepalived discards (`f reverse`: see model/lines.ts
 * readTrackRef, which warned): the model has no reference at their position,
 * so they are recorded here as dropped, not left to the unmapped catch-all.
 */
function recordDiscardedRefs(ctx: MapContext): void {
  const at = (span: TrackRef['span']) => `${span.file.path}\u0000${span.start}`;
  for (const n of ctx.nodes) {
    const kept = new Set<string>();
    for (const o of [...n.config.instances, ...n.config.syncGroups]) {
      for (const r of [...o.trackScripts, ...o.trackInterfaces, ...o.trackFiles, ...o.trackProcesses, ...o.trackBfds]) kept.add(at(r.span));
    }
    for (const d of n.config.directives) {
      if (!TRACK_BLOCKS.has(d.path[d.path.length - 1] ?? '') || kept.has(at(d.span)) || ctx.isRecorded(d.span)) continue;
      ctx.record(d, 'dropped', '-', 'keepalived discards this line (see the warning), so it tracks nothing there either');
    }
  }
}

function mapInterfaces(ctx: MapContext): void {
  for (const ifname of names(ctx, (i) => i.trackInterfaces)) {
    const all = withGroupRefs(ctx, trackSites(ctx, (i) => i.trackInterfaces, ifname, () => undefined, 0, 'interface'), (g) => g.trackInterfaces, ifname, 'interface');
    const sites = liveSites(all);
    const attribute = `ethmonitor-${ifname}`;
    const first = [...sites.values()][0]?.[0];
    const p: Primitive = {
      kind: 'primitive',
      id: ctx.ids.unique('ethmonitor', ifname),
      agent: { class: 'ocf', provider: 'heartbeat', type: 'ethmonitor' },
      instanceAttributes: [{ name: 'interface', value: ifname }],
      operations: [
        { name: 'monitor', interval: '10s', timeout: '60s' },
        { name: 'start', interval: '0s', timeout: '60s' },
        { name: 'stop', interval: '0s', timeout: '20s' },
      ],
      source: first ? ctx.source(first.ref.span, `track_interface ${ifname}`) : undefined,
      description: `link state of ${ifname} as node attribute ${attribute}`,
    };
    const clone = addClone(ctx, p, `watches ${ifname} on every node`);
    const uses: RefUse[] = [];
    for (const [instName, list] of sites) {
      const mapping = mappingOf(ctx, instName);
      if (!mapping) continue;
      const ids = addCheckRules(ctx, mapping, list, { kind: 'interface', name: ifname, attribute, resource: clone.id });
      for (const s of list) {
        const how = weightRule(attribute, s.weight, s.reverse).meaning.replace('the check', 'the link') + (s.zeroed ? ` (weight 0 because ${s.zeroed})` : '');
        uses.push({ site: s, targets: [clone.id, ...ids], how: `ocf:heartbeat:ethmonitor sets ${attribute}; location rule ${how}. ethmonitor notices a link change at its next monitor (10 s), keepalived at once through netlink` });
      }
    }
    recordRefs(ctx, 'approximate', uses, all);
  }
}

/** The attribute our agent sets for `weight` x the file's value (keepalived's adjustment). */
export function fileWeightAttribute(attribute: string, weight: number): string {
  return `${attribute}_w${weight < 0 ? `m${-weight}` : weight}`;
}

/** `init_file` as written, for messages. */
const initText = (f: TrackFile) => (f.initFile ? `init_file ${f.initFile.value}${f.initFile.overwrite ? ' overwrite' : ''}` : 'no init_file');

/**
 * The one check-agent clone runs with a single definition of the file (its
 * path and init_file) on every node: the first node's. When another node
 * defines it differently (@node lines), keepalived there would read another
 * file or write another initial value, so say so, at that node's line.
 */
function fileDefinitionsAgree(ctx: MapContext, name: string, used: TrackFile): void {
  const first = ctx.nodes.find((n) => n.config.trackFiles.includes(used))!;
  const at = (n: (typeof ctx.nodes)[number], f: TrackFile, keyword: string) =>
    n.config.directives.find((d) => d.owner === `${f.keyword}:${name}` && d.keyword === keyword)?.span ?? f.span;
  for (const n of ctx.nodes) {
    const f = n.config.trackFiles.find((x) => x.name === name);
    if (!f || n === first) continue;
    const differs: { what: string; keyword: string }[] = [];
    if (f.file !== used.file) differs.push({ what: `file is ${f.file ?? 'unset'} on ${n.name} but ${used.file} on ${first.name}`, keyword: 'file' });
    if (initText(f) !== initText(used)) differs.push({ what: `${initText(f)} on ${n.name} but ${initText(used)} on ${first.name}`, keyword: 'init_file' });
    for (const d of differs) {
      ctx.diags.warning('track-file-differs', `${f.keyword} ${name}: ${d.what}; ka2pcmk runs one ${CHECK_AGENT} clone with ${first.name}'s definition on every node`, at(n, f, d.keyword), {
        related: [{ message: `${first.name}'s definition`, span: at(first, used, d.keyword) }],
        hint: 'give the file the same definition on every node, or track differently named files',
      });
    }
  }
}

function mapFiles(ctx: MapContext): void {
  const tracked = new Set(names(ctx, (i) => i.trackFiles));
  for (const n of ctx.nodes) {
    // A file no VRRP object tracks does nothing there (one a FILE_CHECK reads is left to the LVS part).
    const checked = new Set(n.config.virtualServers.flatMap((v) => v.realServers.flatMap((r) => r.checks.map((c) => c.settings.track_file?.[0]))));
    for (const f of n.config.trackFiles) {
      if (tracked.has(f.name) || checked.has(f.name)) continue;
      for (const d of directivesOf(ctx, `${f.keyword}:${f.name}`)) ctx.record(d, 'dropped', '-', 'no vrrp_instance or sync group tracks this file, so it has no effect in keepalived either');
    }
  }
  for (const name of tracked) {
    const def = (node: string) => ctx.nodes.find((n) => n.name === node)?.config.trackFiles.find((f) => f.name === name);
    const all = withGroupRefs(ctx, trackSites(ctx, (i) => i.trackFiles, name, def, 1, 'file'), (g) => g.trackFiles, name, 'file');
    const sites = liveSites(all);
    const tf = ctx.nodes.map((n) => def(n.name)).find((f) => f);
    const refs = [...sites.values()].flat();
    if (!tf?.file) {
      for (const s of [...all.values()].flat()) recordAt(ctx, s.ref.span, 'dropped', '-', 'no vrrp_track_file with a file has this name; keepalived ignores it too');
      continue;
    }
    fileDefinitionsAgree(ctx, name, tf);
    const attribute = checkAttribute(`file_${name}`);
    // keepalived multiplies the file's value by the weight, negated by reverse.
    const weights = [...new Set(refs.map(adjustment).filter((w) => w !== 0))].sort((a, b) => a - b);
    const params: NvPair[] = [
      { name: 'name', value: attribute },
      { name: 'mode', value: 'file' },
      { name: 'file', value: tf.file },
    ];
    if (weights.length) params.push({ name: 'weights', value: weights.join(' ') });
    if (tf.initFile) params.push({ name: 'init_file', value: String(tf.initFile.value) }, { name: 'init_overwrite', value: tf.initFile.overwrite ? 'true' : 'false' });
    const p: Primitive = {
      kind: 'primitive',
      id: ctx.ids.unique('trackfile', name),
      agent: { class: 'ocf', provider: 'ka2pcmk', type: 'check' },
      instanceAttributes: params,
      operations: [
        { name: 'monitor', interval: '5s', timeout: '20s' },
        { name: 'start', interval: '0s', timeout: '20s' },
        { name: 'stop', interval: '0s', timeout: '20s' },
      ],
      source: ctx.source(tf.span, `${tf.keyword} ${name}`),
      description: `reads ${tf.file} and sets node attribute ${attribute} (and weight x value)`,
    };
    const clone = addClone(ctx, p, `${tf.keyword} ${name} on every node`);
    ctx.shims.add(CHECK_AGENT);
    const rules: string[] = [];
    const uses: RefUse[] = [];
    for (const [instName, list] of sites) {
      const mapping = mappingOf(ctx, instName);
      if (!mapping) continue;
      const ids = addCheckRules(ctx, mapping, list, { kind: 'file', name, attribute, resource: clone.id }, (w, rev) => {
        // Weight 0: FAULT while the file is not 0 (while it is 0, with reverse).
        if (w === 0) return { score: '-INFINITY', expressions: [{ op: rev ? 'eq' : 'ne', attribute, value: '0' } as Expression] };
        const a = fileWeightAttribute(attribute, rev ? -w : w);
        return { scoreAttribute: a, expressions: [{ op: 'defined', attribute: a }] };
      });
      rules.push(...ids);
      for (const s of list) {
        const adj = adjustment(s);
        const zero = s.zeroed ? `, because ${s.zeroed}` : '';
        const how = s.weight === 0 ? `-INFINITY where the file holds ${s.reverse ? '0' : 'anything but 0'} (weight 0${s.reverse ? ' reverse' : ''}: FAULT${zero})` : `score-attribute ${fileWeightAttribute(attribute, adj)} = ${adj} x the file's value (-INFINITY at -254 or below, keepalived's FAULT)`;
        uses.push({ site: s, targets: ids, how: `location rule: ${how}` });
      }
    }
    recordRefs(ctx, 'shim', uses, all);
    for (const d of directivesOf(ctx, `${tf.keyword}:${name}`)) {
      const why: Record<string, string> = {
        file: `${CHECK_AGENT} (mode=file) reads the integer every 5 s (keepalived watches it with inotify) and publishes it as ${attribute}`,
        weight: `the multiplier of the rules' score attribute (${rules.join(', ') || '-'})`,
        init_file: 'the agent creates the file with this value at start, as keepalived does',
      };
      ctx.record(d, 'shim', d.keyword === 'weight' ? rules.join(', ') || '-' : clone.id, why[d.keyword] ?? `${CHECK_AGENT} in file mode, cloned on every node`);
    }
  }
}

function mapProcesses(ctx: MapContext): void {
  const seen = new Set<string>();
  for (const n of ctx.nodes) {
    for (const tp of n.config.trackProcesses) {
      if (seen.has(tp.name)) continue;
      seen.add(tp.name);
      const def = (node: string) => ctx.nodes.find((x) => x.name === node)?.config.trackProcesses.find((f) => f.name === tp.name);
      const all = withGroupRefs(ctx, trackSites(ctx, (i) => i.trackProcesses, tp.name, def, 0, 'process'), (g) => g.trackProcesses, tp.name, 'process');
      const sites = liveSites(all);
      const owner = `vrrp_track_process:${tp.name}`;
      if (!tp.process || sites.size === 0) {
        for (const d of directivesOf(ctx, owner)) ctx.record(d, 'dropped', '-', tp.process ? 'no vrrp_instance or sync group tracks this process, so it has no effect in keepalived either' : 'names no process');
        continue;
      }
      const quorum = tp.quorum ?? 1;
      const interval = 2;
      const fall = tp.delay ? Math.max(1, Math.ceil(tp.delay / interval)) : 1;
      const reasons: Record<string, string> = {
        process: 'the process keepalived watched through the kernel\'s process events',
        delay: `keepalived waits this long before acting; the check needs ${fall} consecutive failures ${interval} s apart`,
        quorum: 'how many instances of the process must run',
        quorum_max: 'the most instances that may run',
        param_match: 'how the command line must match',
      };
      const unit = unitOfProcess(tp.process);
      const spec: CheckSpec = { kind: 'process', owner, name: tp.name, span: tp.span, argv: [], interval, fall, reasons };
      if (unit && !tp.param && quorum <= 1 && tp.quorumMax === undefined) {
        serviceCheck(ctx, { ...spec, argv: ['pidof', tp.process] }, { unit, evidence: `process ${tp.process}` }, sites, all);
        continue;
      }
      const pattern = tp.param ? `${tp.process} ${tp.param}` : tp.process;
      const count = `n=$(pgrep -c ${tp.param ? '-f' : '-x'} -- "$1"); [ "$n" -ge ${quorum} ]${tp.quorumMax !== undefined ? ` && [ "$n" -le ${tp.quorumMax} ]` : ''}`;
      shimCheck(ctx, { ...spec, argv: ['sh', '-c', count, 'track_process', pattern] }, sites, all);
      ctx.diags.info('track-process-shim', `vrrp_track_process ${tp.name}: watched by polling pgrep every ${interval} s (keepalived reacts to process events at once)`, tp.span);
    }
  }
}

/**
 * `reverse` on a tracked object's definition is inherited by a reference that
 * gives its own weight, unless the reference says `reverse` or `noreverse`
 * after that weight (keepalived 2.2.7: vrrp_alloc_track_file in
 * trackers/track_file.c; alloc_track_script and alloc_track_process in
 * vrrp/vrrp_track.c start from the definition's weight_reverse). Checked in
 * the mapping (the emitted rule's sign) and in the behaviour proof's model.
 */
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import type { Primitive } from '../../src/pcmk/model.js';
import { instanceViews } from '../../src/prove/views.js';
import { MemoryFileSystem } from '../../src/source/files.js';

/** One node's configuration: the definitions, then VI_1 with `tracking` inside it (and `extra` at the top level). */
function conf(tracking: string, extra = ''): string {
  return [
    'vrrp_track_file tf {\n    file /var/run/keepalived/tf\n    weight 5 reverse\n}',
    'vrrp_track_file tf0 {\n    file /var/run/keepalived/tf0\n    weight 0 reverse\n}',
    'vrrp_script chk {\n    script "/usr/local/bin/chk"\n    weight 5 reverse\n}',
    'vrrp_track_process tp {\n    process mydaemon\n    weight 5 reverse\n}',
    extra,
    `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n    priority 100\n    virtual_ipaddress {\n        192.0.2.1/24\n    }\n${tracking}}\n`,
  ].join('\n');
}

function read(text: string) {
  const fe = readNodes([{ name: 'n1', entry: '/k.conf' }], MemoryFileSystem.of({ '/k.conf': text }));
  return fe.nodes.map((n) => ({ name: n.name, config: n.config }));
}

function map(text: string) {
  const r = mapToPacemaker(read(text), { stonithDisabled: true });
  const rules = r.model.cib.constraints.flatMap((c) => (c.kind === 'location' && 'rule' in c ? [{ description: c.description, ...c.rule }] : []));
  return { r, rules };
}

/** The tracked checks of VI_1 as the behaviour proof's keepalived model sees them. */
const checks = (text: string) => instanceViews(read(text))[0].nodes[0].checks.map(({ kind, name, weight, reverse }) => ({ kind, name, weight, reverse }));

describe('reverse of a tracked object, inherited by a reference with its own weight (keepalived 2.2.7)', () => {
  it('track_file { tf weight 10 }: keepalived keeps the definition\'s reverse, so the adjustment is -10 x the value', () => {
    const { r, rules } = map(conf('    track_file {\n        tf weight 10\n    }\n'));
    expect(rules).toEqual([expect.objectContaining({ description: 'file tf, weight 10 reverse', scoreAttribute: 'ka2pcmk_file_tf_wm10' })]);
    const agent = r.model.cib.resources.flatMap((x) => (x.kind === 'clone' ? [x.child] : [])).find((p): p is Primitive => p.id.startsWith('trackfile'));
    expect(agent?.instanceAttributes).toContainEqual({ name: 'weights', value: '-10' });
    expect(checks(conf('    track_file {\n        tf weight 10\n    }\n'))).toEqual([{ kind: 'file', name: 'tf', weight: 10, reverse: true }]);
  });

  it('track_file { tf weight 10 noreverse }: noreverse clears it', () => {
    const text = conf('    track_file {\n        tf weight 10 noreverse\n    }\n');
    expect(map(text).rules).toEqual([expect.objectContaining({ description: 'file tf, weight 10', scoreAttribute: 'ka2pcmk_file_tf_w10' })]);
    expect(checks(text)).toEqual([{ kind: 'file', name: 'tf', weight: 10, reverse: false }]);
  });

  it('track_script { chk weight 20 }: -20 while the script succeeds', () => {
    const text = conf('    track_script {\n        chk weight 20\n    }\n');
    expect(map(text).rules).toEqual([expect.objectContaining({ description: 'script chk, weight 20 reverse', score: -20, expressions: [{ op: 'eq', attribute: 'ka2pcmk_chk', value: '1' }] })]);
    expect(checks(text)).toEqual([{ kind: 'script', name: 'chk', weight: 20, reverse: true }]);
  });

  it('track_process { tp } and { tp weight 20 }: the definition\'s reverse applies to both', () => {
    for (const [line, weight] of [['tp', 5], ['tp weight 20', 20]] as const) {
      const text = conf(`    track_process {\n        ${line}\n    }\n`);
      const rule = map(text).rules.find((x) => x.description?.startsWith('process tp'));
      expect(rule).toMatchObject({ description: `process tp, weight ${weight} reverse`, score: -weight });
      expect(checks(text)).toEqual([{ kind: 'process', name: 'tp', weight, reverse: true }]);
    }
  });

  it('a sync group\'s track_file { tf0 } keeps the definition\'s weight 0 reverse: FAULT while the file holds 0', () => {
    const text = conf('', 'vrrp_sync_group SG {\n    group {\n        VI_1\n    }\n    track_file {\n        tf0\n    }\n}');
    expect(map(text).rules).toEqual([expect.objectContaining({ score: '-INFINITY', expressions: [{ op: 'eq', attribute: 'ka2pcmk_file_tf0', value: '0' }] })]);
    expect(checks(text)).toEqual([{ kind: 'file', name: 'tf0', weight: 0, reverse: true }]);
  });
});

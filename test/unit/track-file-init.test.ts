/**
 * `init_file [VALUE] [overwrite]` in a vrrp_track_file (or track_file) block,
 * read as keepalived 2.2.7 reads it (trackers/track_file.c,
 * track_file_init_handler): every word is either an integer (a word starting
 * with a digit or '-'), `overwrite`, or an unknown option; the value defaults
 * to 0; an invalid integer is reported and 0 is used; a value outside
 * [-254, 254] is reported and kept. The value reaches the check agent's
 * `init_file` parameter and the behaviour proof's initial file value.
 */
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import type { Primitive } from '../../src/pcmk/model.js';
import { withHealthyAttributes } from '../../src/prove/pcmk-steps.js';
import { checkTargets } from '../../src/prove/scenarios.js';
import { instanceViews } from '../../src/prove/views.js';
import { MemoryFileSystem } from '../../src/source/files.js';

function conf(init: string, root = 'vrrp_track_file'): string {
  return [
    `${root} tf {\n    file /var/run/keepalived/tf\n    weight 10\n${init ? `    ${init}\n` : ''}}`,
    'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n    priority 100\n    virtual_ipaddress {\n        192.0.2.1/24\n    }\n    track_file {\n        tf\n    }\n}\n',
  ].join('\n');
}

function read(text: string) {
  const fe = readNodes([{ name: 'n1', entry: '/k.conf' }], MemoryFileSystem.of({ '/k.conf': text }));
  return { fe, nodes: fe.nodes.map((n) => ({ name: n.name, config: n.config })) };
}

const initOf = (text: string) => read(text).nodes[0].config.trackFiles[0]?.initFile;
const diags = (text: string) => read(text).fe.diagnostics.filter((d) => d.code !== 'deprecated-keyword').map((d) => `${d.severity} ${d.code}: ${d.message}`);

function agentParams(text: string): Record<string, string> {
  const r = mapToPacemaker(read(text).nodes, { stonithDisabled: true });
  const agent = r.model.cib.resources.flatMap((x) => (x.kind === 'clone' ? [x.child] : [])).find((p): p is Primitive => p.kind === 'primitive' && p.id.startsWith('trackfile'));
  return Object.fromEntries((agent?.instanceAttributes ?? []).map((a) => [a.name, a.value]));
}

describe('init_file as keepalived 2.2.7 reads it', () => {
  it.each([
    ['init_file 7', { value: 7, overwrite: false }],
    ['init_file 7 overwrite', { value: 7, overwrite: true }],
    ['init_file overwrite 7', { value: 7, overwrite: true }],
    ['init_file overwrite', { value: 0, overwrite: true }],
    ['init_file', { value: 0, overwrite: false }],
    ['init_file -12', { value: -12, overwrite: false }],
  ])('%s', (line, expected) => {
    const text = conf(line);
    expect(initOf(text)).toEqual(expected);
    expect(diags(text)).toEqual([]);
  });

  it('no init_file: none', () => {
    expect(initOf(conf(''))).toBeUndefined();
  });

  it('the same in a track_file block (the current name of vrrp_track_file)', () => {
    const text = conf('init_file 7 overwrite', 'track_file');
    expect(initOf(text)).toEqual({ value: 7, overwrite: true });
    expect(diags(text)).toEqual([]);
    expect(agentParams(text)).toMatchObject({ init_file: '7', init_overwrite: 'true' });
  });

  it("an invalid integer: keepalived's message, and it writes 0", () => {
    const text = conf('init_file 7x overwrite');
    expect(initOf(text)).toEqual({ value: 0, overwrite: true });
    expect(diags(text)).toEqual(['error invalid-value: Track file tf init value 7x is invalid; keepalived writes 0']);
    expect(initOf(conf('init_file 99999999999'))).toEqual({ value: 0, overwrite: false });
  });

  it("a value outside [-254, 254]: keepalived's message, and it writes the value anyway", () => {
    const text = conf('init_file 300');
    expect(initOf(text)).toEqual({ value: 300, overwrite: false });
    expect(diags(text)).toEqual(['warning track-file-init-range: Track file tf init value 300 is outside sensible range [-254, 254]; keepalived writes it anyway']);
  });

  it("an unknown word: keepalived's message, and it is ignored", () => {
    const text = conf('init_file 5 overwrit');
    expect(initOf(text)).toEqual({ value: 5, overwrite: false });
    expect(diags(text)).toEqual(['warning unknown-option: Unknown track file init option overwrit; keepalived ignores it']);
  });

  it('the check agent gets the value, and the proof starts the file there on both sides', () => {
    const text = conf('init_file 7');
    expect(agentParams(text)).toMatchObject({ init_file: '7', init_overwrite: 'false' });
    const { nodes } = read(text);
    const views = instanceViews(nodes);
    expect(views[0].nodes[0].checks).toEqual([{ kind: 'file', name: 'tf', weight: 10, reverse: false, initial: 7 }]);
    // Pacemaker's side starts from what the emitted agent writes, not from keepalived's model.
    const r = mapToPacemaker(nodes, { stonithDisabled: true });
    const healthy = withHealthyAttributes(r.model, checkTargets(views, r.instances).values());
    expect(healthy.nodes[0].attributes).toEqual(expect.arrayContaining([{ name: 'ka2pcmk_file_tf', value: '7' }, { name: 'ka2pcmk_file_tf_w10', value: '70' }]));
  });
});

describe('a track file defined differently per node (@node lines)', () => {
  const shared = `track_file tf {
@node1    file /var/run/keepalived/tf
@node2    file /run/tf
    weight 10
@node1    init_file 5
@node2    init_file 7 overwrite
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
@node1    priority 150
@node2    priority 100
    virtual_ipaddress {
        192.0.2.1/24
    }
    track_file {
        tf
    }
}
`;
  const two = (text: string) => {
    const fe = readNodes(['node1', 'node2'].map((name) => ({ name, entry: '/k.conf', configId: name })), MemoryFileSystem.of({ '/k.conf': text }));
    return mapToPacemaker(fe.nodes.map((n) => ({ name: n.name, config: n.config })), { stonithDisabled: true });
  };

  it("says that the one agent clone runs with node1's file and init_file, at node2's lines", () => {
    const r = two(shared);
    const d = r.diagnostics.filter((x) => x.code === 'track-file-differs');
    expect(d.map((x) => `${x.severity}: ${x.message}`)).toEqual([
      "warning: track_file tf: file is /run/tf on node2 but /var/run/keepalived/tf on node1; ka2pcmk runs one ocf:ka2pcmk:check clone with node1's definition on every node",
      "warning: track_file tf: init_file 7 overwrite on node2 but init_file 5 on node1; ka2pcmk runs one ocf:ka2pcmk:check clone with node1's definition on every node",
    ]);
    expect(d.map((x) => x.span!.file.lineText(x.span!.file.position(x.span!.start).line))).toEqual(['@node2    file /run/tf', '@node2    init_file 7 overwrite']);
    expect(d[0].related?.[0].message).toBe("node1's definition");
  });

  it('says nothing when the definitions agree', () => {
    const same = shared.replace('@node2    file /run/tf\n', '@node2    file /var/run/keepalived/tf\n').replace('@node2    init_file 7 overwrite', '@node2    init_file 5');
    expect(two(same).diagnostics.filter((x) => x.code === 'track-file-differs')).toEqual([]);
  });
});

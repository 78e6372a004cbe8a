/**
 * The words after a tracking reference's name, read as keepalived 2.2.7 reads
 * them (vrrp/vrrp_track.c alloc_track_if, alloc_track_script,
 * alloc_track_process, alloc_track_bfd; trackers/track_file.c
 * vrrp_alloc_track_file): word 2 must be `weight`, word 4 may be `reverse`,
 * or `noreverse` except for an interface. A reference that says something
 * else in word 2 (`f reverse`) is discarded whole, with keepalived's message.
 * Also: a vrrp_track_process's own `weight N reverse` is in the model.
 */
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import { instanceViews } from '../../src/prove/views.js';
import { MemoryFileSystem } from '../../src/source/files.js';

function conf(tracking: string): string {
  return [
    'vrrp_track_file tf {\n    file /var/run/keepalived/tf\n    weight 5 reverse\n}',
    'vrrp_script chk {\n    script "/usr/local/bin/chk"\n    weight 5 reverse\n}',
    'vrrp_track_process tp {\n    process mydaemon\n    weight 5 reverse\n}',
    `vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n    priority 100\n    virtual_ipaddress {\n        192.0.2.1/24\n    }\n${tracking}}\n`,
  ].join('\n');
}

function read(text: string) {
  const fe = readNodes([{ name: 'n1', entry: '/k.conf' }], MemoryFileSystem.of({ '/k.conf': text }));
  return { fe, nodes: fe.nodes.map((n) => ({ name: n.name, config: n.config })) };
}
const inst = (text: string) => read(text).nodes[0].config.instances[0];
const warnings = (text: string) => read(text).fe.diagnostics.filter((d) => d.severity !== 'info' && d.code !== 'deprecated-keyword').map((d) => `${d.code}: ${d.message}`);
const refs = (list: readonly { name: string; weight?: number; reverse?: boolean }[]) => list.map(({ name, weight, reverse }) => ({ name, weight, reverse }));

describe('noreverse on a reference (keepalived 2.2.7)', () => {
  it.each([
    ['track_script', 'chk', 'trackScripts'],
    ['track_file', 'tf', 'trackFiles'],
    ['track_process', 'tp', 'trackProcesses'],
  ] as const)('%s { %s weight 10 noreverse }: kept in the model as reverse false, without a warning', (block, name, field) => {
    const text = conf(`    ${block} {\n        ${name} weight 10 noreverse\n    }\n`);
    expect(refs(inst(text)[field])).toEqual([{ name, weight: 10, reverse: false }]);
    expect(warnings(text)).toEqual([]);
    expect(instanceViews(read(text).nodes)[0].nodes[0].checks).toEqual([expect.objectContaining({ name, weight: 10, reverse: false })]);
  });

  it('a reference that says neither leaves reverse to the definition', () => {
    const text = conf('    track_file {\n        tf weight 10\n    }\n    track_script {\n        chk\n    }\n');
    expect(refs(inst(text).trackFiles)).toEqual([{ name: 'tf', weight: 10, reverse: undefined }]);
    expect(refs(inst(text).trackScripts)).toEqual([{ name: 'chk', weight: undefined, reverse: undefined }]);
    expect(instanceViews(read(text).nodes)[0].nodes[0].checks.map((c) => c.reverse)).toEqual([true, true]);
  });

  it("track_interface knows only reverse: noreverse is keepalived's unknown weight option, and the line stays", () => {
    const text = conf('    track_interface {\n        eth1 weight 10 noreverse\n    }\n');
    expect(refs(inst(text).trackInterfaces)).toEqual([{ name: 'eth1', weight: 10, reverse: undefined }]);
    expect(warnings(text)).toEqual(["unknown-option: track_interface 'eth1': keepalived says \"(VI_1) unknown track_interace eth1 weight option noreverse - ignoring\" and ignores the word"]);
  });
});

describe('a reference with `reverse` and no weight (keepalived 2.2.7 discards it)', () => {
  it.each([
    ['track_file', 'tf', 'trackFiles', 'unknown track file option reverse - ignoring'],
    ['track_script', 'chk', 'trackScripts', 'unknown track script option reverse - ignoring'],
    ['track_process', 'tp', 'trackProcesses', 'unknown track process option reverse - ignoring'],
    ['track_interface', 'eth1', 'trackInterfaces', 'unknown track_interface eth1 option reverse - ignoring'],
  ] as const)('%s { %s reverse }: warned with keepalived\'s message, dropped from the model and the mapping', (block, name, field, message) => {
    const text = conf(`    ${block} {\n        ${name} reverse\n    }\n`);
    expect(inst(text)[field]).toEqual([]);
    expect(warnings(text)).toEqual([`unknown-option: ${block} '${name}': keepalived says "(VI_1) ${message}" and discards the whole line`]);
    const r = mapToPacemaker(read(text).nodes, { stonithDisabled: true });
    expect(r.model.cib.constraints.filter((c) => c.kind === 'location' && 'rule' in c)).toEqual([]);
    expect(r.ledger.find((e) => e.text === `${name} reverse`)).toMatchObject({ fidelity: 'dropped', target: '-' });
    expect(r.diagnostics.filter((d) => d.code === 'unmapped-directive')).toEqual([]);
  });

  it('a track_file reference with an unknown word after its weight is discarded too (a script reference is kept)', () => {
    const text = conf('    track_file {\n        tf weight 10 rev\n    }\n    track_script {\n        chk weight 10 rev\n    }\n');
    expect(inst(text).trackFiles).toEqual([]);
    expect(refs(inst(text).trackScripts)).toEqual([{ name: 'chk', weight: 10, reverse: undefined }]);
  });
});

describe("a vrrp_track_process's own `weight N reverse`", () => {
  it('is in the model', () => {
    const text = conf('');
    expect(read(text).nodes[0].config.trackProcesses[0]).toMatchObject({ name: 'tp', weight: 5, weightReverse: true });
  });
});

describe("a reference's weight range (keepalived 2.2.7)", () => {
  // alloc_track_if and alloc_track_script read [-254, 254] and turn ±254 into ±253 with a message;
  // vrrp_alloc_track_file and alloc_track_process take ±254; alloc_track_bfd reads [-253, 253].
  it.each([
    ['track_script', 'chk', 'trackScripts'],
    ['track_interface', 'eth1', 'trackInterfaces'],
  ] as const)('%s { %s weight -254 }: keepalived sets -253, and says so', (block, name, field) => {
    const text = conf(`    ${block} {\n        ${name} weight -254\n    }\n`);
    expect(refs(inst(text)[field])).toEqual([{ name, weight: -253, reverse: undefined }]);
    expect(warnings(text)).toEqual([`weight-clamped: ${block} '${name}': keepalived says "(VI_1) weight for ${name} cannot be +/-254. Setting to +/-253"`]);
  });

  it.each([
    ['track_file', 'tf', 'trackFiles'],
    ['track_process', 'tp', 'trackProcesses'],
  ] as const)('%s { %s weight 254 }: a weight like any other', (block, name, field) => {
    const text = conf(`    ${block} {\n        ${name} weight 254\n    }\n`);
    expect(refs(inst(text)[field])).toEqual([{ name, weight: 254, reverse: undefined }]);
    expect(warnings(text)).toEqual([]);
  });

  it.each([
    ['track_script', 'chk', 'track script chk: weight must be between [-253..253] inclusive, ignoring...', "the vrrp_script's weight"],
    ['track_interface', 'eth1', 'weight 255 for eth1 must be between [-253..253] inclusive. Ignoring...', 'weight 0'],
    ['track_file', 'tf', 'weight for track file tf must be in [-254..254] inclusive. Ignoring...', "the track file's weight"],
    ['track_process', 'tp', 'weight for track process tp must be in [-254..254] inclusive. Ignoring...', "the vrrp_track_process's weight"],
  ] as const)('%s { %s weight 255 }: an error with keepalived\'s message; the definition\'s weight applies', (block, name, message, fallback) => {
    const text = conf(`    ${block} {\n        ${name} weight 255\n    }\n`);
    expect(warnings(text)).toEqual([`invalid-value: ${block} '${name}' weight: number '255' outside range [-254, 254]; keepalived says "(VI_1) ${message}" and uses ${fallback}`]);
  });

  it('track_bfd { b weight 254 }: outside [-253, 253]', () => {
    const text = conf('    track_bfd {\n        b weight 254\n    }\n');
    expect(warnings(text)).toContain(`invalid-value: track_bfd 'b' weight: number '254' outside range [-253, 253]; keepalived says "(VI_1) weight for track bfd b must be in [-253..253] inclusive. Ignoring..." and uses the bfd_instance's weight`);
  });

  it("the proof's model uses the clamped weight, and a file's ±254", () => {
    const text = conf('    track_script {\n        chk weight 254\n    }\n    track_file {\n        tf weight -254 noreverse\n    }\n');
    expect(instanceViews(read(text).nodes)[0].nodes[0].checks.map(({ name, weight }) => [name, weight])).toEqual([
      ['chk', 253],
      ['tf', -254],
    ]);
  });
});

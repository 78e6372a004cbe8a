/**
 * The mapping fixtures (fixtures/mapping/, table in cases.json), read and
 * mapped the way every test of them does: keepalived.conf read for node1 and
 * node2 (config-ids node1, node2), the fixture's *.sh given as
 * /etc/keepalived/<name>, fencing disabled, plus the case's own options.
 * Paths under the repository are shown relative to it, so output holds no
 * machine path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNodes, type FrontEndResult } from '../../src/frontend.js';
import { mapToPacemaker, type MapOptions, type MapResult } from '../../src/map/index.js';
import { LocalFileSystem } from '../../src/source/files.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export type MappingCase = MapOptions & { dir?: string };
export const MAPPING_CASES = JSON.parse(readFileSync(join(ROOT, 'fixtures/mapping/cases.json'), 'utf8')) as Record<string, MappingCase>;
/** Fixture names (keys starting with '/' are comments in cases.json). */
export const MAPPING_FIXTURES = Object.keys(MAPPING_CASES).filter((n) => !n.startsWith('/'));

/** A path as tests show it: relative to the repository when under it. */
export const show = (p: string): string => (p.startsWith(ROOT) ? relative(ROOT, p) : p);

export interface MappedFixture {
  front: FrontEndResult;
  nodes: { name: string; config: FrontEndResult['nodes'][number]['config'] }[];
  result: MapResult;
}

/** Reads and maps one fixture, as `ka2pcmk analyze` would for two nodes. */
export function mapFixture(name: string): MappedFixture {
  const { dir, ...extra } = MAPPING_CASES[name];
  const folder = join(ROOT, dir ?? `fixtures/mapping/${name}`);
  const scripts: Record<string, string> = {};
  for (const f of readdirSync(folder).filter((x) => x.endsWith('.sh'))) scripts[`/etc/keepalived/${f}`] = readFileSync(join(folder, f), 'utf8');
  const entry = join(folder, 'keepalived.conf');
  const front = readNodes(['node1', 'node2'].map((n) => ({ name: n, entry, configId: n })), new LocalFileSystem());
  const nodes = front.nodes.map((n) => ({ name: n.name, config: n.config }));
  const result = mapToPacemaker(nodes, { stonithDisabled: true, scripts, ...extra }, show);
  return { front, nodes, result };
}

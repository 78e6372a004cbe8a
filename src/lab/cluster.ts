/**
 * A ready Corosync + Pacemaker cluster for the lab: corosync.conf and authkey
 * written by hand, a seeded CIB (dc-deadtime=2s, stonith-enabled=false) so
 * the nodes are online in seconds rather than the ~23 s the defaults take,
 * and a readiness check through crm_mon.
 */
import { randomBytes } from 'node:crypto';
import { chownSync, writeFileSync } from 'node:fs';
import { haIds, hostPathOf } from './node.js';
import { runOk, type RunResult } from './proc.js';
import type { NodeRecord } from './state.js';

/** Totem timing knobs; undefined keeps corosync's defaults. */
export interface TotemOptions {
  token?: number;
  consensus?: number;
  /** 0 makes `token` the effective token timeout whatever the node count. */
  tokenCoefficient?: number;
}

/** Name of the lab's cluster. */
export const CLUSTER_NAME = 'ka2pcmk-lab';

/** corosync.conf for the given nodes (knet, encrypted, log to a file). */
export function corosyncConf(nodes: readonly NodeRecord[], totem: TotemOptions = {}): string {
  const t: string[] = [];
  if (totem.token !== undefined) t.push(`    token: ${totem.token}`);
  if (totem.consensus !== undefined) t.push(`    consensus: ${totem.consensus}`);
  if (totem.tokenCoefficient !== undefined) t.push(`    token_coefficient: ${totem.tokenCoefficient}`);
  // `node {` must open on its own line: corosync's parser requires it.
  const nodelist = nodes.map((n, i) => ['    node {', `        ring0_addr: ${n.addr}`, `        name: ${n.name}`, `        nodeid: ${i + 1}`, '    }'].join('\n'));
  return [
    'totem {',
    '    version: 2',
    `    cluster_name: ${CLUSTER_NAME}`,
    '    transport: knet',
    '    crypto_cipher: aes256',
    '    crypto_hash: sha256',
    ...t,
    '}',
    '',
    'nodelist {',
    ...nodelist,
    '}',
    '',
    'quorum {',
    '    provider: corosync_votequorum',
    ...(nodes.length === 2 ? ['    two_node: 1'] : []),
    '}',
    '',
    'logging {',
    '    to_logfile: yes',
    '    logfile: /var/log/corosync/corosync.log',
    '    to_stderr: no',
    '    to_syslog: no',
    '    timestamp: on',
    '}',
    '',
  ].join('\n');
}

/** Seeded CIB: `cibadmin --empty` plus the two properties that make a lab cluster quick. */
export async function seedCib(): Promise<string> {
  const empty = await runOk(['cibadmin', '--empty']);
  const props = [
    '<crm_config>',
    '      <cluster_property_set id="cib-bootstrap-options">',
    '        <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>',
    '        <nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="2s"/>',
    '      </cluster_property_set>',
    '    </crm_config>',
  ].join('\n');
  if (!empty.includes('<crm_config/>')) throw new Error('unexpected `cibadmin --empty` output');
  return empty.replace('<crm_config/>', props);
}

/** Write corosync.conf, one shared authkey, and the seeded CIB onto every node's folders. */
export async function configureCluster(labDir: string, nodes: readonly NodeRecord[], totem: TotemOptions = {}): Promise<void> {
  const conf = corosyncConf(nodes, totem);
  const key = randomBytes(256);
  const cib = await seedCib();
  const { uid, gid } = haIds();
  for (const n of nodes) {
    writeFileSync(hostPathOf(labDir, n.name, '/etc/corosync/corosync.conf'), conf, { mode: 0o644 });
    writeFileSync(hostPathOf(labDir, n.name, '/etc/corosync/authkey'), key, { mode: 0o400 });
    const cibPath = hostPathOf(labDir, n.name, '/var/lib/pacemaker/cib/cib.xml');
    writeFileSync(cibPath, cib, { mode: 0o600 });
    chownSync(cibPath, uid, gid);
  }
}

/** Cluster view from `crm_mon --output-as=xml`. */
export interface ClusterStatus {
  dc: string | undefined;
  online: string[];
  /** Resource id → nodes it is active on. */
  resources: Map<string, string[]>;
}

/** Parse the parts of crm_mon's XML the lab needs (a few regexes: the format is stable). */
export function parseCrmMon(xml: string): ClusterStatus {
  const dcMatch = /<current_dc[^>]*present="true"[^>]*name="([^"]+)"/.exec(xml) ?? /<current_dc[^>]*name="([^"]+)"[^>]*present="true"/.exec(xml);
  const online: string[] = [];
  const nodesSection = /<nodes>([\s\S]*?)<\/nodes>/.exec(xml)?.[1] ?? '';
  for (const m of nodesSection.matchAll(/<node [^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1];
    if (name && /online="true"/.test(m[0])) online.push(name);
  }
  const resources = new Map<string, string[]>();
  for (const m of xml.matchAll(/<resource id="([^"]+)"[^>]*?(?:\/>|>([\s\S]*?)<\/resource>)/g)) {
    const on = [...(m[2] ?? '').matchAll(/<node name="([^"]+)"/g)].map((x) => x[1]);
    if (/active="true"/.test(m[0].split('>')[0])) resources.set(m[1], on);
    else if (!resources.has(m[1])) resources.set(m[1], []);
  }
  return { dc: dcMatch?.[1], online: online.sort(), resources };
}

/** Query the cluster status from inside a node; undefined while the cluster is not answering. */
export async function clusterStatus(exec: (argv: string[]) => Promise<RunResult>): Promise<ClusterStatus | undefined> {
  const r = await exec(['crm_mon', '-1', '--output-as=xml']);
  if (r.code !== 0 || !r.stdout.includes('<pacemaker-result')) return undefined;
  return parseCrmMon(r.stdout);
}

/**
 * The behaviour proof of one shared keepalived.conf, as the proof tests run
 * it: read for node1 and node2 (config-ids node1, node2, so `@node` lines
 * apply), mapped with fencing disabled, then proved against crm_simulate.
 */
import { readNodes } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import { proveBehaviour, type BehaviourProof } from '../../src/prove/run.js';
import { MemoryFileSystem } from '../../src/source/files.js';

export async function proveTwoNodeConf(conf: string): Promise<BehaviourProof> {
  const fe = readNodes(['node1', 'node2'].map((name) => ({ name, entry: '/k.conf', configId: name })), MemoryFileSystem.of({ '/k.conf': conf }));
  const nodes = fe.nodes.map((n) => ({ name: n.name, config: n.config }));
  return proveBehaviour(nodes, mapToPacemaker(nodes, { stonithDisabled: true }));
}

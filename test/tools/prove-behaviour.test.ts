/**
 * The behaviour proof on real crm_simulate: for every failure that matters,
 * keepalived's election (the model) and Pacemaker's placement (the emitted
 * CIB) agree, or the difference is one of the known, explained classes. The
 * table is printed so that the test output shows it.
 */
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { readNodes, type NodeInput } from '../../src/frontend.js';
import { mapToPacemaker } from '../../src/map/index.js';
import { proveBehaviour, type BehaviourProof } from '../../src/prove/run.js';
import { jsonTable, markdownTable, summary } from '../../src/prove/table.js';
import { LocalFileSystem } from '../../src/source/files.js';

jest.setTimeout(120_000);

const FIX = join(process.cwd(), 'fixtures');

async function prove(label: string, inputs: NodeInput[]): Promise<BehaviourProof> {
  const front = readNodes(inputs, new LocalFileSystem());
  const nodes = front.nodes.map((n) => ({ name: n.name, config: n.config }));
  const proof = await proveBehaviour(nodes, mapToPacemaker(nodes, { stonithDisabled: true }));
  console.log(`${label}: ${proof.scenarios.length} scenarios, ${proof.runs} tool runs, ${proof.ms} ms\n\n${markdownTable(proof.rows)}`);
  return proof;
}

const shared = (file: string, names: string[]): NodeInput[] => names.map((name) => ({ name, entry: file, configId: name }));

function expectProven(proof: BehaviourProof): void {
  expect(proof.messages).toEqual([]);
  expect(proof.rows.length).toBeGreaterThan(0);
  expect(proof.rows.filter((r) => r.verdict === 'unexplained')).toEqual([]);
  for (const r of proof.rows.filter((x) => x.verdict === 'explained')) expect(r.classes.length).toBeGreaterThan(0);
}

const row = (p: BehaviourProof, scenario: string, instance: string) => p.rows.find((r) => r.scenario === scenario && r.instance === instance);

describe('behaviour proof with crm_simulate', () => {
  it('analyze/pair: two nodes, nopreempt, a tracked service: the returning master leaves the VIP on the backup', async () => {
    const p = await prove('fixtures/analyze/pair', [
      { name: 'node1', entry: join(FIX, 'analyze/pair/node1.conf'), configId: 'node1' },
      { name: 'node2', entry: join(FIX, 'analyze/pair/node2.conf'), configId: 'node2' },
    ]);
    expectProven(p);
    expect(row(p, 'baseline', 'VI_1')).toMatchObject({ keepalived: { holder: 'node1' }, pacemaker: { holder: 'node1' }, verdict: 'match' });
    expect(row(p, 'node-down:node1', 'VI_1')).toMatchObject({ keepalived: { holder: 'node2' }, pacemaker: { holder: 'node2' } });
    // nopreempt: node1 comes back, node2 keeps the VIP, in both.
    expect(row(p, 'return:node1', 'VI_1')).toMatchObject({ keepalived: { holder: 'node2' }, pacemaker: { holder: 'node2' }, verdict: 'match' });
  });

  it('examples/pair: one shared file with @node lines; preempting: the returning master takes the VIP back', async () => {
    const p = await prove('fixtures/examples/pair', shared(join(FIX, 'examples/pair/keepalived.conf'), ['node1', 'node2']));
    expectProven(p);
    expect(row(p, 'return:node1', 'VI_WEB')).toMatchObject({ keepalived: { holder: 'node1' }, pacemaker: { holder: 'node1' }, verdict: 'match' });
    expect(p.scenarios.map((s) => s.id)).toContain('check-fail:script:chk_nginx@node1');
  });

  it('prove/ (3 nodes): priorities, a negative-weight script, tracked interfaces, nopreempt, a tie by address', async () => {
    const p = await prove('fixtures/prove', shared(join(FIX, 'prove/keepalived.conf'), ['node1', 'node2', 'node3']));
    expectProven(p);
    const ids = p.scenarios.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['baseline', 'node-down:node1', 'node-down:node2', 'node-down:node3', 'return:node1', 'return:node2']));
    expect(ids).toEqual(expect.arrayContaining(['check-fail:script:chk_web@node1', 'check-fail:interface:eth1@node1', 'check-fail:interface:eth2@node2']));
    expect(row(p, 'baseline', 'VI_WEB')?.keepalived.holder).toBe('node1');
    expect(row(p, 'baseline', 'VI_DB')?.keepalived.holder).toBe('node2');
    expect(row(p, 'baseline', 'VI_TIE')?.keepalived.why).toMatch(/decided by address/);
    // VI_DB has nopreempt: node2 returns and node3 keeps the VIP, in both.
    expect(row(p, 'return:node2', 'VI_DB')).toMatchObject({ keepalived: { holder: 'node3' }, pacemaker: { holder: 'node3' } });
    // VI_WEB preempts: node1 returns and takes it back.
    expect(row(p, 'return:node1', 'VI_WEB')).toMatchObject({ keepalived: { holder: 'node1' }, pacemaker: { holder: 'node1' } });
    // A negative weight or an interface FAULT on the master moves VI_WEB (in keepalived; Pacemaker must follow or the row says why).
    expect(row(p, 'check-fail:script:chk_web@node1', 'VI_WEB')?.keepalived.holder).toBe('node2');
    expect(row(p, 'check-fail:interface:eth1@node1', 'VI_WEB')?.keepalived.holder).toBe('node2');
    const s = summary(p.rows);
    expect(s.unexplained).toBe(0);
    expect(JSON.parse(jsonTable(p.rows)).rows).toHaveLength(p.rows.length);
  });
});

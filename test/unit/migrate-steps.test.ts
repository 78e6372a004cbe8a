/**
 * Step compilation (pure): the cutover's order, one CIB push, the holder's
 * keepalived killed by pid with SIGKILL after the adoption, bootstrap only
 * when there is no cluster, and every changing step with an inverse.
 */
import { compileSteps, describeAction, type CompileInput } from '../../src/migrate/steps.js';
import type { NodeSurvey, Survey } from '../../src/migrate/types.js';

function nodeSurvey(node: string, over: Partial<NodeSurvey> = {}): NodeSurvey {
  return {
    node,
    keepalived: { active: true, enabled: true },
    corosync: { active: false, enabled: false, configured: false },
    pacemaker: { active: false, enabled: false },
    addresses: [],
    files: { '/etc/keepalived/keepalived.conf': 'a'.repeat(64) },
    ...over,
  };
}

export function pairInput(holder = 'node1', over: Partial<Survey> = {}): CompileInput {
  const survey: Survey = {
    nodes: ['node1', 'node2', 'node3'].map((n) => nodeSurvey(n, n === holder ? { addresses: [{ address: '192.0.2.100', prefix: 24, dev: 'eth0' }] } : {})),
    holders: { '192.0.2.100': [holder] },
    cibEpoch: null,
    clusterExisted: false,
    ...over,
  };
  return {
    planId: 'abcdef123456',
    nodes: ['node1', 'node2', 'node3'],
    vips: [{ address: '192.0.2.100', prefix: 24, resource: 'VI_1-ip-192.0.2.100', group: 'VI_1' }],
    files: { node1: ['/etc/keepalived/keepalived.conf'], node2: ['/etc/keepalived/keepalived.conf'], node3: ['/etc/keepalived/keepalived.conf'] },
    corosyncConf: 'logging {\n    logfile: /var/log/cluster/corosync.log\n}\n',
    shims: [],
    attributes: [],
    survey,
  };
}

const idx = (ids: string[], id: string) => {
  const k = ids.indexOf(id);
  if (k < 0) throw new Error(`no step ${id} in ${ids.join(', ')}`);
  return k;
};

test('cutover order: backups stopped, then one CIB push, adoption, then the holder killed', () => {
  const steps = compileSteps(pairInput('node2'));
  const ids = steps.map((s) => s.id);
  const pushes = steps.filter((s) => s.action.kind === 'cib-push');
  expect(pushes).toHaveLength(1);
  const push = idx(ids, 'cutover/cib/node1');
  expect(idx(ids, 'cutover/stop-backup/node1')).toBeLessThan(push);
  expect(idx(ids, 'cutover/stop-backup/node3')).toBeLessThan(push);
  expect(ids).not.toContain('cutover/stop-backup/node2');
  const adopted = idx(ids, 'cutover/adopted/node1');
  const kill = idx(ids, 'cutover/kill-holder/node2');
  expect(push).toBeLessThan(adopted);
  expect(adopted).toBeLessThan(kill);
  expect(kill).toBeLessThan(idx(ids, 'cutover/unprefer/VI_1'));
  expect(steps[kill].action).toEqual({ kind: 'kill-unit', unit: 'keepalived', signal: 'KILL' });
  expect(describeAction(steps[kill].action)).toMatch(/MainPID.*kill -STOP PID CHILDREN; kill -KILL PID CHILDREN/);
  // The push prefers the current holder, not the plan's best node.
  expect(pushes[0].action).toMatchObject({ prefer: [{ constraintId: 'ka2pcmk-adopt-VI_1', rsc: 'VI_1', node: 'node2' }] });
  expect(steps[adopted].action).toMatchObject({ until: { kind: 'adopted', resources: [{ id: 'VI_1-ip-192.0.2.100', node: 'node2' }] } });
});

test('phases run in order and every step that changes something has an inverse', () => {
  const steps = compileSteps(pairInput());
  const order = ['preflight', 'backup', 'bootstrap', 'push', 'cutover', 'finish'];
  const phases = steps.map((s) => order.indexOf(s.phase));
  expect([...phases].sort((a, b) => a - b)).toEqual(phases);
  for (const s of steps) {
    const readOnly = s.phase === 'preflight' || s.action.kind === 'wait' || s.id.startsWith('bootstrap/logdir') || s.id.startsWith('cutover/unprefer');
    if (!readOnly) expect({ id: s.id, inverse: s.inverse !== null }).toEqual({ id: s.id, inverse: true });
  }
  expect(steps.filter((s) => s.id.startsWith('finish/disable-keepalived/')).map((s) => s.node)).toEqual(['node1', 'node2', 'node3']);
});

test('bootstrap: corosync.conf and one authkey (a secret, never inline) per node, started, waited for', () => {
  const steps = compileSteps(pairInput());
  const key = steps.filter((s) => s.id.startsWith('bootstrap/authkey/'));
  expect(key).toHaveLength(3);
  for (const s of key) expect(s.action).toEqual({ kind: 'write', path: '/etc/corosync/authkey', mode: 0o400, content: { secret: 'authkey' } });
  expect(JSON.stringify(steps)).not.toMatch(/BEGIN|base64/);
  const ids = steps.map((s) => s.id);
  expect(idx(ids, 'bootstrap/start-corosync/node3')).toBeLessThan(idx(ids, 'bootstrap/start-pacemaker/node1'));
  expect(steps.find((s) => s.id === 'bootstrap/online/node1')?.action).toMatchObject({ kind: 'wait', until: { kind: 'online', nodes: ['node1', 'node2', 'node3'] } });
});

test('an existing cluster is not bootstrapped, and its maintenance mode is ended after an undo', () => {
  const steps = compileSteps(pairInput('node1', { clusterExisted: true }));
  expect(steps.some((s) => s.phase === 'bootstrap')).toBe(false);
  expect(steps.some((s) => s.id.startsWith('preflight/port/'))).toBe(false);
  expect(steps.find((s) => s.action.kind === 'cib-push')?.inverse).toMatchObject({ kind: 'cib-remove', endMaintenance: true });
});

test('shim agents are installed and their attributes seeded before the push', () => {
  const steps = compileSteps({ ...pairInput(), shims: ['ocf:ka2pcmk:check'], attributes: ['ka2pcmk_chk'] });
  const ids = steps.map((s) => s.id);
  const push = idx(ids, 'cutover/cib/node1');
  expect(idx(ids, 'push/agent/ocf:ka2pcmk:check/node3')).toBeLessThan(push);
  expect(idx(ids, 'push/attribute/ka2pcmk_chk/node2')).toBeLessThan(push);
  expect(steps.find((s) => s.id === 'push/agent/ocf:ka2pcmk:check/node1')?.action).toEqual({ kind: 'write', path: '/usr/lib/ocf/resource.d/ka2pcmk/check', mode: 0o755, content: { agent: 'ocf:ka2pcmk:check' } });
});

test('the same input compiles to the same steps', () => {
  expect(compileSteps(pairInput())).toEqual(compileSteps(pairInput()));
});

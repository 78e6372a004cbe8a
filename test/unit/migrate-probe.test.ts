/** Gap analysis of the VIP probe (pure), the probe loop against a local port, and the CIB merge/removal. */
import { createServer } from 'node:net';
import { analyseProbes, describeReport, startProbe } from '../../src/migrate/probe.js';
import { cibEpoch, clashes, mergeCib, planCib, removeFromCib } from '../../src/migrate/cib.js';

const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const series = (pattern: string) => [...pattern].map((c, k) => ({ sent: t0 + k * 10, ok: c === '.', ...(c === 'x' ? { error: 'ECONNREFUSED' } : {}) }));

test('no lost probe: downtime 0', () => {
  const r = analyseProbes('vip:80', series('.....'));
  expect(r).toMatchObject({ probes: 5, lost: 0, downtimeMs: 0, longest: null, gaps: [] });
  expect(describeReport(r)).toBe('downtime 0 ms: 5 probes of vip:80 every 10 ms, none lost');
});

test('gaps run from the first lost probe to the next answered one; the longest is the downtime', () => {
  const r = analyseProbes('vip:80', series('..x..xxx.x'));
  expect(r.gaps.map((g) => [g.start - t0, g.end - t0, g.ms, g.lost, g.open])).toEqual([
    [20, 30, 10, 1, false],
    [50, 80, 30, 3, false],
    [90, 90, 0, 1, true],
  ]);
  expect(r.downtimeMs).toBe(30);
  expect(describeReport(r)).toBe('downtime 30 ms: from 12:00:00.050 to 12:00:00.080 UTC; 5 of 10 probes of vip:80 lost in 3 gap(s) (ECONNREFUSED ×3)');
});

test('probes are sorted by send time before analysis (they complete out of order)', () => {
  const s = series('.x.');
  expect(analyseProbes('v', [s[2], s[1], s[0]]).gaps).toHaveLength(1);
});

test('the loop connects every 10 ms and reports refusals', async () => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const p = startProbe({ host: '127.0.0.1', port });
  await new Promise((r) => setTimeout(r, 200));
  await new Promise<void>((r) => server.close(() => r()));
  await new Promise((r) => setTimeout(r, 100));
  const rep = await p.stop();
  expect(rep.answered).toBeGreaterThan(8);
  expect(rep.lost).toBeGreaterThan(3);
  expect(rep.longest?.open).toBe(true);
  expect(Object.keys(rep.longest!.errors)).toContain('ECONNREFUSED');
});

const LIVE = `<cib admin_epoch="0" epoch="7" num_updates="3">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-dc-version" name="dc-version" value="2.1.5"/>
        <nvpair id="old-stonith" name="stonith-enabled" value="true"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <primitive id="theirs" class="ocf" provider="pacemaker" type="Dummy"/>
    </resources>
    <constraints/>
  </configuration>
  <status/>
</cib>`;
const PLAN = `<cib epoch="1"><configuration><crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/></cluster_property_set></crm_config><nodes/><resources>
  <!-- a comment with <b>markup</b> -->
  <group id="VI_1" description="a &gt; b"><primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"/></group>
  <clone id="chk-clone"><primitive id="chk" class="ocf" provider="ka2pcmk" type="check"/></clone>
</resources><constraints><rsc_location id="loc-VI_1-node1" rsc="VI_1" node="node1" score="150"/><rsc_colocation id="col" rsc="VI_1" with-rsc="chk-clone" score="INFINITY"/></constraints></configuration></cib>`;

test('the merge keeps what the cluster has, adds the plan and the holder preference, replaces an option by name', () => {
  const plan = planCib(PLAN);
  expect(plan.resources.map((e) => [e.tag, e.id])).toEqual([['group', 'VI_1'], ['clone', 'chk-clone']]);
  const merged = mergeCib(LIVE, plan, [{ constraintId: 'ka2pcmk-adopt-VI_1', rsc: 'VI_1', node: 'node2' }]);
  expect(merged).toContain('<primitive id="theirs"');
  expect(merged).toContain('<group id="VI_1" description="a &gt; b">');
  expect(merged).toContain('<constraints><rsc_location id="loc-VI_1-node1" rsc="VI_1" node="node1" score="150"/><rsc_colocation id="col" rsc="VI_1" with-rsc="chk-clone" score="INFINITY"/><rsc_location id="ka2pcmk-adopt-VI_1" rsc="VI_1" node="node2" score="INFINITY"/></constraints>');
  expect(merged).toContain('name="stonith-enabled" value="false"');
  expect(merged).not.toContain('old-stonith');
  expect(merged).toContain('dc-version');
  expect(cibEpoch(merged)).toBe('0:7');
  expect(clashes(merged, plan)).toEqual(['VI_1', 'chk-clone', 'loc-VI_1-node1', 'col']);
  // and the removal takes exactly that away again
  const back = removeFromCib(merged, new Set(['VI_1', 'chk-clone', 'loc-VI_1-node1', 'col', 'ka2pcmk-adopt-VI_1']));
  expect(back).toContain('<primitive id="theirs"');
  expect(back).not.toMatch(/VI_1|chk-clone/);
});

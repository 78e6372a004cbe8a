/**
 * The engine's side of the fault tests (test/lab/faults.test.ts): the pause
 * hook the lab uses to inject a fault at an exact step, and the fixes that
 * the faults called for, each against a small stand-in of two hosts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandResult, HostRunner, Runner } from '../../src/exec/runner.js';
import { executeMigration } from '../../src/migrate/execute.js';
import { faultPause } from '../../src/migrate/fault-hook.js';
import { readJournal } from '../../src/migrate/journal.js';
import { loadPlan, type LoadedPlan } from '../../src/migrate/plan.js';
import { PLAN_VERSION, sha256 } from '../../src/plan/artifacts.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-faults-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CIB = '<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources><group id="VI_1"><primitive id="VI_1-ip-192.0.2.100" class="ocf" provider="heartbeat" type="IPaddr2"/></group></resources><constraints/></configuration><status/></cib>';
const CONF = 'totem {\n}\n';
const KA = 'vrrp_instance VI_1 {\n}\n';

function writePlan(): void {
  const artifacts = { 'cib.xml': CIB, 'corosync.conf': CONF };
  for (const [k, v] of Object.entries(artifacts)) writeFileSync(join(dir, k), v);
  const plan = {
    kind: 'ka2pcmk-plan',
    version: PLAN_VERSION,
    tool: 'test',
    cluster: { name: 'c', nodes: [{ name: 'node1', nodeId: 1, addresses: ['192.0.2.11'] }, { name: 'node2', nodeId: 2, addresses: ['192.0.2.12'] }] },
    inputs: [],
    options: { stonithDisabled: true, fenceAgent: null, lvs: 'keepalived-checker', storage: null },
    instances: [{ instance: 'VI_1', group: 'VI_1', vips: [{ address: '192.0.2.100', prefix: 24, resource: 'VI_1-ip-192.0.2.100' }], scores: { node1: 150, node2: 100 }, stickiness: 0, checks: [] }],
    shims: [],
    summary: { ledger: {}, errors: 0, warnings: 0 },
    artifacts: Object.fromEntries(Object.entries(artifacts).map(([k, v]) => [k, sha256(v)])),
  };
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan, null, 2) + '\n');
}

/** Two hosts answering like the lab's nodes (node1 holds the VIP); `fail` makes chosen commands fail. */
export class Hosts implements Runner {
  readonly log: string[] = [];
  readonly files = new Map<string, Buffer>();
  constructor(private readonly fail: (node: string, line: string) => boolean | Error = () => false) {}
  host(node: string): HostRunner {
    const self = this;
    return {
      node,
      async run(argv): Promise<CommandResult> {
        const line = argv.join(' ');
        self.log.push(`${node}: ${line}`);
        const r = (stdout = '', code = 0): CommandResult => ({ code, stdout, stderr: code ? 'scripted failure\n' : '', durationMs: 1 });
        const f = self.fail(node, line);
        if (f instanceof Error) throw f;
        if (f) return r('', 1);
        if (line === 'systemctl is-active keepalived') return r('active\n');
        if (line === 'systemctl is-enabled keepalived') return r('enabled\n');
        if (/^systemctl is-(active|enabled) /.test(line)) return r('inactive\n', 3);
        if (line === 'test -e /etc/corosync/corosync.conf') return r('', 1);
        if (line === 'ip -o addr show') return r(node === 'node1' ? '2: eth0    inet 192.0.2.100/24 scope global secondary eth0\n' : '');
        if (argv[0] === 'sha256sum') return r(argv.slice(2).map((p) => `${sha256(self.files.get(`${node}:${p}`) ?? KA)}  ${p}\n`).join(''));
        if (line === 'uname -n') return r(`${node}\n`);
        if (argv[0] === 'dpkg-query') return r('corosync 3 installed\npacemaker 2 installed\npacemaker-cli-utils 2 installed\nresource-agents 4 installed\n');
        if (line === 'date +%s%N') return r(`${Date.now()}000000\n`);
        if (argv[0] === 'df') return r('Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x 9999999 1 9999999 1% /\n');
        if (argv[0] === 'crm_mon') return r('<crm_mon><nodes><node name="node1" id="1" online="true"/><node name="node2" id="2" online="true"/></nodes><resources><resource id="VI_1-ip-192.0.2.100" role="Started" failed="false"><node name="node1" id="1"/></resource></resources></crm_mon>');
        if (line === 'cibadmin --query') return r('<cib epoch="3" admin_epoch="0"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>');
        if (argv[0] === 'cibadmin' && argv[2] === '--xpath') return r('', 105);
        if (argv[0] === 'crm_diff') return r('<diff/>', 1);
        if (argv[0] === 'systemctl' && argv[1] === 'show') return r('MainPID=100\n');
        if (argv[0] === 'cat' && argv[1].endsWith('/comm')) return r('keepalived\n');
        return r();
      },
      async readFile(path) {
        return self.files.get(`${node}:${path}`) ?? (path.endsWith('.conf') ? Buffer.from(KA) : undefined);
      },
      async writeFile(path, data) {
        const f = self.fail(node, `write ${path}`);
        if (f instanceof Error) throw f;
        if (f) throw new Error(`${node}: cannot write ${path}: No space left on device`);
        self.files.set(`${node}:${path}`, Buffer.from(data));
      },
      async close() {},
    };
  }
  async closeAll() {}
}

const base = (plan: LoadedPlan, runner: Runner) => ({ plan, runner, log: () => undefined, tool: 'test', probe: null, sleep: async () => undefined, pollMs: 1 });

async function until(f: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the pause hook (KA2PCMK_FAULT_PAUSE_AT / KA2PCMK_FAULT_PAUSE_FILE)', () => {
  test('inert without both variables, for another step, or when the file is absent', async () => {
    const file = join(dir, 'pause');
    writeFileSync(file, '');
    expect(await faultPause('backup/keepalived/node1', {})).toBe(false);
    expect(await faultPause('backup/keepalived/node1', { KA2PCMK_FAULT_PAUSE_AT: 'backup/keepalived/node1' })).toBe(false);
    expect(await faultPause('backup/keepalived/node1', { KA2PCMK_FAULT_PAUSE_AT: 'x', KA2PCMK_FAULT_PAUSE_FILE: file })).toBe(false);
    expect(await faultPause('backup/keepalived/node1', { KA2PCMK_FAULT_PAUSE_AT: 'backup/keepalived/node1', KA2PCMK_FAULT_PAUSE_FILE: join(dir, 'none') })).toBe(false);
    expect(existsSync(`${file}.paused`)).toBe(false);
  });

  test('the executor journals the step as started, says it paused (pid, step), and runs nothing until the file goes', async () => {
    writePlan();
    const file = join(dir, 'pause');
    writeFileSync(file, '');
    const hosts = new Hosts((_n, line) => line.startsWith('cibadmin --patch'));
    const saved = { ...process.env };
    process.env.KA2PCMK_FAULT_PAUSE_AT = 'backup/keepalived/node2';
    process.env.KA2PCMK_FAULT_PAUSE_FILE = file;
    try {
      const running = executeMigration(base(loadPlan(dir), hosts));
      await until(() => existsSync(`${file}.paused`));
      expect(readFileSync(`${file}.paused`, 'utf8')).toBe(`${process.pid} backup/keepalived/node2\n`);
      const last = readJournal(dir).at(-1);
      expect(last).toMatchObject({ type: 'step', id: 'backup/keepalived/node2', event: 'started' });
      const seen = hosts.log.length;
      await new Promise((r) => setTimeout(r, 200));
      expect(hosts.log.length).toBe(seen);
      expect(hosts.log.some((l) => l.startsWith('node2: mkdir -p -m 0700 /var/lib/ka2pcmk/backup'))).toBe(false);
      unlinkSync(file);
      const o = await running;
      expect(hosts.log.some((l) => l.startsWith('node2: mkdir -p -m 0700 /var/lib/ka2pcmk/backup'))).toBe(true);
      expect(o.failed?.step).toBe('cutover/cib/node1');
    } finally {
      process.env = saved;
    }
  });
});

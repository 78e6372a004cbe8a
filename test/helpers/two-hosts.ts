/**
 * A stand-in for the executor's whole-run tests: a keepalived pair (node1
 * holding VIP 192.0.2.100 of VI_1, node2 its backup, no cluster yet) about to
 * be migrated, and the plan analyze would have written for it. The hosts are
 * stateful rather than scripted: a full FakeRunner queue of ~100 exact
 * commands would test the queue, not the behaviour. Shared by
 * migrate-execute, interrupt-migrate, progress-wiring-migrate and
 * faults-engine.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult, HostRunner, Runner } from '../../src/exec/runner.js';
import type { LoadedPlan } from '../../src/migrate/plan.js';
import { PLAN_VERSION, sha256 } from '../../src/plan/artifacts.js';

/** The plan's CIB: group VI_1 with its IPaddr2, preferring node1. */
export const PAIR_CIB =
  '<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources><group id="VI_1"><primitive id="VI_1-ip-192.0.2.100" class="ocf" provider="heartbeat" type="IPaddr2"/></group></resources><constraints><rsc_location id="loc-VI_1-node1" rsc="VI_1" node="node1" score="150"/></constraints></configuration><status/></cib>';
/** The plan's corosync.conf. */
export const PAIR_CONF = 'totem {\n}\n';
/** What /etc/keepalived/keepalived.conf holds on both hosts until written. */
export const PAIR_KA = 'vrrp_instance VI_1 {\n}\n';

/** What differs between the tests' plans; every field defaults to the pair above. */
export interface PairPlanOptions {
  cib?: string;
  conf?: string;
  /** Fields that replace the plan's own (a version, preconditions). */
  extra?: Record<string, unknown>;
  /** Write plan.json indented, with a final newline, as analyze does (default: one line). */
  pretty?: boolean;
}

/** Writes plan.json, cib.xml and corosync.conf for the pair into `dir`, the artifacts' sums matching. */
export function writePairPlan(dir: string, o: PairPlanOptions = {}): void {
  const artifacts = { 'cib.xml': o.cib ?? PAIR_CIB, 'corosync.conf': o.conf ?? PAIR_CONF };
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
    ...o.extra,
  };
  writeFileSync(join(dir, 'plan.json'), o.pretty ? JSON.stringify(plan, null, 2) + '\n' : JSON.stringify(plan));
}

/**
 * Says whether a command fails: true for exit 1 with "scripted failure", an
 * Error to throw it (a lost connection). File writes are asked as
 * `write <path>` and fail with ENOSPC.
 */
export type FailWhen = (node: string, line: string) => boolean | Error;

/**
 * The pair's two hosts, answering like the lab's nodes: keepalived active and
 * enabled, other units inactive, the VIP on node1, packages installed, every
 * other command a success. Files written are kept (with their modes) and read
 * back; `log` holds each command as `node: argv joined`. `fail` makes chosen
 * commands fail; `onRun` sees each command as it starts.
 */
export class TwoHosts implements Runner {
  readonly log: string[] = [];
  readonly files = new Map<string, Buffer>();
  readonly modes = new Map<string, number>();
  constructor(
    private readonly fail: FailWhen = () => false,
    private readonly onRun: (node: string, line: string) => void = () => undefined,
  ) {}
  host(node: string): HostRunner {
    const self = this;
    return {
      node,
      async run(argv): Promise<CommandResult> {
        const line = argv.join(' ');
        self.log.push(`${node}: ${line}`);
        self.onRun(node, line);
        const r = (stdout = '', code = 0): CommandResult => ({ code, stdout, stderr: code ? 'scripted failure\n' : '', durationMs: 1 });
        const f = self.fail(node, line);
        if (f instanceof Error) throw f;
        if (f) return r('', 1);
        if (line === 'systemctl is-active keepalived') return r('active\n');
        if (line === 'systemctl is-enabled keepalived') return r('enabled\n');
        if (/^systemctl is-(active|enabled) /.test(line)) return r('inactive\n', 3);
        if (line === 'test -e /etc/corosync/corosync.conf') return r('', 1);
        if (line === 'ip -o addr show') return r(node === 'node1' ? '2: eth0    inet 192.0.2.100/24 scope global secondary eth0\n' : '');
        if (argv[0] === 'sha256sum') return r(argv.slice(2).map((p) => `${sha256(self.files.get(`${node}:${p}`) ?? PAIR_KA)}  ${p}\n`).join(''));
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
        return self.files.get(`${node}:${path}`) ?? (path.endsWith('.conf') ? Buffer.from(PAIR_KA) : undefined);
      },
      async writeFile(path, data, mode) {
        const f = self.fail(node, `write ${path}`);
        if (f instanceof Error) throw f;
        if (f) throw new Error(`${node}: cannot write ${path}: No space left on device`);
        self.files.set(`${node}:${path}`, Buffer.from(data));
        self.modes.set(`${node}:${path}`, mode);
      },
      async close() {},
    };
  }
  async closeAll() {}
}

/** executeMigration's options for a quick run: no log, no probe, no waiting. */
export const quickRun = (plan: LoadedPlan, runner: Runner) => ({ plan, runner, log: () => undefined, tool: 'test', probe: null, sleep: async () => undefined, pollMs: 1 });

/**
 * Our shim agents, run directly as Pacemaker would run them (OCF_ROOT and
 * OCF_RESKEY_* in the environment), with no cluster: a fake attrd_updater
 * (ATTRD_UPDATER) logs what would be set, and the state lives in a temporary
 * directory (KA2PCMK_STATE_DIR).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHECK = join(ROOT, 'agents/ka2pcmk/check');
const NOTIFY = join(ROOT, 'agents/ka2pcmk/notify-alert');

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ka2pcmk-agent-'));
  log = join(dir, 'attrd.log');
  writeFileSync(join(dir, 'attrd'), `#!/bin/sh\necho "$*" >> "${log}"\n`);
  chmodSync(join(dir, 'attrd'), 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function agent(action: string, env: Record<string, string>) {
  const r = spawnSync('sh', [CHECK, action], {
    env: { PATH: process.env.PATH, OCF_ROOT: '/usr/lib/ocf', ATTRD_UPDATER: join(dir, 'attrd'), KA2PCMK_STATE_DIR: join(dir, 'state'), OCF_RESKEY_CRM_meta_interval: '2000', ...env },
    encoding: 'utf8',
  });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}
const attrLog = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('agents/ka2pcmk/check', () => {
  it('prints valid OCF meta-data naming its parameters and actions', () => {
    const r = agent('meta-data', {});
    expect(r.rc).toBe(0);
    expect(XMLValidator.validate(r.out)).toBe(true);
    for (const p of ['name', 'mode', 'command', 'timeout', 'rise', 'fall', 'init_fail', 'file', 'weights']) expect(r.out).toContain(`<parameter name="${p}"`);
    for (const a of ['start', 'stop', 'monitor', 'validate-all', 'meta-data']) expect(r.out).toContain(`<action name="${a}"`);
  });

  it('validate-all refuses a missing command and a missing attrd_updater', () => {
    expect(agent('validate-all', { OCF_RESKEY_name: 'ka2pcmk_x' }).rc).toBe(6);
    expect(agent('validate-all', { OCF_RESKEY_name: 'ka2pcmk_x', OCF_RESKEY_command: 'true', ATTRD_UPDATER: join(dir, 'missing') }).rc).toBe(5);
    expect(agent('validate-all', { OCF_RESKEY_name: 'ka2pcmk_x', OCF_RESKEY_command: 'true' }).rc).toBe(0);
  });

  it('honours rise and fall: the attribute flips only after consecutive results', () => {
    const flag = join(dir, 'flag');
    const env = { OCF_RESKEY_name: 'ka2pcmk_chk', OCF_RESKEY_command: `test -e '${flag}'`, OCF_RESKEY_rise: '2', OCF_RESKEY_fall: '2' };
    expect(agent('monitor', env).rc).toBe(7); // not started
    expect(agent('start', env).rc).toBe(0); // keepalived starts a script as good
    expect(agent('monitor', env).rc).toBe(0); // 1st failure: still 1
    expect(agent('monitor', env).rc).toBe(0); // 2nd failure: 0
    writeFileSync(flag, '');
    agent('monitor', env); // 1st success: still 0
    agent('monitor', env); // 2nd success: 1
    expect(agent('stop', env).rc).toBe(0);
    expect(agent('monitor', env).rc).toBe(7);
    expect(attrLog()).toEqual(['-n ka2pcmk_chk -U 1', '-n ka2pcmk_chk -U 1', '-n ka2pcmk_chk -U 0', '-n ka2pcmk_chk -U 0', '-n ka2pcmk_chk -U 1', '-D -n ka2pcmk_chk']);
  });

  it('kills a command that outlives its timeout and counts it as failed; a probe does not run it', () => {
    const env = { OCF_RESKEY_name: 'ka2pcmk_slow', OCF_RESKEY_command: "sh -c 'sleep 5'", OCF_RESKEY_timeout: '1', OCF_RESKEY_init_fail: 'false' };
    agent('start', env);
    expect(agent('monitor', { ...env, OCF_RESKEY_CRM_meta_interval: '0' }).rc).toBe(0);
    const t = Date.now();
    expect(agent('monitor', env).rc).toBe(0);
    expect(Date.now() - t).toBeLessThan(4000);
    expect(attrLog()).toEqual(['-n ka2pcmk_slow -U 1', '-n ka2pcmk_slow -U 0']);
  });

  it('file mode publishes the value and weight x value, -INFINITY at -254 and below', () => {
    const file = join(dir, 'prio');
    const env = { OCF_RESKEY_name: 'ka2pcmk_file_tf', OCF_RESKEY_mode: 'file', OCF_RESKEY_file: file, OCF_RESKEY_weights: '10 -100', OCF_RESKEY_init_file: '2' };
    expect(agent('start', env).rc).toBe(0);
    expect(readFileSync(file, 'utf8').trim()).toBe('2');
    writeFileSync(file, '3\n');
    agent('monitor', env);
    expect(attrLog()).toEqual([
      '-n ka2pcmk_file_tf -U 2',
      '-n ka2pcmk_file_tf_w10 -U 20',
      '-n ka2pcmk_file_tf_wm100 -U -200',
      '-n ka2pcmk_file_tf -U 3',
      '-n ka2pcmk_file_tf_w10 -U 30',
      '-n ka2pcmk_file_tf_wm100 -U -INFINITY',
    ]);
  });
});

describe('agents/ka2pcmk/notify-alert', () => {
  function alert(env: Record<string, string>) {
    const out = join(dir, 'out');
    const r = spawnSync('sh', [NOTIFY], {
      env: {
        PATH: process.env.PATH,
        KA2PCMK_LOCAL_NODE: 'node1',
        CRM_alert_kind: 'resource',
        CRM_alert_node: 'node1',
        ka2pcmk_command: `sh -c 'echo "$*" > ${out}' notify`,
        ka2pcmk_start_resource: 'VI-ip',
        ka2pcmk_stop_resource: 'VI-fs',
        ka2pcmk_resources: 'VI-fs VI-ip',
        ka2pcmk_type: 'INSTANCE',
        ka2pcmk_name: 'VI_1',
        ka2pcmk_priorities: 'node1=150 node2=100',
        ...env,
      },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    return existsSync(out) ? readFileSync(out, 'utf8').trim() : undefined;
  }

  it('runs notify_master when the last member starts here, with the script\'s own arguments', () => {
    expect(alert({ ka2pcmk_event: 'master', ka2pcmk_command: `sh -c 'echo "$*" > ${join(dir, 'out')}' notify master`, CRM_alert_task: 'start', CRM_alert_rsc: 'VI-ip', CRM_alert_rc: '0', CRM_alert_target_rc: '0' })).toBe('master');
  });

  it('runs the generic notify with keepalived\'s TYPE NAME STATE PRIORITY', () => {
    expect(alert({ ka2pcmk_event: 'any', ka2pcmk_append_state: 'true', CRM_alert_task: 'stop', CRM_alert_rsc: 'VI-fs', CRM_alert_rc: '0', CRM_alert_target_rc: '0' })).toBe('INSTANCE VI_1 BACKUP 150');
    expect(alert({ ka2pcmk_event: 'any', ka2pcmk_append_state: 'true', CRM_alert_task: 'monitor', CRM_alert_rsc: 'VI-ip', CRM_alert_rc: '7', CRM_alert_target_rc: '0' })).toBe('INSTANCE VI_1 FAULT 150');
  });

  it('ignores other resources, other nodes, other events and successful monitors', () => {
    expect(alert({ ka2pcmk_event: 'master', CRM_alert_task: 'start', CRM_alert_rsc: 'VI-fs', CRM_alert_rc: '0' })).toBeUndefined();
    expect(alert({ ka2pcmk_event: 'master', CRM_alert_node: 'node2', CRM_alert_task: 'start', CRM_alert_rsc: 'VI-ip', CRM_alert_rc: '0' })).toBeUndefined();
    expect(alert({ ka2pcmk_event: 'backup', CRM_alert_task: 'start', CRM_alert_rsc: 'VI-ip', CRM_alert_rc: '0' })).toBeUndefined();
    expect(alert({ ka2pcmk_event: 'fault', CRM_alert_task: 'monitor', CRM_alert_rsc: 'VI-ip', CRM_alert_rc: '0', CRM_alert_target_rc: '0' })).toBeUndefined();
    expect(alert({ ka2pcmk_event: 'any', CRM_alert_kind: 'node', CRM_alert_task: 'start', CRM_alert_rsc: 'VI-ip' })).toBeUndefined();
  });
});

/** The pure parts of the mapping rules: service recognition, storage proposals, weights, LVS texts. */
import { SourceFile } from '../../src/diag/span.js';
import { readNodes } from '../../src/frontend.js';
import { renderLvsConfig } from '../../src/map/lvs-config.js';
import { proposeStorage, scriptSteps } from '../../src/map/propose-storage.js';
import { serviceOfCommand } from '../../src/map/services.js';
import { fsidFor } from '../../src/map/storage.js';
import { weightRule } from '../../src/map/weights.js';
import { vrrpMac } from '../../src/map/vmac.js';
import { MemoryFileSystem } from '../../src/source/files.js';

const unit = (cmd: string[]) => serviceOfCommand(cmd)?.unit;

describe('serviceOfCommand', () => {
  it('recognises liveness probes of known daemons, with Debian unit names', () => {
    expect(unit(['killall', '-0', 'nginx'])).toBe('nginx');
    expect(unit(['/usr/bin/pidof', '-x', 'haproxy'])).toBe('haproxy');
    expect(unit(['pgrep', '-x', 'mysqld'])).toBe('mariadb');
    expect(unit(['pgrep', 'httpd'])).toBe('apache2');
    expect(unit(['systemctl', 'is-active', '--quiet', 'postgresql.service'])).toBe('postgresql');
    expect(unit(['service', 'named', 'status'])).toBe('named');
    expect(unit(['/bin/sh', '-c', 'pidof pihole-FTL'])).toBe('pihole-FTL');
    expect(unit(['nc', '-z', '127.0.0.1', '6379'])).toBe('redis-server');
    expect(unit(['curl', '-s', 'http://localhost:11211/'])).toBe('memcached');
  });

  it('refuses anything ambiguous: a shim is safer than the wrong unit', () => {
    expect(unit(['curl', '-s', 'http://localhost/'])).toBeUndefined(); // nginx? apache2? haproxy?
    expect(unit(['nc', '-z', '127.0.0.1', '53'])).toBeUndefined();
    expect(unit(['nc', '-z', '192.0.2.5', '3306'])).toBeUndefined(); // not local
    expect(unit(['killall', '-0', 'myapp'])).toBeUndefined();
    expect(unit(['pgrep', '-f', 'java -jar app.jar'])).toBeUndefined();
    expect(unit(['/bin/sh', '-c', 'pidof nginx && test -e /x'])).toBeUndefined();
    expect(unit(['/usr/local/bin/check_nginx.sh'])).toBeUndefined();
  });
});

describe('weightRule (keepalived effective priority as scores)', () => {
  it('adds positive weights where the check succeeds, negative ones where it fails, -INFINITY for weight 0', () => {
    expect(weightRule('a', 20)).toMatchObject({ score: 20, expression: { op: 'eq', attribute: 'a', value: '1' } });
    expect(weightRule('a', -30)).toMatchObject({ score: -30, expression: { op: 'ne', attribute: 'a', value: '1' } });
    expect(weightRule('a', 0)).toMatchObject({ score: '-INFINITY', expression: { op: 'ne' } });
  });
  it('reverse keeps the condition and flips the sign', () => {
    expect(weightRule('a', 20, true)).toMatchObject({ score: -20, expression: { op: 'eq' } });
    expect(weightRule('a', -30, true)).toMatchObject({ score: 30, expression: { op: 'ne' } });
    expect(weightRule('a', 0, true)).toMatchObject({ score: '-INFINITY', expression: { op: 'eq' } });
  });
});

describe('proposeStorage', () => {
  const script = `#!/bin/sh
case "$1" in
master) mount -t xfs -o noatime /dev/sdb1 /srv/nfs && systemctl start nfs-server
    exportfs -o rw,sync 192.0.2.0/24:/srv/nfs   # the clients
    /usr/local/bin/warm-cache ;;
*) exportfs -u 192.0.2.0/24:/srv/nfs; umount /srv/nfs ;;
esac
`;
  const conf = `vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
    virtual_ipaddress {
        192.0.2.100/24
    }
    notify_master "/etc/keepalived/takeover.sh master"
}
`;
  it('reads mount, exportfs and nfs-server lines, with their spans; other commands are reported', () => {
    const steps = scriptSteps(new SourceFile('/etc/keepalived/takeover.sh', script));
    expect(steps.map((s) => s.kind)).toEqual(['mount', 'nfs-start', 'export', 'other', 'undo', 'undo']);
    const other = steps.find((s) => s.kind === 'other')!;
    expect(other.span.file.text.slice(other.span.start, other.span.end)).toBe('/usr/local/bin/warm-cache');
  });

  it('proposes the storage group for the instance whose notify runs the script', () => {
    const fe = readNodes([{ name: 'n1', entry: '/etc/keepalived/keepalived.conf' }], MemoryFileSystem.of({ '/etc/keepalived/keepalived.conf': conf }));
    const [p] = proposeStorage(fe.nodes[0].config, { '/etc/keepalived/takeover.sh': script });
    expect({ ...p, proposedFrom: undefined }).toEqual({
      device: '/dev/sdb1',
      directory: '/srv/nfs',
      fstype: 'xfs',
      options: 'noatime',
      exports: [{ clients: '192.0.2.0/24', options: 'rw,sync' }],
      instance: 'VI_1',
      proposedFrom: undefined,
    });
    expect(p.proposedFrom!.file.position(p.proposedFrom!.start)).toEqual({ line: 3, column: 9 });
    expect(proposeStorage(fe.nodes[0].config, {})).toEqual([]);
  });
});

describe('small derivations', () => {
  it('fsid is stable, positive and depends on the directory only', () => {
    expect(fsidFor('/srv/nfs')).toBe(fsidFor('/srv/nfs'));
    expect(fsidFor('/srv/nfs')).not.toBe(fsidFor('/srv/nfs/pub'));
    expect(Number(fsidFor('/x'))).toBeGreaterThan(0);
  });
  it('VRRP virtual MACs follow RFC 5798', () => {
    expect(vrrpMac(51, 4)).toBe('00:00:5e:00:01:33');
    expect(vrrpMac(1, 6)).toBe('00:00:5e:00:02:01');
  });
  it('the LVS-only configuration keeps global_defs without VRRP settings and the virtual servers', () => {
    const text = `global_defs {\n    router_id LB\n    vrrp_garp_master_delay 1\n}\nvrrp_instance V {\n    interface eth0\n    virtual_router_id 1\n    virtual_ipaddress {\n        192.0.2.1\n    }\n}\nvirtual_server 192.0.2.1 80 {\n    lvs_sched rr\n    lvs_method DR\n    real_server 192.0.2.5 80 {\n        TCP_CHECK {\n            connect_timeout 3\n        }\n    }\n}\n`;
    const fe = readNodes([{ name: 'n1', entry: '/k.conf' }], MemoryFileSystem.of({ '/k.conf': text }));
    expect(renderLvsConfig(fe.nodes[0].config)).toBe(
      '# LVS part of keepalived.conf, for keepalived --check under Pacemaker (written by ka2pcmk)\nglobal_defs {\n    router_id LB\n}\nvirtual_server 192.0.2.1 80 {\n    lvs_sched rr\n    lvs_method DR\n    real_server 192.0.2.5 80 {\n        TCP_CHECK {\n            connect_timeout 3\n        }\n    }\n}\n',
    );
  });
});

describe("keepalived's load-time weight rules in a sync group (vrrp.c)", () => {
  const conf = `vrrp_script chk {\n    script "/usr/local/bin/chk"\n    weight -20\n}\nvrrp_sync_group SG {\n    group {\n        VI_1\n    }\n}\nvrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n    virtual_ipaddress {\n        192.0.2.1/24\n    }\n    track_script {\n        chk\n    }\n    track_interface {\n        eth1 weight -10\n    }\n}\n`;
  it('ignores a weighted script and turns a weighted interface into FAULT, as keepalived does', async () => {
    const { mapToPacemaker } = await import('../../src/map/index.js');
    const fe = readNodes([{ name: 'n1', entry: '/k.conf' }], MemoryFileSystem.of({ '/k.conf': conf }));
    const r = mapToPacemaker(fe.nodes.map((n) => ({ name: n.name, config: n.config })), { stonithDisabled: true });
    const entry = (text: string) => r.ledger.find((e) => e.text === text)!;
    expect(entry('chk').fidelity).toBe('dropped');
    expect(entry('chk').reason).toContain('sync group SG without sync_group_tracking_weight');
    expect(entry('eth1 weight -10').fidelity).toBe('approximate');
    const rules = r.model.cib.constraints.filter((c) => c.kind === 'location' && 'rule' in c);
    expect(rules.map((c) => ('rule' in c ? c.rule.score : undefined))).toEqual(['-INFINITY']);
  });
});

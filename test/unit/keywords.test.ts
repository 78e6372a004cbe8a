/**
 * The keyword tables against keepalived itself: the lists below were taken
 * from the install_keyword* calls of keepalived 2.2.7 (and of its later
 * releases), so a table that drifts from keepalived fails here.
 */
import {
  KEEPALIVED_TARGET_VERSION,
  ROOT,
  compareVersions,
  knownToTarget,
  lookup,
  tableAt,
  type KeywordSpec,
  type KeywordTable,
} from '../../src/keywords/index.js';

/** Every keyword keepalived 2.2.7 installs (install_keyword* in its parsers), by enclosing block path ('' = root). */
const INSTALLED_2_2_7: Readonly<Record<string, readonly string[]>> = {
  '': [
    'SSL', 'bfd_instance', 'child_wait_time', 'garp_group', 'global_defs', 'instance',
    'interface_up_down_delays', 'linkbeat_interfaces', 'linkbeat_use_polling', 'namespace_with_ipsets',
    'net_namespace', 'net_namespace_ipvs', 'static_ipaddress', 'static_routes', 'static_rules', 'track_file',
    'track_group', 'use_pid_dir', 'virtual_server', 'virtual_server_group', 'vrrp_instance', 'vrrp_script',
    'vrrp_sync_group', 'vrrp_track_file', 'vrrp_track_process',
  ],
  'SSL': [
    'ca', 'certificate', 'key', 'password',
  ],
  'bfd_instance': [
    'checker', 'hoplimit', 'idle_tx', 'max_hops', 'min_rx', 'min_tx', 'multiplier', 'neighbor_ip',
    'neighbour_ip', 'passive', 'source_ip', 'ttl', 'vrrp', 'weight',
  ],
  'garp_group': [
    'garp_interval', 'gna_interval', 'interface', 'interfaces',
  ],
  'global_defs': [
    'bfd_cpu_affinity', 'bfd_no_swap', 'bfd_priority', 'bfd_process_name', 'bfd_rlimit_rtime',
    'bfd_rlimit_rttime', 'bfd_rt_priority', 'checker_cpu_affinity', 'checker_log_all_failures',
    'checker_no_swap', 'checker_priority', 'checker_process_name', 'checker_rlimit_rtime',
    'checker_rlimit_rttime', 'checker_rt_priority', 'config_save_dir', 'data_use_instance',
    'dbus_service_name', 'default_interface', 'disable_local_igmp', 'dynamic_interfaces', 'enable_dbus',
    'enable_script_security', 'enable_snmp_checker', 'enable_snmp_keepalived', 'enable_snmp_rfc',
    'enable_snmp_rfcv2', 'enable_snmp_rfcv3', 'enable_snmp_vrrp', 'enable_traps',
    'fifo_write_vrrp_states_on_reload', 'include_check', 'log_unknown_vrids', 'lvs_flush',
    'lvs_flush_on_stop', 'lvs_flush_onstop', 'lvs_netlink_cmd_rcv_bufs', 'lvs_netlink_cmd_rcv_bufs_force',
    'lvs_netlink_monitor_rcv_bufs', 'lvs_netlink_monitor_rcv_bufs_force', 'lvs_notify_fifo',
    'lvs_notify_fifo_script', 'lvs_process_name', 'lvs_sync_daemon', 'lvs_timeouts', 'max_auto_priority',
    'min_auto_priority_delay', 'nftables', 'nftables_counters', 'nftables_ifindex', 'nftables_ipvs',
    'nftables_ipvs_priority', 'nftables_ipvs_start_fwmark', 'nftables_priority', 'no_checker_emails',
    'no_email_faults', 'notification_email', 'notification_email_from', 'notify_fifo', 'notify_fifo_script',
    'process_monitor_rcv_bufs', 'process_monitor_rcv_bufs_force', 'process_name', 'process_names',
    'random_seed', 'reload_check_config', 'reload_file', 'reload_repeat', 'reload_time_file', 'router_id',
    'rs_init_notifies', 'script_user', 'shutdown_script', 'shutdown_script_timeout', 'smtp_alert',
    'smtp_alert_checker', 'smtp_alert_vrrp', 'smtp_connect_timeout', 'smtp_helo_name', 'smtp_server',
    'snmp_socket', 'startup_script', 'startup_script_timeout', 'tmp_config_directory', 'umask',
    'vmac_addr_prefix', 'vmac_prefix', 'vrrp_check_unicast_src', 'vrrp_cpu_affinity',
    'vrrp_down_timer_adverts', 'vrrp_garp_extra_if', 'vrrp_garp_interval', 'vrrp_garp_lower_prio_delay',
    'vrrp_garp_lower_prio_repeat', 'vrrp_garp_master_delay', 'vrrp_garp_master_refresh',
    'vrrp_garp_master_refresh_repeat', 'vrrp_garp_master_repeat', 'vrrp_gna_interval',
    'vrrp_higher_prio_send_advert', 'vrrp_ipsets', 'vrrp_iptables', 'vrrp_lower_prio_no_advert',
    'vrrp_mcast_group4', 'vrrp_mcast_group6', 'vrrp_min_garp', 'vrrp_netlink_cmd_rcv_bufs',
    'vrrp_netlink_cmd_rcv_bufs_force', 'vrrp_netlink_monitor_rcv_bufs',
    'vrrp_netlink_monitor_rcv_bufs_force', 'vrrp_no_swap', 'vrrp_notify_fifo', 'vrrp_notify_fifo_script',
    'vrrp_notify_priority_changes', 'vrrp_priority', 'vrrp_process_name', 'vrrp_rlimit_rtime',
    'vrrp_rlimit_rttime', 'vrrp_rt_priority', 'vrrp_rx_bufs_multiplier', 'vrrp_rx_bufs_policy',
    'vrrp_skip_check_adv_addr', 'vrrp_startup_delay', 'vrrp_strict', 'vrrp_version', 'vrrp_vmac_garp_intvl',
  ],
  'track_file': [
    'file', 'init_file', 'weight',
  ],
  'track_group': [
    'group',
  ],
  'virtual_server': [
    'alpha', 'connect_timeout', 'delay_before_retry', 'delay_loop', 'flag-1', 'flag-2', 'flag-3',
    'ha_suspend', 'hashed', 'hysteresis', 'inhibit_on_failure', 'ip_family', 'lb_algo', 'lb_kind',
    'lvs_method', 'lvs_sched', 'mh-fallback', 'mh-port', 'omega', 'ops', 'persistence_engine',
    'persistence_granularity', 'persistence_timeout', 'protocol', 'quorum', 'quorum_down', 'quorum_up',
    'real_server', 'retry', 'sh-fallback', 'sh-port', 'smtp_alert', 'snmp_name', 'sorry_server',
    'sorry_server_inhibit', 'sorry_server_lvs_method', 'virtualhost', 'warmup', 'weight',
  ],
  'virtual_server/real_server': [
    'BFD_CHECK', 'DNS_CHECK', 'FILE_CHECK', 'HTTP_GET', 'MISC_CHECK', 'PING_CHECK', 'SMTP_CHECK', 'SSL_GET',
    'TCP_CHECK', 'UDP_CHECK', 'alpha', 'connect_timeout', 'delay_before_retry', 'delay_loop',
    'inhibit_on_failure', 'lthreshold', 'lvs_method', 'notify_down', 'notify_up', 'retry', 'smtp_alert',
    'snmp_name', 'uthreshold', 'virtualhost', 'warmup', 'weight',
  ],
  'virtual_server/real_server/BFD_CHECK': [
    'alpha', 'name',
  ],
  'virtual_server/real_server/DNS_CHECK': [
    'alpha', 'bind_if', 'bind_port', 'bindto', 'connect_ip', 'connect_port', 'connect_timeout',
    'delay_before_retry', 'delay_loop', 'fwmark', 'log_all_failures', 'name', 'retry', 'type', 'warmup',
  ],
  'virtual_server/real_server/FILE_CHECK': [
    'track_file', 'weight',
  ],
  'virtual_server/real_server/HTTP_GET': [
    'alpha', 'bind_if', 'bind_port', 'bindto', 'connect_ip', 'connect_port', 'connect_timeout',
    'delay_before_retry', 'delay_loop', 'enable_sni', 'fast_recovery', 'fwmark', 'http_protocol',
    'log_all_failures', 'nb_get_retry', 'retry', 'url', 'virtualhost', 'warmup',
  ],
  'virtual_server/real_server/HTTP_GET/url': [
    'digest', 'path', 'regex', 'regex_max_offset', 'regex_min_offset', 'regex_no_match', 'regex_options',
    'regex_stack', 'status_code', 'virtualhost',
  ],
  'virtual_server/real_server/MISC_CHECK': [
    'alpha', 'delay_before_retry', 'delay_loop', 'log_all_failures', 'misc_dynamic', 'misc_path',
    'misc_timeout', 'retry', 'user', 'warmup',
  ],
  'virtual_server/real_server/PING_CHECK': [
    'alpha', 'bind_if', 'bind_port', 'bindto', 'connect_ip', 'connect_port', 'connect_timeout',
    'delay_before_retry', 'delay_loop', 'fwmark', 'log_all_failures', 'retry', 'warmup',
  ],
  'virtual_server/real_server/SMTP_CHECK': [
    'alpha', 'bind_if', 'bind_port', 'bindto', 'connect_ip', 'connect_port', 'connect_timeout',
    'delay_before_retry', 'delay_loop', 'fwmark', 'helo_name', 'host', 'log_all_failures', 'retry', 'warmup',
  ],
  'virtual_server/real_server/SMTP_CHECK/host': [
    'alpha', 'bind_if', 'bind_port', 'bindto', 'connect_ip', 'connect_port', 'connect_timeout',
    'delay_before_retry', 'delay_loop', 'fwmark', 'log_all_failures', 'retry', 'warmup',
  ],
  'virtual_server/real_server/SSL_GET': [
    'alpha', 'bind_if', 'bind_port', 'bindto', 'connect_ip', 'connect_port', 'connect_timeout',
    'delay_before_retry', 'delay_loop', 'enable_sni', 'fast_recovery', 'fwmark', 'http_protocol',
    'log_all_failures', 'nb_get_retry', 'retry', 'url', 'virtualhost', 'warmup',
  ],
  'virtual_server/real_server/SSL_GET/url': [
    'digest', 'path', 'regex', 'regex_max_offset', 'regex_min_offset', 'regex_no_match', 'regex_options',
    'regex_stack', 'status_code', 'virtualhost',
  ],
  'virtual_server/real_server/TCP_CHECK': [
    'alpha', 'bind_if', 'bind_port', 'bindto', 'connect_ip', 'connect_port', 'connect_timeout',
    'delay_before_retry', 'delay_loop', 'fwmark', 'log_all_failures', 'retry', 'warmup',
  ],
  'virtual_server/real_server/UDP_CHECK': [
    'alpha', 'bind_if', 'bind_port', 'bindto', 'connect_ip', 'connect_port', 'connect_timeout',
    'delay_before_retry', 'delay_loop', 'fwmark', 'log_all_failures', 'max_reply_length', 'min_reply_length',
    'payload', 'require_reply', 'retry', 'warmup',
  ],
  'vrrp_instance': [
    'accept', 'advert_int', 'authentication', 'check_unicast_src', 'debug', 'dont_track_primary',
    'down_timer_adverts', 'garp_extra_if', 'garp_lower_prio_delay', 'garp_lower_prio_repeat',
    'garp_master_delay', 'garp_master_refresh', 'garp_master_refresh_repeat', 'garp_master_repeat',
    'higher_prio_send_advert', 'interface', 'kernel_rx_buf_size', 'linkbeat_use_polling',
    'lower_prio_no_advert', 'lvs_sync_daemon_interface', 'mcast_dst_ip', 'mcast_src_ip', 'native_ipv6',
    'no_accept', 'nopreempt', 'notify', 'notify_backup', 'notify_deleted', 'notify_fault', 'notify_master',
    'notify_master_rx_lower_pri', 'notify_priority_changes', 'notify_stop', 'old_unicast_checksum',
    'preempt', 'preempt_delay', 'priority', 'promote_secondaries', 'skip_check_adv_addr', 'smtp_alert',
    'state', 'strict_mode', 'track_bfd', 'track_file', 'track_interface', 'track_process', 'track_script',
    'track_src_ip', 'unicast_fault_no_peer', 'unicast_peer', 'unicast_src_ip', 'unicast_ttl', 'use_ipvlan',
    'use_vmac', 'use_vmac_addr', 'version', 'virtual_ipaddress', 'virtual_ipaddress_excluded',
    'virtual_router_id', 'virtual_routes', 'virtual_rules', 'vmac_garp_intvl', 'vmac_xmit_base', 'vrf',
  ],
  'vrrp_instance/authentication': [
    'auth_pass', 'auth_type',
  ],
  'vrrp_script': [
    'fall', 'init_fail', 'interval', 'rise', 'script', 'timeout', 'user', 'weight',
  ],
  'vrrp_sync_group': [
    'global_tracking', 'group', 'notify', 'notify_backup', 'notify_fault', 'notify_master',
    'notify_priority_changes', 'notify_stop', 'smtp_alert', 'sync_group_tracking_weight', 'track_bfd',
    'track_file', 'track_interface', 'track_process', 'track_script',
  ],
  'vrrp_track_file': [
    'file', 'init_file', 'weight',
  ],
  'vrrp_track_process': [
    'delay', 'fork_delay', 'full_command', 'param_match', 'process', 'quorum', 'quorum_max',
    'terminate_delay', 'weight',
  ],
};

/** Keywords installed by keepalived releases after 2.2.7 (up to the 2.4.x development head) but not by 2.2.7. */
const NEWER_THAN_2_2_7: Readonly<Record<string, readonly string[]>> = {
  'bfd_instance': [
    'multihop',
  ],
  'global_defs': [
    'dbus_no_interface_name', 'iproute_etc_dir', 'iproute_usr_dir', 'json_dump_file', 'json_version',
    'set_supplementary_groups', 'snmp_rs_stats_update_interval', 'snmp_vs_stats_update_interval',
    'state_dump_file', 'stats_dump_file', 'use_symlink_paths', 'v3_checksum_as_v2', 'vrrp_delay_after_boot',
    'vrrp_owner_ignore_adverts',
  ],
  'virtual_server/real_server/HTTP_GET': [
    'sni_name', 'tls_compliant',
  ],
  'virtual_server/real_server/HTTP_GET/url': [
    'tls_compliant',
  ],
  'virtual_server/real_server/SSL_GET': [
    'sni_name', 'tls_compliant',
  ],
  'virtual_server/real_server/SSL_GET/url': [
    'tls_compliant',
  ],
  'vrrp_instance': [
    'auth_hmac', 'no_virtual_ipaddress', 'owner_ignore_adverts', 'thread_timer_expired',
    'timer_expired_backup', 'v3_checksum_as_v2',
  ],
  'vrrp_instance/auth_hmac': [
    'active_key', 'anti_replay', 'key', 'mode', 'time_window',
  ],
};

/** Every keyword of the tree with the path of its enclosing block. */
function walk(table: KeywordTable, path: string[] = []): Array<{ path: string[]; spec: KeywordSpec }> {
  const out: Array<{ path: string[]; spec: KeywordSpec }> = [];
  for (const spec of Object.values(table)) {
    out.push({ path, spec });
    if (spec.children) out.push(...walk(spec.children, [...path, spec.name]));
  }
  return out;
}

const ALL = walk(ROOT);
const where = (e: { path: string[]; spec: KeywordSpec }): string => [...e.path, e.spec.name].join('/');

describe('keyword tables: coverage of keepalived 2.2.7', () => {
  it('targets 2.2.7', () => {
    expect(KEEPALIVED_TARGET_VERSION).toBe('2.2.7');
  });

  it('knows every keyword 2.2.7 installs, as known to 2.2.7', () => {
    const missing: string[] = [];
    const wronglyMarked: string[] = [];
    for (const [block, names] of Object.entries(INSTALLED_2_2_7)) {
      const path = block === '' ? [] : block.split('/');
      for (const name of names) {
        const spec = lookup(path, name);
        if (!spec) missing.push(`${block}/${name}`);
        else if (!knownToTarget(spec)) wronglyMarked.push(`${block}/${name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(wronglyMarked).toEqual([]);
  });

  it('claims no keyword for 2.2.7 that 2.2.7 does not install', () => {
    const invented = ALL.filter((e) => knownToTarget(e.spec))
      .filter((e) => !(INSTALLED_2_2_7[e.path.join('/')] ?? []).includes(e.spec.name))
      .map(where);
    expect(invented).toEqual([]);
  });

  it('marks keywords of later releases with a since newer than 2.2.7', () => {
    const problems: string[] = [];
    for (const [block, names] of Object.entries(NEWER_THAN_2_2_7)) {
      const path = block === '' ? [] : block.split('/');
      for (const name of names) {
        const spec = lookup(path, name);
        if (!spec?.since || compareVersions(spec.since, KEEPALIVED_TARGET_VERSION) <= 0) problems.push(`${block}/${name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has about 340 distinct keyword names, as the man page says', () => {
    const names = new Set(ALL.map((e) => e.spec.name));
    expect(names.size).toBeGreaterThan(320);
    expect(ALL.length).toBeGreaterThanOrEqual(501);
  });
});

describe('keyword tables: shape', () => {
  it('gives every int and decimal a sane range', () => {
    const bad: string[] = [];
    for (const e of ALL) {
      for (const a of e.spec.args ?? []) {
        if (a.arg.type === 'int') {
          if (!(a.arg.min <= a.arg.max) || !Number.isInteger(a.arg.min) || !Number.isInteger(a.arg.max)) bad.push(where(e));
        } else if (a.arg.type === 'decimal') {
          if (!(a.arg.min <= a.arg.max) || a.arg.min < 0 || !Number.isInteger(a.arg.decimals)) bad.push(where(e));
        } else if (a.arg.type === 'enum') {
          if (a.arg.values.length === 0) bad.push(where(e));
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('only lets the last argument repeat, and no required argument follows an optional one', () => {
    const bad = ALL.filter((e) => {
      const args = e.spec.args ?? [];
      return args.some((a, i) => (a.repeat && i !== args.length - 1) || (!a.optional && !a.repeat && args.slice(0, i).some((b) => b.optional)));
    }).map(where);
    expect(bad).toEqual([]);
  });

  it('gives every keywords block children, every lines block a line format, and nothing else either', () => {
    const bad = ALL.filter(({ spec }) => {
      if (spec.block === 'keywords') return !spec.children || Object.keys(spec.children).length === 0 || spec.line !== undefined;
      if (spec.block === 'lines') return spec.line === undefined || spec.children !== undefined;
      return spec.children !== undefined || spec.line !== undefined || spec.blockOptional !== undefined;
    }).map(where);
    expect(bad).toEqual([]);
  });

  it('keys every table by the keyword name and documents every keyword on one line', () => {
    const bad: string[] = [];
    const check = (table: KeywordTable, path: string[]): void => {
      for (const [key, spec] of Object.entries(table)) {
        if (key !== spec.name || !spec.doc.trim() || /\n/.test(spec.doc)) bad.push([...path, key].join('/'));
        if (spec.children) check(spec.children, [...path, key]);
      }
    };
    check(ROOT, []);
    expect(bad).toEqual([]);
  });

  it('writes versions as dotted numbers and points deprecations at keywords that exist', () => {
    const bad: string[] = [];
    for (const e of ALL) {
      for (const v of [e.spec.since, e.spec.removed]) if (v !== undefined && !/^\d+\.\d+\.\d+$/.test(v)) bad.push(where(e));
      const r = e.spec.deprecated?.replacement;
      if (r && !lookup(e.path, r) && !lookup([], r) && !lookup(['global_defs'], r)) bad.push(`${where(e)} -> ${r}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('keyword tables: lookups', () => {
  it('finds root, nested and deeply nested keywords', () => {
    expect(lookup([], 'vrrp_instance')).toMatchObject({ block: 'keywords', repeatable: true });
    expect(lookup(['vrrp_instance'], 'priority')?.args).toEqual([{ name: 'priority', arg: { type: 'int', min: 1, max: 255 } }]);
    expect(lookup(['virtual_server', 'real_server', 'HTTP_GET', 'url'], 'status_code')).toBeDefined();
    expect(lookup(['vrrp_instance', 'authentication'], 'auth_type')?.args?.[0].arg).toEqual({ type: 'enum', values: ['PASS', 'AH'] });
    expect(tableAt([])).toBe(ROOT);
  });

  it('returns undefined for unknown names and for paths through non-blocks', () => {
    expect(lookup([], 'no_such_keyword')).toBeUndefined();
    expect(lookup(['no_such_block'], 'priority')).toBeUndefined();
    expect(lookup(['vrrp_instance', 'priority'], 'x')).toBeUndefined();
    expect(lookup(['vrrp_instance', 'virtual_ipaddress'], '10.0.0.1/24')).toBeUndefined();
    expect(lookup([], 'toString')).toBeUndefined();
    expect(lookup(['vrrp_instance'], 'PRIORITY')).toBeUndefined();
  });

  it('shares the checker keywords between checkers and keeps MISC_CHECK without connection options', () => {
    expect(lookup(['virtual_server', 'real_server', 'TCP_CHECK'], 'connect_port')).toBe(
      lookup(['virtual_server', 'real_server', 'SSL_GET'], 'connect_port'),
    );
    expect(lookup(['virtual_server', 'real_server', 'MISC_CHECK'], 'connect_ip')).toBeUndefined();
    expect(lookup(['virtual_server', 'real_server', 'MISC_CHECK'], 'delay_loop')).toBeDefined();
  });
});

describe('keyword tables: what real configs need', () => {
  it('reads value blocks with the right line format', () => {
    const cases: Array<[string[], string, string]> = [
      [['vrrp_instance'], 'virtual_ipaddress', 'vip'],
      [['vrrp_instance'], 'virtual_ipaddress_excluded', 'vip'],
      [['vrrp_instance'], 'track_script', 'track-script'],
      [['vrrp_instance'], 'track_interface', 'track-interface'],
      [['vrrp_instance'], 'unicast_peer', 'address'],
      [['vrrp_instance'], 'virtual_routes', 'route'],
      [['vrrp_instance'], 'virtual_rules', 'rule'],
      [['vrrp_sync_group'], 'group', 'instance-ref'],
      [['global_defs'], 'notification_email', 'email'],
      [[], 'static_ipaddress', 'vip'],
      [[], 'static_routes', 'route'],
      [[], 'static_rules', 'rule'],
      [[], 'virtual_server_group', 'vsg-entry'],
    ];
    for (const [path, name, line] of cases) expect([name, lookup(path, name)?.block, lookup(path, name)?.line]).toEqual([name, 'lines', line]);
  });

  it('has the enumerations keepalived checks', () => {
    const values = (path: string[], name: string): readonly string[] | undefined => {
      const a = lookup(path, name)?.args?.[0].arg;
      return a?.type === 'enum' ? a.values : undefined;
    };
    expect(values(['vrrp_instance'], 'state')).toEqual(['MASTER', 'BACKUP']);
    expect(values(['virtual_server'], 'lvs_method')).toEqual(['NAT', 'DR', 'TUN']);
    expect(values(['virtual_server', 'real_server'], 'lvs_method')).toEqual(['NAT', 'DR', 'TUN']);
    expect(values(['virtual_server'], 'lvs_sched')).toEqual(values(['virtual_server'], 'lb_algo'));
    expect(values(['virtual_server'], 'lvs_sched')).toEqual(expect.arrayContaining(['rr', 'wrr', 'lc', 'wlc', 'sh', 'mh']));
    expect(lookup(['virtual_server'], 'protocol')?.args?.[0].arg).toEqual({ type: 'enum', values: ['TCP', 'UDP', 'SCTP'], ci: true });
  });

  it('uses the ranges of the 2.2.7 handlers (checked with keepalived -t)', () => {
    const range = (path: string[], name: string, i = 0): [number, number] | undefined => {
      const a = lookup(path, name)?.args?.[i].arg;
      return a && (a.type === 'int' || a.type === 'decimal') ? [a.min, a.max] : undefined;
    };
    expect(range(['vrrp_instance'], 'virtual_router_id')).toEqual([1, 255]);
    expect(range(['vrrp_instance'], 'advert_int')).toEqual([0.01, 255]);
    expect(range(['vrrp_script'], 'weight')).toEqual([-253, 253]);
    expect(range(['vrrp_script'], 'rise')).toEqual([1, 2147483647]);
    expect(range(['global_defs'], 'vrrp_garp_master_delay')).toEqual([0, 4294]);
    expect(range(['global_defs'], 'vrrp_version')).toEqual([2, 3]);
    expect(range(['virtual_server'], 'persistence_timeout')).toEqual([1, 2678400]);
    expect(range(['virtual_server', 'real_server'], 'weight')).toEqual([0, 2147483647]);
    expect(range(['virtual_server', 'real_server', 'TCP_CHECK'], 'connect_port')).toEqual([1, 65535]);
    expect(range(['virtual_server', 'real_server', 'TCP_CHECK'], 'connect_timeout')).toEqual([0.000001, 4294.967295]);
  });

  it('marks keywords that 2.2.7 no longer knows as removed', () => {
    for (const [path, name] of [
      [['virtual_server'], 'nat_mask'],
      [['global_defs'], 'lvs_id'],
      [['global_defs'], 'plugin_dir'],
    ] as Array<[string[], string]>) {
      const spec = lookup(path, name);
      expect(spec?.removed).toBeDefined();
      expect(knownToTarget(spec!)).toBe(false);
    }
    expect(lookup(['global_defs'], 'lvs_id')?.deprecated?.replacement).toBe('router_id');
  });

  it('names the replacement of old keywords', () => {
    expect(lookup(['virtual_server'], 'lb_algo')?.deprecated?.replacement).toBe('lvs_sched');
    expect(lookup(['virtual_server'], 'lb_kind')?.deprecated?.replacement).toBe('lvs_method');
    expect(lookup([], 'vrrp_track_file')?.deprecated?.replacement).toBe('track_file');
    expect(lookup(['virtual_server', 'real_server', 'HTTP_GET'], 'nb_get_retry')?.deprecated?.replacement).toBe('retry');
    expect(lookup(['vrrp_instance'], 'priority')?.deprecated).toBeUndefined();
  });

  it('knows what later releases added, as not known to 2.2.7', () => {
    const hmac = lookup(['vrrp_instance'], 'auth_hmac');
    expect(hmac?.since).toBe('2.4.0');
    expect(knownToTarget(hmac!)).toBe(false);
    expect(lookup(['vrrp_instance', 'auth_hmac'], 'key')).toBeDefined();
    expect(lookup(['vrrp_instance'], 'no_virtual_ipaddress')?.since).toBe('2.2.8');
    expect(lookup(['vrrp_instance'], 'track_process')?.since).toBe('2.0.11');
    expect(knownToTarget(lookup(['vrrp_instance'], 'track_process')!)).toBe(true);
  });
});

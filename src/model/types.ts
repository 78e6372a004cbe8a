/**
 * The keepalived semantic model: what one node's configuration means, with
 * every element's source span. Built from the AST by build.ts, driven by the
 * keyword table; consumed by the mapping to Pacemaker.
 */
import type { Span } from '../diag/span.js';
import type { Statement, Word } from '../parse/ast.js';

/** Every keyword line of the configuration, for the fidelity ledger: nothing may be dropped silently. */
export interface Directive {
  /** Enclosing blocks, outermost first, e.g. ['vrrp_instance VI_1', 'track_script']. */
  readonly path: readonly string[];
  readonly keyword: string;
  readonly args: readonly Word[];
  readonly span: Span;
  /** The owning object, e.g. 'vrrp_instance:VI_1', 'global_defs', 'virtual_server:10.0.0.1 80'. */
  readonly owner: string;
  readonly statement: Statement;
}

export interface Vip {
  readonly address: string;
  readonly family: 4 | 6;
  /** The prefix keepalived uses: as written, or /32 (/128 for IPv6) when none is written. */
  readonly prefix: number;
  readonly prefixWritten: boolean;
  readonly brd?: string;
  readonly dev?: string;
  readonly label?: string;
  readonly scope?: string;
  readonly peer?: string;
  readonly noTrack: boolean;
  /** Further options keepalived accepts (home, -nodad, noprefixroute, autojoin, track_group): kept for the ledger. */
  readonly options: readonly string[];
  readonly span: Span;
}

export interface TrackRef {
  readonly name: string;
  /** Absent: the object's own weight (scripts, files) or 0 (interfaces). */
  readonly weight?: number;
  /**
   * `weight N reverse` (true) or `weight N noreverse` (false, not for
   * interfaces); absent: the tracked object's own `reverse` (none for an
   * interface). keepalived reads either word only after a weight.
   */
  readonly reverse?: boolean;
  readonly span: Span;
}

export interface ScriptCall {
  /** The command as keepalived runs it (argv[0] and arguments, split as keepalived splits them). */
  readonly argv: readonly string[];
  readonly span: Span;
}

export interface RouteSpec {
  /** The words of the route as written (ip route syntax). */
  readonly words: readonly string[];
  readonly to?: string;
  readonly via?: string;
  readonly dev?: string;
  readonly table?: string;
  readonly span: Span;
}

export interface VrrpInstance {
  readonly name: string;
  readonly span: Span;
  state?: 'MASTER' | 'BACKUP';
  interface?: string;
  virtualRouterId?: number;
  /** As written; keepalived's default is 100 (255 for an address owner is written explicitly). */
  priority?: number;
  /** Seconds; default 1. */
  advertInt?: number;
  version?: number;
  nopreempt: boolean;
  /** `dont_track_primary`: keepalived does not fault the instance on its own interface's (or a VIP's on it) link state. */
  dontTrackPrimary?: boolean;
  preemptDelay?: number;
  useVmac?: string | true;
  vips: Vip[];
  excludedVips: Vip[];
  virtualRoutes: RouteSpec[];
  virtualRules: RouteSpec[];
  trackScripts: TrackRef[];
  trackInterfaces: TrackRef[];
  trackFiles: TrackRef[];
  trackProcesses: TrackRef[];
  trackBfds: TrackRef[];
  notify: Partial<Record<'master' | 'backup' | 'fault' | 'stop' | 'deleted' | 'generic' | 'master_rx_lower_pri', ScriptCall>>;
  smtpAlert?: boolean;
  authentication?: { type: 'PASS' | 'AH'; pass?: string; span: Span };
  unicastSrcIp?: string;
  unicastPeers: { address: string; span: Span }[];
  mcastSrcIp?: string;
  garp: {
    masterDelay?: number;
    masterRepeat?: number;
    masterRefresh?: number;
    masterRefreshRepeat?: number;
    interval?: number;
    lowerPrioDelay?: number;
    lowerPrioRepeat?: number;
  };
  /** The sync group this instance belongs to, if any. */
  syncGroup?: string;
}

export interface VrrpScript {
  readonly name: string;
  readonly span: Span;
  script?: ScriptCall;
  interval?: number;
  timeout?: number;
  weight?: number;
  weightReverse?: boolean;
  rise?: number;
  fall?: number;
  user?: string;
  initFail?: boolean;
}

export interface TrackFile {
  readonly name: string;
  readonly span: Span;
  /** The root keyword it is defined with; its directives' owner is `${keyword}:${name}`. */
  readonly keyword: 'track_file' | 'vrrp_track_file';
  file?: string;
  weight?: number;
  weightReverse?: boolean;
  /**
   * `init_file [VALUE] [overwrite]`: keepalived writes `value` (default 0) to
   * the file at start when it is missing, or always with `overwrite`.
   */
  initFile?: { value: number; overwrite: boolean };
}

export interface TrackProcess {
  readonly name: string;
  readonly span: Span;
  process?: string;
  param?: string;
  quorum?: number;
  quorumMax?: number;
  weight?: number;
  weightReverse?: boolean;
  delay?: number;
}

export interface SyncGroup {
  readonly name: string;
  readonly span: Span;
  members: { name: string; span: Span }[];
  notify: VrrpInstance['notify'];
  smtpAlert?: boolean;
  trackScripts: TrackRef[];
  trackInterfaces: TrackRef[];
  trackFiles: TrackRef[];
  trackProcesses: TrackRef[];
  trackBfds: TrackRef[];
}

export interface Checker {
  readonly kind: string;
  readonly span: Span;
  /** The checker's settings as keyword → words. */
  readonly settings: Readonly<Record<string, readonly string[]>>;
}

export interface RealServer {
  readonly address: string;
  readonly port?: string;
  readonly span: Span;
  weight?: number;
  checks: Checker[];
}

export interface VirtualServer {
  /** `ADDR PORT`, `fwmark N` or `group NAME`, as written. */
  readonly key: string;
  readonly kind: 'address' | 'fwmark' | 'group';
  readonly address?: string;
  readonly port?: string;
  readonly span: Span;
  protocol?: string;
  scheduler?: string;
  method?: string;
  delayLoop?: number;
  persistenceTimeout?: number;
  realServers: RealServer[];
  sorryServer?: { address: string; port?: string; span: Span };
}

export interface GlobalDefs {
  span?: Span;
  routerId?: string;
  notificationEmail: string[];
  notificationEmailFrom?: string;
  smtpServer?: string;
  enableScriptSecurity: boolean;
  scriptUser?: string;
  /** Global defaults for every instance's GARP settings. */
  garp: VrrpInstance['garp'];
}

/** One node's configuration as keepalived understands it. */
export interface KeepalivedConfig {
  /** The config-id the `@` lines were evaluated for. */
  readonly configId: string | undefined;
  /** Every file read (paths). */
  readonly files: readonly string[];
  globalDefs: GlobalDefs;
  instances: VrrpInstance[];
  scripts: VrrpScript[];
  trackFiles: TrackFile[];
  trackProcesses: TrackProcess[];
  syncGroups: SyncGroup[];
  virtualServers: VirtualServer[];
  virtualServerGroups: { name: string; span: Span; entries: string[][] }[];
  staticIpaddress: Vip[];
  staticRoutes: RouteSpec[];
  staticRules: RouteSpec[];
  bfdInstances: { name: string; span: Span }[];
  directives: Directive[];
}

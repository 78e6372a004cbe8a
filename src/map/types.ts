/**
 * The mapping's inputs and outputs: keepalived nodes in, a ClusterModel, a
 * fidelity ledger and diagnostics out. Pure: no I/O (notify scripts are read
 * beforehand and passed in as text).
 */
import type { Diagnostic } from '../diag/diagnostic.js';
import type { Span } from '../diag/span.js';
import type { KeepalivedConfig } from '../model/types.js';
import type { ClusterModel } from '../pcmk/model.js';

/**
 * How faithfully a directive survives the move:
 * - exact: same behaviour;
 * - approximate: same intent, different mechanism or timing (the reason says how);
 * - shim: needs a small ka2pcmk agent on the nodes;
 * - redesigned: VRRP plumbing that corosync replaces (VRID, adverts, authentication, peers);
 * - dropped: no equivalent; the reason says what is lost.
 */
export type Fidelity = 'exact' | 'approximate' | 'shim' | 'redesigned' | 'dropped';

export interface LedgerEntry {
  fidelity: Fidelity;
  /** The directive's keyword, e.g. `priority`, `track_script`. */
  keyword: string;
  /** What it belongs to, e.g. `vrrp_instance:VI_1`. */
  owner: string;
  /** The directive as written (keyword and arguments). */
  text: string;
  /** Where, in the original file. */
  span: Span;
  /** What it became in Pacemaker/corosync (resource ids, attributes), or '-' when dropped. */
  target: string;
  /** Why this mapping, and what differs. */
  reason: string;
}

/** One keepalived node as the mapping sees it. */
export interface MapNode {
  /** The cluster node name. */
  name: string;
  config: KeepalivedConfig;
  /** The node's address for corosync (default: its unicast_src_ip, else its name). */
  address?: string;
}

/** A shared-storage description, given by the user (or proposed from notify scripts). */
export interface StorageSpec {
  /** Block device, e.g. /dev/disk/by-label/shared or /dev/drbd0. */
  device: string;
  /** Mount point. */
  directory: string;
  fstype: string;
  /** Mount options, if any. */
  options?: string;
  /** NFS exports of the mounted directory (or a subdirectory). */
  exports: { clients: string; options: string; directory?: string; fsid?: string }[];
  /** A DRBD resource name when the device is DRBD (the filesystem then runs on the promoted node). */
  drbdResource?: string;
  /** The vrrp_instance whose VIPs serve it (default: the first instance). */
  instance?: string;
  /** Where this description came from (a notify script's line), when proposed. */
  proposedFrom?: Span;
}

export interface MapOptions {
  /** Corosync cluster_name; default derived from the instances' router ids, else 'ka2pcmk'. */
  clusterName?: string;
  /** The user accepts running without fencing (sets stonith-enabled=false). Never the default. */
  stonithDisabled?: boolean;
  /** A fence device the user names (agent and its parameters), e.g. fence_xvm. */
  fence?: { agent: string; params: Record<string, string> };
  /** Shared storage to manage (NFS group). */
  storage?: StorageSpec[];
  /** LVS virtual servers: keep keepalived as the checker (default) or use ldirectord. */
  lvs?: 'keepalived-checker' | 'ldirectord';
  /** Contents of scripts the configuration references (notify, vrrp_script), by path, when available. */
  scripts?: Readonly<Record<string, string>>;
  /** Use corosync's pcsd-free bootstrap (corosync.conf written directly) instead of pcs. */
  withoutPcsd?: boolean;
}

export interface MapResult {
  model: ClusterModel;
  ledger: LedgerEntry[];
  diagnostics: Diagnostic[];
  /** Shim agents the migration must install on every node, by OCF provider:type. */
  shims: string[];
  /** Per instance: the Pacemaker group that carries its VIPs and the scores per node (used by the behaviour proof). */
  instances: InstanceMapping[];
}

export interface InstanceMapping {
  instance: string;
  group: string;
  /** IPaddr2 resource ids, one per VIP. */
  vips: { address: string; prefix: number; resource: string }[];
  /** Base location score per node (the keepalived priority); nodes without the instance are absent. */
  scores: Record<string, number>;
  /** resource-stickiness set on the group (0 when keepalived preempts). */
  stickiness: number;
  /** Each tracked check: the node attribute that reflects it and the score it adds/subtracts. */
  checks: { kind: 'script' | 'interface' | 'file' | 'process' | 'service'; name: string; attribute?: string; weight: number; resource?: string }[];
}

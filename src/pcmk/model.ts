/**
 * The Pacemaker + Corosync configuration that ka2pcmk produces, as plain
 * typed data. The mapping from keepalived builds one `ClusterModel`; every
 * emitter (CIB XML, pcs, crmsh, corosync.conf, Ansible) reads it and none
 * changes it.
 *
 * Invariants the emitters rely on (checked by `validateModel`):
 * - every `id` is a valid XML id (see `makeId`) and unique across the CIB;
 * - constraints and clones refer to resources that exist in `resources`;
 * - attribute lists carry each name at most once.
 * Order is meaningful and preserved: group members start in list order, and
 * all other lists are emitted in model order, so a deterministic mapping
 * gives byte-for-byte reproducible output.
 */

/** Where in the keepalived configuration an element came from (1-based). */
export interface SourceRef {
  /** Path as the user named it (the original file, through includes). */
  file: string;
  line: number;
  column: number;
  /** The directive as written, e.g. `vrrp_instance VI_1`. */
  text: string;
}

/** Provenance carried by every element. */
export interface Traced {
  /** The keepalived directive this element was derived from. */
  source?: SourceRef;
  /** Free human text; becomes the `description` attribute where the schema has one. */
  description?: string;
}

/** One name/value pair (an `nvpair` in the CIB). */
export interface NvPair extends Traced {
  name: string;
  value: string;
}

/** Pacemaker scores: an integer or ±INFINITY (`+INFINITY` is written `INFINITY`). */
export type Score = number | 'INFINITY' | '-INFINITY';

/** Roles as Pacemaker 2.1 names them (`Master`/`Slave` are deprecated). */
export type Role = 'Started' | 'Stopped' | 'Promoted' | 'Unpromoted';

/** What Pacemaker does when an operation fails. */
export type OnFail = 'ignore' | 'block' | 'stop' | 'restart' | 'standby' | 'fence' | 'demote';

/** A resource agent: `ocf:heartbeat:IPaddr2`, `systemd:nginx`, `lsb:foo`. */
export interface Agent {
  class: 'ocf' | 'systemd' | 'lsb' | 'service' | 'stonith';
  /** Only for `ocf`. */
  provider?: string;
  type: string;
}

/** One `<op>`. Intervals and timeouts keep Pacemaker's duration syntax (`10s`, `0`, `2min`). */
export interface Operation extends Traced {
  name: 'monitor' | 'start' | 'stop' | 'promote' | 'demote' | 'notify' | 'reload' | 'migrate_to' | 'migrate_from';
  interval: string;
  timeout?: string;
  onFail?: OnFail;
  /** For monitors of promotable clones, one op per role. */
  role?: Role;
  /** Further op attributes (`start-delay`, `interval-origin`, `record-pending`...). */
  options?: NvPair[];
}

/** A primitive resource. */
export interface Primitive extends Traced {
  kind: 'primitive';
  id: string;
  agent: Agent;
  instanceAttributes?: NvPair[];
  metaAttributes?: NvPair[];
  /**
   * The operations, exactly. Emitters add none: the pcs script uses
   * `--no-default-ops`, which still makes pcs add a monitor op when there is
   * none, so give every primitive a monitor op.
   */
  operations?: Operation[];
}

/** A group: members start in order on one node and stop in reverse. */
export interface Group extends Traced {
  kind: 'group';
  id: string;
  members: Primitive[];
  metaAttributes?: NvPair[];
}

/**
 * A clone of a primitive or a group. `promotable: true` makes it a promotable
 * clone, written as Pacemaker 2.1 and pcs 0.11 do: `<clone>` with the meta
 * attribute `promotable=true` (emitters add it; do not put it in `metaAttributes`).
 */
export interface Clone extends Traced {
  kind: 'clone';
  id: string;
  child: Primitive | Group;
  promotable?: boolean;
  /** `clone-max`, `clone-node-max`, `interleave`, `notify`, `promoted-max`... */
  metaAttributes?: NvPair[];
}

/** A top-level resource. */
export type Resource = Primitive | Group | Clone;

/** Binary comparisons of a rule expression. */
export type CompareOp = 'lt' | 'gt' | 'lte' | 'gte' | 'eq' | 'ne';

/** How a rule compares values (`integer` needs Pacemaker ≥ 2.0.5). */
export type ValueType = 'string' | 'integer' | 'number' | 'version';

/** One node-attribute test inside a rule. `#uname` is the node's name. */
export type Expression = PresenceExpression | CompareExpression;

/** `defined pingd`, `not_defined pingd`. */
export interface PresenceExpression {
  op: 'defined' | 'not_defined';
  attribute: string;
}

/** `#uname eq node1`, `pingd lt 1` (typed `integer`). */
export interface CompareExpression {
  op: CompareOp;
  attribute: string;
  value: string;
  type?: ValueType;
}

/** True for `defined`/`not_defined` expressions, which have no value. */
export function isPresence(e: Expression): e is PresenceExpression {
  return e.op === 'defined' || e.op === 'not_defined';
}

/**
 * A location rule: the score applies on nodes where the expressions hold.
 * Flat by design (one boolean operator), which is all the mapping needs and
 * what both pcs and crmsh write without parentheses.
 */
export interface Rule {
  /** Defaults to `<constraint id>-rule`. */
  id?: string;
  /** Exactly one of `score` and `scoreAttribute`. */
  score?: Score;
  /** Take the score from this node attribute (e.g. `pingd`). */
  scoreAttribute?: string;
  /** Defaults to `and`. */
  booleanOp?: 'and' | 'or';
  expressions: Expression[];
}

interface LocationBase extends Traced {
  kind: 'location';
  id: string;
  rsc: string;
  role?: Role;
  resourceDiscovery?: 'always' | 'never' | 'exclusive';
}

/** `rsc` prefers (score > 0) or avoids (score < 0) `node`. */
export interface LocationToNode extends LocationBase {
  node: string;
  score: Score;
}

/** `rsc` gets the rule's score on nodes where the rule holds. */
export interface LocationByRule extends LocationBase {
  rule: Rule;
}

export type LocationConstraint = LocationToNode | LocationByRule;

/** `rsc` is placed relative to `withRsc` (decided first). */
export interface ColocationConstraint extends Traced {
  kind: 'colocation';
  id: string;
  rsc: string;
  withRsc: string;
  score: Score;
  rscRole?: Role;
  withRscRole?: Role;
}

/** Actions that order constraints name. */
export type OrderAction = 'start' | 'stop' | 'promote' | 'demote';

/** `first` (its `firstAction`) must complete before `then` (its `thenAction`). */
export interface OrderConstraint extends Traced {
  kind: 'order';
  id: string;
  first: string;
  then: string;
  /** Default `start`. */
  firstAction?: OrderAction;
  /** Default: the first action. */
  thenAction?: OrderAction;
  /** Default `Mandatory`. */
  orderKind?: 'Mandatory' | 'Optional' | 'Serialize';
  /** Default true for Mandatory/Optional. */
  symmetrical?: boolean;
}

export type Constraint = LocationConstraint | ColocationConstraint | OrderConstraint;

/** A recipient of an alert (a mail address, a log file: whatever the agent takes). */
export interface AlertRecipient extends Traced {
  id: string;
  value: string;
  instanceAttributes?: NvPair[];
  metaAttributes?: NvPair[];
}

/** A Pacemaker alert: `path` runs (as hacluster, asynchronously) on cluster events. */
export interface Alert extends Traced {
  id: string;
  path: string;
  instanceAttributes?: NvPair[];
  metaAttributes?: NvPair[];
  recipients?: AlertRecipient[];
}

/** A cluster node, shared by the CIB and corosync. */
export interface ClusterNode extends Traced {
  /** Node name (`uname`, corosync `name`). */
  name: string;
  /** Corosync nodeid, which Pacemaker also uses as the node's CIB id. */
  nodeId: number;
  /** One address per knet link, in link order (`ring0_addr`, `ring1_addr`...). */
  addresses: string[];
  /** Permanent node attributes. */
  attributes?: NvPair[];
}

/** The Pacemaker part: what goes into the CIB `<configuration>`. */
export interface CibModel {
  /** `crm_config` (cib-bootstrap-options), e.g. `stonith-enabled`. */
  properties?: NvPair[];
  rscDefaults?: NvPair[];
  opDefaults?: NvPair[];
  resources: Resource[];
  constraints: Constraint[];
  alerts?: Alert[];
}

/** Options of one knet link (`interface { linknumber: N ... }`). */
export interface KnetLink extends Traced {
  linknumber: number;
  /** e.g. `knet_link_priority`, `knet_ping_interval`. */
  options?: NvPair[];
}

/** The corosync side. Unset values are left to corosync's defaults. */
export interface CorosyncModel extends Traced {
  transport: 'knet' | 'udp' | 'udpu';
  links?: KnetLink[];
  totem?: {
    /** Milliseconds. */
    token?: number;
    consensus?: number;
    tokenCoefficient?: number;
    joinTimeout?: number;
    source?: SourceRef;
  };
  /** knet encryption; corosync's default without it is no encryption. */
  crypto?: {
    cipher: 'none' | 'aes256' | 'aes192' | 'aes128';
    hash: 'none' | 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5';
    /** Default `/etc/corosync/authkey` (what `pcs cluster setup` distributes). */
    keyfile?: string;
  };
  quorum?: {
    /** Default: true exactly when there are two nodes (as pcs does). */
    twoNode?: boolean;
    waitForAll?: boolean;
    autoTieBreaker?: boolean;
    lastManStanding?: boolean;
    source?: SourceRef;
  };
  /** Default `/var/log/cluster/corosync.log`. */
  logfile?: string;
}

/** The whole target cluster. */
export interface ClusterModel extends Traced {
  /** Corosync `cluster_name`. */
  name: string;
  nodes: ClusterNode[];
  corosync: CorosyncModel;
  cib: CibModel;
}

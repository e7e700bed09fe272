/**
 * The simulator↔protocol seam. A protocol is a pure reducer over closed event and effect unions:
 * it never reads a clock, draws randomness or performs I/O. The simulator owns time, randomness
 * and delivery, and applies the returned effects in list order ("persist before send": a send
 * listed after a persist leaves only once the disk write is done).
 */
import type { KvOp, KvResult } from './kv-types.js';

/** A simulated machine, e.g. "n1". */
export type NodeId = string;
/** A simulated client, e.g. "c0". */
export type ClientId = string;

/** JSON values: the only things that may cross the seam as configuration or observations. */
export type Json =
  | null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** A client request as a node receives it; (client, seq) is unique and kept across retries. */
export interface ClientRequest {
  readonly client: ClientId;
  readonly seq: number;
  readonly op: KvOp;
}

/** What a node tells a client about one request. */
export type ReplyOutcome =
  /**
   * Applied. `discarded` lists seqs of this client's earlier requests that were acknowledged
   * and later dropped (an optimistic protocol's reconciliation notice, P2.5 `discard`).
   */
  | { readonly type: 'done'; readonly result: KvResult; readonly discarded?: readonly number[] }
  /**
   * Not here: try `leader` if known; `members` announces a newer set of replicas. `config`
   * numbers the configuration the redirect speaks for: a client that already follows a newer
   * one ignores it.
   */
  | {
      readonly type: 'redirect'; readonly leader?: NodeId; readonly members?: readonly NodeId[];
      readonly config?: number;
    }
  /** Definitely not applied (e.g. no primary here); the client may retry elsewhere. */
  | { readonly type: 'reject'; readonly reason: string };

/**
 * Kinds of fault a protocol can claim to survive, as explore draws them (each has one swarm draw
 * in simulator/faults/kinds.ts): node crash with its disk kept, crash with the disk lost, network
 * partitions, paused processes, clogged links, clock skew, slow nodes, lossy/duplicating links,
 * slow disks, and messages of one type dropped or delayed on their way to chosen nodes.
 */
export const FAULT_KINDS = [
  'crash', 'amnesia', 'partition', 'pause', 'clog', 'skew', 'slow', 'lossy', 'disk', 'targeted',
] as const;
export type FaultKind = typeof FAULT_KINDS[number];

/** Operator commands (migrations, reorganization triggers) are opaque JSON to the simulator. */
export interface OperatorCommand {
  readonly name: string;
  readonly args: Json;
}

/**
 * Who submitted an operator command as a request (Protocol.operatorRequests): the node answers
 * it with a `reply` to `client` for `seq`, like a client request.
 */
export interface OperatorRequester {
  readonly client: ClientId;
  readonly seq: number;
}

/**
 * Every input of a node. `now` is the node's local clock in microseconds (the simulator applies
 * clock skew). `restart` is also the first event of every node: `durable` is what survived
 * (null on first boot and after amnesia).
 */
export type ProtocolEvent<M, D> =
  | { readonly kind: 'message'; readonly now: number; readonly from: NodeId; readonly msg: M }
  | { readonly kind: 'timer'; readonly now: number; readonly timer: string }
  | { readonly kind: 'clientRequest'; readonly now: number; readonly request: ClientRequest }
  | { readonly kind: 'restart'; readonly now: number; readonly durable: D | null }
  | {
      readonly kind: 'operator'; readonly now: number; readonly command: OperatorCommand;
      /** Set when an operator client submitted the command (Protocol.operatorRequests). */
      readonly from?: OperatorRequester;
    };

/** Outputs of a step, applied by the simulator in list order. */
export type Effect<M> =
  | { readonly kind: 'send'; readonly to: NodeId; readonly msg: M }
  /** Absolute deadline on the node's local clock; replaces a pending timer of the same name. */
  | { readonly kind: 'setTimer'; readonly timer: string; readonly at: number }
  | { readonly kind: 'cancelTimer'; readonly timer: string }
  | {
      readonly kind: 'reply'; readonly to: ClientId; readonly seq: number;
      readonly outcome: ReplyOutcome;
    }
  /** A durable write; effects after it in the same list wait for the disk. */
  | { readonly kind: 'persist'; readonly what: string }
  /** A labelled fact for checkers (e.g. "decided", "digest"); recorded with time and node. */
  | { readonly kind: 'observe'; readonly label: string; readonly data: Json };

export interface StepResult<S, M> {
  readonly state: S;
  readonly effects: readonly Effect<M>[];
}

/** Placement facts a protocol may use (e.g. OPB puts replicas in distinct DCs and zones). */
export interface NodePlacement {
  readonly id: NodeId;
  readonly dc: string;
  readonly zone: string;
}

/** Static configuration given to `init`; identical for every node of a run. */
export interface ProtocolConfig {
  /** Every machine in the topology, in topology order. */
  readonly nodes: readonly NodePlacement[];
  /** The initial replica set (a subset of `nodes`), in order. */
  readonly replicas: readonly NodeId[];
  /** Protocol parameters from the scenario (timeouts, window sizes, …). */
  readonly params: { readonly [k: string]: Json };
  /** The selected mutant, or null for the correct protocol. */
  readonly mutant: string | null;
}

export interface MutantInfo {
  /** Full name, `<protocol>:<bug>`. */
  readonly name: string;
  readonly description: string;
}

/** How the simulator's generic client talks to this protocol. */
export interface ClientPolicy {
  /** Where a client sends a fresh request: the first replica, or one spread by client index. */
  readonly target: 'first' | 'spread';
  /** What a client does when a request times out: resend to every replica or the next one. */
  readonly onTimeout: 'broadcast' | 'rotate';
  /**
   * Name of a protocol parameter holding a directory node (e.g. SMART's configuration
   * repository) that clients of scenarios with `clients.askDirectory` also ask once their known
   * replicas have not answered twice in a row; the directory answers with a redirect.
   */
  readonly directoryParam?: string;
}

/**
 * A replication protocol. `S` is a node's state, `M` its message type, `D` the durable part
 * kept across crashes. `step` must be pure and must return the same state object when nothing
 * changed.
 */
export interface Protocol<S, M, D> {
  readonly name: string;
  readonly description: string;
  readonly mutants: readonly MutantInfo[];
  readonly client: ClientPolicy;
  /** Fault kinds the protocol claims to be safe under (explore draws only these); omitted: all. */
  readonly survives?: readonly FaultKind[];
  /**
   * Whether the protocol claims linearizability (default true). An optimistic protocol that
   * trades it for availability says false: its linearizability verdict is then reported as a
   * measure, not as a violation.
   */
  readonly linearizable?: boolean;
  /**
   * Parameters explore varies per trial (as well as faults), so that paths a scenario's own
   * values never reach (tiny windows, frequent checkpoints, other policies) get exercised.
   * `draw(n)` is uniform in [0, n); `replicas` is the size of the trial's initial replica set
   * (see `swarmReplicas`; the scenario's own size without it). The result overrides the
   * scenario's params key by key.
   */
  swarmParams?(draw: (n: number) => number, replicas: number): { readonly [k: string]: Json };
  /**
   * Sizes [min, max] explore draws for the initial replica set per trial (capped by the
   * topology's nodes), so that quorum arithmetic meets even sizes too; omitted: the scenario's.
   */
  readonly swarmReplicas?: readonly [number, number];
  /**
   * The operator command that moves the replicas to `members` (named `id`), for a protocol that
   * reconfigures: explore then schedules at most one migration per trial, to a set of a size
   * in `swarmReplicas`.
   */
  swarmMigration?(members: readonly NodeId[], id: string): OperatorCommand;
  /**
   * Operator commands the protocol takes as requests: the simulator's operator client submits
   * each one to the first node the fault selects, resends it on timeout and follows redirects
   * (as `client` says for client requests) until a node answers `done`. Every other command is
   * handed once to each selected node as a local command.
   */
  readonly operatorRequests?: readonly string[];
  /**
   * The names of the protocol's message types, so that a `targeted` fault can select one
   * without the simulator knowing the protocol; `messageType` names one message's type.
   */
  readonly messageTypes?: readonly string[];
  messageType?(msg: M): string;
  /** Default parameters; a scenario's params override them key by key. */
  readonly defaults: { readonly [k: string]: Json };
  init(node: NodeId, config: ProtocolConfig): S;
  step(state: S, event: ProtocolEvent<M, D>): StepResult<S, M>;
  durable(state: S): D;
  /** One fixed-format line per message, e.g. "Accept b=3.1 s=7"; used in the trace. */
  describeMessage(msg: M): string;
  /**
   * A message's size in bytes, for a scenario's cost model (per-byte CPU time, link bandwidth):
   * a state transfer should weigh what it carries. Omitted: every message has the scenario's
   * `costs.messageBytes`.
   */
  sizeOf?(msg: M): number;
  /**
   * The same facts as `describeMessage`, as tokens for the trace hash (much cheaper than text).
   * Must tell apart exactly the messages the text tells apart, and be prefix-free: a tag per
   * message type first, then a fixed list of fields, every list preceded by its length.
   * Omitted: the hash takes the text.
   */
  encodeMessage?(msg: M, out: TraceSink): void;
  /** Returns a violated-invariant description or null; run after every step when checking. */
  invariants?(state: S): string | null;
  /**
   * The `corrupt` fault: scramble protocol variables within their types. Randomness comes in
   * through `draw(n)`, a uniform integer in [0, n), supplied by the simulator.
   */
  corrupt?(state: S, draw: (n: number) => number): S;
}

/** Where `encodeMessage` writes a message's tokens (the simulator's trace hash). */
export interface TraceSink {
  /** Any number; integers are cheapest. */
  int(n: number): void;
  str(s: string): void;
}

/** A protocol whose state, message and durable types are erased, as registries hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProtocol = Protocol<any, any, any>;

/**
 * Protocol-neutral observations: every protocol may emit these and every checker and report
 * reads them the same way. A protocol declares its own labels beside them (e.g.
 * protocol/smart/observations.ts) and emits through a helper typed by the union, so a wrong
 * label or field is a compile error; checkers import the unions type-only.
 */
export type CommonObservation =
  /** A replica's state, for the convergence checker; `group` names one of several groups. */
  | { readonly label: 'state';
    readonly data: { readonly digest: string; readonly applied: number; readonly group?: string } }
  /** A replica left `group` (or the only group): it no longer reports state. */
  | { readonly label: 'retired'; readonly data: { readonly group?: string } }
  /**
   * `node` (the emitter) took (`leader`) or gave up (`follower`) the leading role of `group`:
   * SMART's leader of a configuration, OPB's primary of a service, the example's primary.
   * A crash ends every role the node held, with no observation (the run's node events say so).
   */
  | { readonly label: 'role';
    readonly data: { readonly group: string; readonly role: 'leader' | 'follower';
      readonly node: NodeId } };

/** The data a union of observations declares for `label`. */
export type ObservationData<O extends { readonly label: string }, L extends O['label']> =
  Extract<O, { readonly label: L }> extends { readonly data: infer D } ? D : never;

/**
 * What one run leaves behind for checkers and reports. Properties read only this (and the
 * history inside it), never protocol internals.
 */
import type { Json } from '../protocol/types.js';
import type { FaultEvent } from './config.js';
import type { History } from './history.js';

/** A labelled fact a node emitted through an `observe` effect. */
export interface Observation {
  readonly at: number;
  /**
   * Order among every observation and node fact of the run (one counter for both): facts of
   * one instant are ordered as they happened, so a timeline never reorders a boot and a
   * promotion at the same microsecond.
   */
  readonly seq: number;
  readonly node: string;
  readonly label: string;
  readonly data: Json;
  /** When the step that observed it ran, if before `at` (the fact waited for a disk write). */
  readonly stepAt?: number;
  /**
   * The number of the node step that observed it (ReplyFact.step's numbering; absent only in
   * hand-made records): tells apart two steps of one node at one instant.
   */
  readonly step?: number;
}

/**
 * A fact about a node's life, recorded by the simulator where it happens, so checkers need not
 * re-derive it from the fault schedule: `down` a crash (also the first half of a restart),
 * `up` a boot, `paused`/`resumed` a pause fault and its end, `corrupted` a `corrupt` fault
 * that scrambled the node's state, `skewed` a change of its clock's offset or rate,
 * `writes-lost` a crash that lost writes still in flight (just before its `down`): `diskAsOf`
 * says when the step whose image the disk kept ran (-1: none), so whatever a step after it
 * wrote was gone with the machine, whatever the protocol claimed; `lost` lists the facts those
 * steps observed after their writes, never recorded as observations (they never held on disk),
 * though the steps did run in memory until the crash. `emptyDisk`, on an `up`, says the node
 * booted from an empty disk (its first boot, or a restart with amnesia): whatever it wrote or
 * acknowledged before is gone.
 */
export interface NodeEvent {
  readonly at: number;
  /** Shared with observations: see Observation.seq. */
  readonly seq: number;
  readonly node: string;
  readonly kind: 'up' | 'down' | 'paused' | 'resumed' | 'corrupted' | 'skewed' | 'writes-lost';
  readonly diskAsOf?: number;
  readonly lost?: readonly LostObservation[];
  readonly emptyDisk?: true;
}

/**
 * An observation a step listed after its write, dropped because a crash lost the write: the
 * durable fact never held, but the step ran (a checker of volatile state, such as what a node's
 * execution module had executed when it proposed, may count it from `stepAt` on).
 */
export interface LostObservation {
  readonly label: string;
  readonly data: Json;
  readonly stepAt: number;
}

/**
 * A reply a node's step sent to a client or the operator client, recorded by the simulator in
 * every run (one small record per reply, not hashed), so a checker can judge who answered
 * without the message record: `stepAt` is when the step that made it ran, `at` when it was due
 * to leave (later when it waited behind a disk write; it never left if the node crashed first).
 * `step` numbers that step among every node step of the run: two steps of one node at one
 * instant (two events arriving together, a resumed node's backlog) have different numbers.
 */
export interface ReplyFact {
  readonly at: number;
  readonly stepAt: number;
  readonly step: number;
  readonly node: string;
  readonly to: string;
  readonly seq: number;
  readonly outcome: 'done' | 'redirect' | 'reject';
  /** The leader a redirect names, when it names one. */
  readonly leader?: string;
  /** The discard notices a `done` carries (earlier requests of the client), when it has any. */
  readonly discarded?: readonly number[];
}

/**
 * A client request that waited out the client's `requestTimeoutUs` with no answer (the client
 * then resent it, or gave the operation up): the harness's clients' own clock, not a node's
 * report, kept in every run. `opId` is the history operation, `attempt` the one that timed out.
 */
export interface RequestTimeout {
  readonly at: number;
  readonly client: string;
  readonly opId: number;
  readonly attempt: number;
}

/**
 * One message's journey, kept only when the run keeps its trace (reports draw them): sent at
 * `sent`, arrived (or was refused) at `at`; `drop` says why it never reached the node (the
 * network's loss or a cut at send time, where `at` = `sent`; a cut, a crashed or a crashed-first
 * sender on arrival), null when delivered. `stepAt`, present when it differs from `sent`, is when
 * the step that sent it ran: the message left later, after the step's disk write or CPU wait.
 * `step`, on a delivered message, request or operator request handed to a step on arrival, is
 * that step's number (ReplyFact.step's numbering): a resumed node handles its backlog in several
 * steps at one instant, and only `step` says which came before another step's observation.
 * Absent when the arrival waited for the receiver's CPU (cost model) or never reached a step.
 * `sentStep`, on a message between nodes, is the number of the step that sent it: a network
 * duplicate shares it (each copy is handed to its own step), two steps of one instant whose
 * messages leave together behind one disk write do not.
 */
export interface MessageFact {
  readonly sent: number;
  readonly stepAt?: number;
  readonly at: number;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly drop: string | null;
  readonly step?: number;
  readonly sentStep?: number;
}

/** A bug found by the run itself: a failed assertion, a broken invariant, a runaway run. */
export interface RunFailure {
  readonly kind: 'assertion' | 'invariant' | 'budget';
  readonly at: number;
  readonly node: string | null;
  readonly message: string;
}

export interface RunMetrics {
  readonly events: number;
  readonly messagesSent: number;
  readonly messagesDelivered: number;
  readonly messagesDropped: number;
  readonly duplicates: number;
  /**
   * Messages held back beyond the network's latency by the delivery scheduler: a targeted
   * delay fault or PCT priorities (simulator/delivery.ts).
   */
  readonly messagesHeld: number;
  /**
   * The longest PCT priority hold of one message beyond the network's latency (0 without PCT;
   * targeted delays not included): checks that bound a message's transit read it.
   */
  readonly longestHoldUs: number;
  readonly persists: number;
  readonly opsOk: number;
  readonly opsFail: number;
  readonly opsInfo: number;
  /** Completed operations per simulated second. */
  readonly throughputOpsPerS: number;
  readonly latencyUs: { readonly p50: number; readonly p90: number; readonly p99: number;
    readonly max: number };
  readonly messagesPerOp: number;
  /** Present when the scenario has a cost model. */
  readonly costs?: CostMeasures;
}

/** What the cost model measured (simulator/costs.ts). */
export interface CostMeasures {
  readonly nodes: readonly {
    readonly node: string;
    /** CPU time spent handling events within the run. */
    readonly busyUs: number;
    /** Busy time as thousandths of the run. */
    readonly busyPermille: number;
    /** Most events ever waiting for the CPU (not counting the one in service). */
    readonly maxQueue: number;
    /** Events waiting for the CPU, averaged over the run, in thousandths. */
    readonly meanQueueMilli: number;
  }[];
}

export interface Endpoint {
  readonly name: string;
  readonly dc: string;
  readonly zone: string;
  readonly client: boolean;
}

export interface RunRecord {
  readonly scenario: string;
  readonly protocol: string;
  readonly seed: number;
  readonly mutant: string | null;
  readonly traceHash: string;
  readonly endUs: number;
  /** End of the fault window: from here on everything is healed. */
  readonly faultWindowEndUs: number;
  /** The protocol parameters the run used: its defaults overridden by the scenario's. */
  readonly params: { readonly [k: string]: Json };
  readonly replicas: readonly string[];
  /**
   * Every node, then every client, with its data center and zone: what a checker needs to
   * resolve the fault schedule's selectors into the links a partition cut.
   */
  readonly endpoints: readonly Endpoint[];
  /** The protocol claims linearizability (see Protocol.linearizable). */
  readonly claimsLinearizable: boolean;
  readonly faults: readonly FaultEvent[];
  readonly history: History;
  readonly observations: readonly Observation[];
  /** Node up/down/pause/corruption/skew facts, in the order they happened. */
  readonly nodeEvents: readonly NodeEvent[];
  readonly failures: readonly RunFailure[];
  /** Every reply the nodes sent, in the order their steps ran (kept in every run). */
  readonly replies: readonly ReplyFact[];
  /** Every client request that timed out, in time order (not the operator client's). */
  readonly requestTimeouts: readonly RequestTimeout[];
  readonly metrics: RunMetrics;
  /** The trace lines, when the run was asked to keep them. */
  readonly trace: readonly string[] | null;
  /** Every message's journey, when the run was asked to keep its trace. */
  readonly messages?: readonly MessageFact[];
  /**
   * The distinct protocol states the nodes stepped into, as 64-bit fingerprints in (lo, hi)
   * pairs, when the run was asked for its state coverage (simulator/state-coverage.ts).
   */
  readonly stateFingerprints?: Int32Array;
}

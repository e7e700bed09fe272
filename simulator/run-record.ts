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
  readonly node: string;
  readonly label: string;
  readonly data: Json;
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
  readonly persists: number;
  readonly opsOk: number;
  readonly opsFail: number;
  readonly opsInfo: number;
  /** Completed operations per simulated second. */
  readonly throughputOpsPerS: number;
  readonly latencyUs: { readonly p50: number; readonly p90: number; readonly p99: number;
    readonly max: number };
  readonly messagesPerOp: number;
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
  readonly replicas: readonly string[];
  /** The protocol claims linearizability (see Protocol.linearizable). */
  readonly claimsLinearizable: boolean;
  readonly faults: readonly FaultEvent[];
  readonly history: History;
  readonly observations: readonly Observation[];
  readonly failures: readonly RunFailure[];
  readonly metrics: RunMetrics;
  /** The trace lines, when the run was asked to keep them. */
  readonly trace: readonly string[] | null;
}

/**
 * The scenario as the simulator consumes it: plain JSON data (see scenarios/schema.ts for the
 * validated, versioned file format). Times are integer microseconds; probabilities are integer
 * ratios [num, den].
 */
import type { Json } from '../protocol/types.js';
import type { PctSpec } from './delivery.js';
import type { FaultEvent } from './faults/kinds.js';

export type Ratio = readonly [number, number];

/** A parsed schema's output made immutable; opaque JSON (params, operator args) stays as is. */
export type DeepReadonly<T> = [Json] extends [T] ? T
  : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
/** Compile-time checks: `Holds<Same<A, B>>` compiles only if A and B are mutually assignable. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Holds<T extends true> = T;

/** Uniform latency in [minUs, maxUs]. */
export interface LatencySpec {
  readonly minUs: number;
  readonly maxUs: number;
}

export interface TopologySpec {
  readonly dcs: readonly { readonly name: string; readonly zone: string }[];
  readonly nodes: readonly { readonly id: string; readonly dc: string }[];
  /** The initial replica set; nodes not listed are spares (migration targets). */
  readonly replicas: readonly string[];
}

export interface NetworkSpec {
  readonly intraDc: LatencySpec;
  readonly interDc: LatencySpec;
  /** Per-link overrides, applied in both directions. */
  readonly links: readonly { readonly a: string; readonly b: string;
    readonly latency: LatencySpec }[];
  readonly loss: Ratio;
  readonly dup: Ratio;
  /** Chance that a message gets an extra delay in [0, reorderUs], overtaking later ones. */
  readonly reorder: Ratio;
  readonly reorderUs: number;
  /** Time a durable write takes; effects after a `persist` wait for it. */
  readonly diskWriteUs: number;
  /**
   * PCT-style delivery priorities during the fault window (simulator/delivery.ts): nodes get
   * random priorities with depth-1 change points, and a message is held `holdUs` per rank of
   * its sender below the top. Absent: no priorities.
   */
  readonly pct?: PctSpec | undefined;
}

/**
 * The cost model (simulator/costs.ts): CPU time per handled event and per byte, per sent
 * message, message sizes and link bandwidth. Absent from a scenario, nothing but link latency
 * and disk writes costs time.
 */
export interface CostSpec {
  /** CPU time of every event a node handles (message, request, timer, operator command). */
  readonly stepUs: number;
  /** Extra CPU time per byte of the handled message, in nanoseconds. */
  readonly stepNsPerByte: number;
  /**
   * CPU time of every message or reply a node sends to another endpoint, queued on its CPU after
   * the step that sent it: a broadcast's copies leave one `sendUs` apart.
   */
  readonly sendUs: number;
  /** Size of client requests and replies, and of messages of a protocol without `sizeOf`. */
  readonly messageBytes: number;
  /** Bandwidth of every link in bytes per second; 0 means unlimited (no serialization). */
  readonly bandwidthBytesPerS: number;
  /** Per-link bandwidth overrides, applied in both directions. */
  readonly links: readonly { readonly a: string; readonly b: string;
    readonly bandwidthBytesPerS: number }[];
  /** Large messages as streams of chunks (simulator/streams.ts); absent, none is streamed. */
  readonly stream?: StreamSpec | undefined;
}

/**
 * A message of at least `fromBytes` (a state transfer) is streamed in chunks of `chunkBytes`: the
 * sender's CPU spends `sendNsPerByte` on each chunk as one slice, the next queued behind whatever
 * arrived meanwhile, so other events interleave with the transfer instead of waiting for all of
 * it; the receiver's CPU spends `receiveNsPerByte` on each chunk as it arrives; the message is
 * handled once its last chunk has been received. Smaller messages are sent whole, as without.
 */
export interface StreamSpec {
  readonly fromBytes: number;
  readonly chunkBytes: number;
  readonly sendNsPerByte: number;
  readonly receiveNsPerByte: number;
}

export interface WorkloadSpec {
  /** Keys per service. With one service keys are `k0…`; with several, `s{i}/k{j}`. */
  readonly keys: number;
  readonly services: number;
  /** 'hot': `hotPct` percent of operations go to the first key. */
  readonly distribution: 'uniform' | 'hot';
  readonly hotPct: number;
  /** Integer weights of the operation kinds. */
  readonly mix: { readonly get: number; readonly put: number; readonly append: number;
    readonly cas: number };
}

/**
 * How offered load varies over time. 'diurnal': a triangle wave between `lowPct` and 100 % of
 * the base rate with period `periodUs`. 'spike': between `startUs` and `endUs` the service
 * `service` gets `factor` times its usual share and clients think `factor` times less.
 */
export interface LoadSpec {
  readonly profile: 'constant' | 'diurnal' | 'spike';
  readonly periodUs: number;
  readonly lowPct: number;
  readonly startUs: number;
  readonly endUs: number;
  readonly service: number;
  readonly factor: number;
}

export interface ClientSpec {
  readonly count: number;
  /** DCs the clients sit in, assigned round-robin; empty means the first DC. */
  readonly dcs: readonly string[];
  readonly thinkUs: LatencySpec;
  /** A request unanswered this long is resent (same request id). */
  readonly requestTimeoutUs: number;
  /** An operation unanswered this long is given up and recorded as indefinite. */
  readonly opTimeoutUs: number;
  /** Upper bound on operations per client; 0 means unbounded (until the run stops clients). */
  readonly opsPerClient: number;
  /** Also ask the protocol's directory node (ClientPolicy.directoryParam) after two timeouts. */
  readonly askDirectory: boolean;
  readonly workload: WorkloadSpec;
  readonly load: LoadSpec;
}

/**
 * Endpoint selectors used by faults: a node or client id, `dc:NAME`, `zone:NAME`, `replicas`
 * (the initial replica set) or `*` (every node).
 */
export type Selector = string;

export type { FaultEvent } from './faults/kinds.js';

export interface Scenario {
  readonly schema: 'replisim/scenario@1' | 'replisim/scenario@2';
  readonly name: string;
  readonly description: string;
  /** Protocols this scenario runs on; the first is the default. */
  readonly protocols: readonly string[];
  /** Parameters per protocol name, merged over the protocol's defaults. */
  readonly params: { readonly [protocol: string]: { readonly [k: string]: Json } };
  readonly topology: TopologySpec;
  readonly network: NetworkSpec;
  readonly clients: ClientSpec;
  /** Length of the fault window; clients keep issuing operations into the settle phase. */
  readonly durationUs: number;
  /** After the fault window: everything heals and the run continues this long. */
  readonly settleUs: number;
  readonly faults: readonly FaultEvent[];
  /** The cost model; absent, only link latency and disk writes cost time. */
  readonly costs?: CostSpec | undefined;
  /**
   * Events the scenario must show at least once over its runs (schema @2; checked by `sweep`
   * and `explore` against properties/sometimes.ts, not by the simulator).
   */
  readonly sometimes?: readonly string[] | undefined;
}

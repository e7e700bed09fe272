import { assert } from '../protocol/assert.js';
import type { QueuedObservation } from './observation-queue.js';
import type { HeldEvent } from './sim-events.js';

/** A live timer: its generation and its deadline on the node's local clock. */
export interface LiveTimer { readonly gen: number; readonly at: number }

/** The simulator's view of one machine: protocol state plus what the protocol never sees. */
export interface NodeRuntime {
  readonly index: number;
  readonly name: string;
  up: boolean;
  state: unknown;
  /**
   * The disk: the image (`durable(state)`) of the last *completed* write, what a crash keeps and a
   * restart gets. null before the first write and after amnesia.
   */
  disk: unknown;
  /** Extra time each disk write takes now (the `disk` fault). */
  diskSlowUs: number;
  /** Bumped by every crash: a write still in flight from an earlier life never lands. */
  life: number;
  /** When each life ended: `deaths[l]` is the time of the crash that ended life l. */
  readonly deaths: number[];
  /** Writes issued in this life and not yet on the disk (a crash loses them). */
  unsynced: number;
  /** Number of the last write issued and of the last one on the disk: an older image never
   * overwrites a newer one, whatever their completion order. */
  writesIssued: number;
  writesDone: number;
  /** When the step whose image `disk` holds ran (-1: no write landed, or an empty disk). */
  diskAsOf: number;
  /** When the last write issued in this life lands: the disk completes writes in order. */
  diskFreeAt: number;
  /** Observations of this life waiting for a write, or behind one (observation-queue.ts). */
  observations: QueuedObservation[];
  /**
   * Live timers by name: the generation (a fired timer whose generation differs is stale) and
   * the deadline on the local clock (a skew fault re-schedules it).
   */
  readonly timers: Map<string, LiveTimer>;
  timerGen: number;
  paused: boolean;
  /** Events that arrived while paused, as data: handled in order on resume. */
  held: HeldEvent[];
  slowUs: number;
  /**
   * The clock (the `skew` fault): from global time `skewSinceUs` on, the local clock reads
   * `skewBaseUs` plus the global time elapsed since, run `skewPpm` fast (negative: slow). Each
   * skew fault re-anchors it at its instant, so a rate counts from the fault, not from time 0.
   */
  skewSinceUs: number;
  skewBaseUs: number;
  skewPpm: number;
}

export function newNodeRuntime(index: number, name: string): NodeRuntime {
  return {
    index, name, up: false, state: null, disk: null, diskSlowUs: 0, life: 0, deaths: [],
    unsynced: 0, writesIssued: 0, writesDone: 0, diskAsOf: -1, diskFreeAt: 0, observations: [],
    timers: new Map(), timerGen: 0,
    paused: false, held: [], slowUs: 0, skewSinceUs: 0, skewBaseUs: 0,
    skewPpm: 0,
  };
}

/** Local time elapsed over `d` >= 0 us of global time at `ppm`: exact, in safe integers. */
function drifted(d: number, ppm: number): number {
  // d * ppm may pass 2^53 in a long run: whole seconds apart from the rest.
  const whole = Math.floor(d / 1_000_000) * ppm;
  return d + whole + Math.floor(((d % 1_000_000) * ppm) / 1_000_000);
}

/** The node's local clock at global time `t` (not before its last skew fault's instant). */
export function localTime(node: NodeRuntime, t: number): number {
  const d = t - node.skewSinceUs;
  assert(d >= 0, 'skew: the clock is read before its last change');
  return node.skewBaseUs + (node.skewPpm === 0 ? d : drifted(d, node.skewPpm));
}

/**
 * A `skew` fault at global time `t`: the clock steps by `offsetUs` at once (the fault's declared
 * jump; 0 keeps it continuous) and from `t` on runs `ratePpm` fast. A rate set late drifts
 * from its instant, as a real oscillator would; it does not step the clock by the rate times
 * the time since 0. Ending a skew (`0, 0`) stops the drift and leaves the clock where it is:
 * continuous, so never backwards. At time 0 this is the old rule: t + offset + rate x t.
 */
export function setSkew(node: NodeRuntime, t: number, offsetUs: number, ratePpm: number): void {
  assert(ratePpm > -1_000_000, 'skew: the rate must keep the clock moving forward');
  const before = localTime(node, t);
  node.skewBaseUs = before + offsetUs;
  node.skewSinceUs = t;
  node.skewPpm = ratePpm;
  // Only the declared offset moves the clock at the fault's instant.
  assert(localTime(node, t) - before === offsetUs, 'skew: the clock jumps only by the offset');
}

/**
 * Global delay from `t` until the node's local clock first shows `deadline` (at its current
 * rate): the exact inverse of `localTime`, so a timer fires at the first global microsecond
 * whose local time reaches its deadline.
 */
export function globalDelay(node: NodeRuntime, t: number, deadline: number): number {
  if (deadline - localTime(node, t) <= 0) return 0;
  const ppm = node.skewPpm;
  const need = deadline - node.skewBaseUs;
  if (ppm === 0) return node.skewSinceUs + need - t;
  // drifted(d) = floor(d * (1e6 + ppm) / 1e6) is nondecreasing in d: the least d with
  // drifted(d) >= need is about need * 1e6 / (1e6 + ppm); the float guess is fixed up exactly.
  let d = Math.ceil((need * 1_000_000) / (1_000_000 + ppm));
  while (d > 0 && drifted(d - 1, ppm) >= need) d--;
  while (drifted(d, ppm) < need) d++;
  return node.skewSinceUs + d - t;
}

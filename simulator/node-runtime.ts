import { assert } from '../protocol/assert.js';
import type { QueuedObservation } from './observation-queue.js';
import type { HeldEvent } from './sim-events.js';

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
  /** Live generation per timer name; a fired timer whose generation differs is stale. */
  readonly timers: Map<string, number>;
  timerGen: number;
  paused: boolean;
  /** Events that arrived while paused, as data: handled in order on resume. */
  held: HeldEvent[];
  slowUs: number;
  skewOffsetUs: number;
  skewPpm: number;
}

export function newNodeRuntime(index: number, name: string): NodeRuntime {
  return {
    index, name, up: false, state: null, disk: null, diskSlowUs: 0, life: 0, deaths: [],
    unsynced: 0, writesIssued: 0, writesDone: 0, diskAsOf: -1, diskFreeAt: 0, observations: [],
    timers: new Map(), timerGen: 0,
    paused: false, held: [], slowUs: 0, skewOffsetUs: 0, skewPpm: 0,
  };
}

/** The node's local clock at global time `t` (offset plus rate skew, in exact integers). */
export function localTime(node: NodeRuntime, t: number): number {
  const ppm = node.skewPpm;
  if (ppm === 0) return t + node.skewOffsetUs;
  const whole = Math.floor(t / 1_000_000) * ppm;
  const part = Math.floor(((t % 1_000_000) * ppm) / 1_000_000);
  return t + node.skewOffsetUs + whole + part;
}

/** Global delay until the node's local clock shows `deadline`. */
export function globalDelay(node: NodeRuntime, t: number, deadline: number): number {
  const delta = deadline - localTime(node, t);
  if (delta <= 0) return 0;
  if (node.skewPpm === 0) return delta;
  assert(node.skewPpm > -1_000_000, 'skew: the rate must keep the clock moving forward');
  return Math.ceil((delta * 1_000_000) / (1_000_000 + node.skewPpm));
}

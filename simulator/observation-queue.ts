/**
 * The order of a node's facts. An observation listed after a `persist` holds only once the
 * write is done, so it is stamped at the write's completion; a later step's observation must
 * not overtake it, or checkers see the node's states out of order (explore seeds 2173, 3343:
 * a primary claim stuck behind a slow disk queue was stamped after the node had already lost,
 * reconciled and followed a newer epoch, which C7 read as an epoch going back). So while any
 * observation of the node waits for a write, later ones wait behind it, in step order.
 */
import type { Json } from '../protocol/types.js';
import type { NodeRuntime } from './node-runtime.js';
import type { LostObservation } from './run-record.js';

export interface QueuedObservation {
  /** When it may be recorded: its write's completion, or that of the one it waits behind. */
  readonly at: number;
  readonly label: string;
  readonly data: Json;
  /** Listed after a persist in its step: it never held if the node crashed before `at`. */
  readonly afterWrite: boolean;
  /** When the step that observed it ran (`at` may be later: it waited for a write). */
  readonly stepAt: number;
  /** The number of that step (Observation.step). */
  readonly step: number;
}

export type RecordFact =
  (at: number, node: string, label: string, data: Json, stepAt: number, step: number) => void;

/**
 * Records the observation now, or queues it (returns true when its own write must wake the
 * queue at `now + delayUs`: the caller schedules that event).
 */
export function observeInOrder(node: NodeRuntime, now: number, step: number, delayUs: number,
  label: string, data: Json, record: RecordFact): boolean {
  const queue = node.observations;
  if (delayUs === 0 && queue.length === 0) {
    record(now, node.name, label, data, now, step);
    return false;
  }
  // The disk completes writes in order, so `now + delayUs` is never before a queued one.
  const at = Math.max(now + delayUs, queue.length === 0 ? now : queue[queue.length - 1]!.at);
  queue.push({ at, label, data, afterWrite: delayUs > 0, stepAt: now, step });
  return delayUs > 0;
}

/** Records, in order, every queued observation due by now (a write completed). */
export function releaseDue(node: NodeRuntime, now: number, record: RecordFact): void {
  const queue = node.observations;
  let n = 0;
  while (n < queue.length && queue[n]!.at <= now) {
    const q = queue[n]!;
    record(now, node.name, q.label, q.data, q.stepAt, q.step);
    n++;
  }
  if (n > 0) queue.splice(0, n);
}

/** The observations a crash now would drop: each waited for a write still in flight. */
export function lostAtCrash(node: NodeRuntime): LostObservation[] {
  const lost: LostObservation[] = [];
  for (const q of node.observations) {
    if (q.afterWrite) lost.push({ label: q.label, data: q.data, stepAt: q.stepAt });
  }
  return lost;
}

/**
 * The node crashes: observations that waited for a lost write never held; those that only
 * waited behind one did hold (in memory, until now), so they are recorded at the crash.
 */
export function releaseAtCrash(node: NodeRuntime, now: number, record: RecordFact): void {
  for (const q of node.observations) {
    if (!q.afterWrite) record(now, node.name, q.label, q.data, q.stepAt, q.step);
  }
  node.observations = [];
}

/** Small readers of a recorded run's values that several properties share. */
import type { HistoryOp } from '../simulator/history.js';
import type { MessageFact, RunRecord } from '../simulator/run-record.js';

/** When the step that sent a message ran: its send instant unless it left behind a disk write. */
export const stepOf = (m: MessageFact): number => m.stepAt ?? m.sent;

/** When the step that made a fact ran: a fact that waited for a disk write is recorded later. */
export const stepTime = (o: { readonly at: number; readonly stepAt?: number }): number =>
  o.stepAt ?? o.at;

/** Where something happened in a run: a node fact (`NodeEvent`), or an observation at its step. */
export interface Moment {
  readonly at: number;
  readonly seq: number;
  readonly stepAt?: number;
  readonly step?: number;
}

/**
 * Whether `a` happened before `b`, observations placed at their steps (a fact that waited for a
 * slow disk is recorded when the write lands, but its step ran, in memory, before). At one
 * instant: two steps by their numbers; facts of one step (recorded in its order), facts
 * recorded at their steps, and node facts, by their seq; a node fact before a step whose facts
 * waited, since a fault comes first among the events of its instant (simulator/sim.ts schedules
 * every fault before the run starts, and a restart's boot is part of its fault).
 */
export function happenedBefore(a: Moment, b: Moment): boolean {
  const ta = stepTime(a);
  const tb = stepTime(b);
  if (ta !== tb) return ta < tb;
  if (a.step !== undefined && b.step !== undefined && a.step !== b.step) return a.step < b.step;
  const waitedA = a.stepAt !== undefined && a.stepAt !== a.at;
  const waitedB = b.stepAt !== undefined && b.stepAt !== b.at;
  if (waitedA !== waitedB) return waitedB;
  return a.seq < b.seq;
}

/** A numeric protocol parameter of the run, or `fallback` (the protocol's default) when absent. */
export function numberParam(run: RunRecord, key: string, fallback: number): number {
  const v = run.params[key];
  return typeof v === 'number' ? v : fallback;
}

/**
 * How many values of the ascending list `xs` are below `x`, or at or below it with `orAt` (a
 * lower or upper bound, by bisection).
 */
export function countBelow(xs: readonly number[], x: number, orAt = false): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x || (orAt && xs[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many items of `xs`, ascending by `key`, have a key below `x` (countBelow's bisection). */
export function countBelowBy<T>(xs: readonly T[], key: (t: T) => number, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(xs[mid]!) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether one of `nodes` had a node fact in [from, to] that changes what it holds or does (down,
 * paused, resumed, corrupted, writes lost); a boot or a clock skew does not.
 */
export function disturbed(run: RunRecord, nodes: readonly string[], from: number,
  to: number): boolean {
  return run.nodeEvents.some((e) => e.kind !== 'skewed' && e.kind !== 'up'
    && e.at >= from && e.at <= to && nodes.includes(e.node));
}

/**
 * Per node, the first instant it was paused or corrupted: from then on it may handle a message
 * long after it arrived (a paused node handles what it held on resume), so checks that read "a
 * message handled at its arrival" stop judging that node there.
 */
export function firstHeld(run: RunRecord): ReadonlyMap<string, number> {
  const first = new Map<string, number>();
  for (const e of run.nodeEvents) {
    const held = e.kind === 'paused' || e.kind === 'corrupted';
    if (held && e.at < (first.get(e.node) ?? Infinity)) first.set(e.node, e.at);
  }
  return first;
}

/**
 * Whether `node` went down or came up at some instant of [from, to]: what a machine did across a
 * crash or restart is not one continuous run of its own rules.
 */
export function bouncedBetween(run: RunRecord, node: string, from: number, to: number): boolean {
  return run.nodeEvents.some((e) => e.node === node && (e.kind === 'down' || e.kind === 'up')
    && e.at >= from && e.at <= to);
}

/** Appends `value` to the list under `key`, starting one if there is none (no copy per push). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The last of `list` (in time order) at or before `at`, if any: a binary search. */
export function latestAt<T extends { readonly at: number }>(list: readonly T[], at: number):
  T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  let best: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.at <= at) { best = list[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}

/**
 * Each client request `client#seq` of the history, with its operation: a client's n-th
 * operation is its request seq n (simulator/clients.ts).
 */
export function opsByRequest(run: RunRecord): Map<string, HistoryOp> {
  const count = new Map<string, number>();
  const out = new Map<string, HistoryOp>();
  for (const op of run.history.ops) {
    const seq = (count.get(op.client) ?? 0) + 1;
    count.set(op.client, seq);
    out.set(`${op.client}#${seq}`, op);
  }
  return out;
}

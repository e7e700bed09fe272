/** Small readers of a recorded run's values that several properties share. */
import type { RunRecord } from '../simulator/run-record.js';

/** A numeric protocol parameter of the run, or `fallback` (the protocol's default) when absent. */
export function numberParam(run: RunRecord, key: string, fallback: number): number {
  const v = run.params[key];
  return typeof v === 'number' ? v : fallback;
}

/** How many values of the ascending list `xs` are below `x` (a lower bound, by bisection). */
export function countBelow(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

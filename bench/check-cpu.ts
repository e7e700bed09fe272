/**
 * CPU time of one thread, for the parallel `check` benchmark (bench/check.ts): the machine it
 * runs on is shared, so the wall time of a search over worker threads says more about the
 * other load than about the search. Per-thread CPU time along the search's critical path (per
 * level, the busiest worker, plus the driver thread) is what the wall time would be on idle
 * cores, apart from the time messages take to wake a thread.
 */
import { readFileSync } from 'node:fs';

/**
 * CPU ms this thread has run (Linux: the first field of /proc/thread-self/schedstat, in ns),
 * or null where that file is not available.
 */
export function threadCpuMs(): number | null {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/**
 * Critical path of a level-synchronous search: per level, the CPU ms of each worker (they run
 * side by side, the level ends with the busiest), plus the driver's CPU ms (it merges while
 * the workers wait, so it is counted whole: an upper bound).
 */
export function criticalPathMs(levels: readonly (readonly number[])[], driverMs: number): number {
  let sum = driverMs;
  for (const perWorker of levels) sum += Math.max(0, ...perWorker);
  return sum;
}

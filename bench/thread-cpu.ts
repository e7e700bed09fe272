/**
 * CPU time of single threads of this process, from Linux's /proc (schedstat: nanoseconds on
 * the CPU). process.cpuUsage() sums every thread; splitting it shows where a second worker's
 * extra CPU goes: the workers' own JavaScript threads, the main thread, or the rest (V8's
 * helper threads: parallel and concurrent GC, background compilation; libuv's pool).
 * Elsewhere than Linux the split is unavailable (null) and only the total is reported.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** This thread's id (the caller's: main or a worker), or null without /proc. */
export function ownThreadId(): number | null {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return null;
  }
}

function runtimeNs(tid: string): number {
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return 0; // the thread ended since the listing
  }
}

/** Nanoseconds on the CPU of every live thread of this process, by thread id. */
export function threadsCpuNs(): Map<number, number> | null {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  return new Map(tids.map((t) => [Number(t), runtimeNs(t)]));
}

export interface CpuSplit {
  readonly totalMs: number;
  /** The pool's worker threads (the trials themselves). */
  readonly poolMs: number;
  readonly mainMs: number;
  /** Worker threads of this process not in the pool measured (e.g. an idle pool's). */
  readonly idleWorkersMs: number;
  /** Every other thread: V8's GC and compiler helpers, libuv. */
  readonly helpersMs: number;
}

/** Where the CPU went between two snapshots, given the pool's thread ids. */
export function splitCpu(before: Map<number, number>, after: Map<number, number>,
  pool: readonly number[], otherWorkers: readonly number[], main: number): CpuSplit {
  let total = 0;
  let inPool = 0;
  let inMain = 0;
  let inIdle = 0;
  for (const [tid, ns] of after) {
    const d = ns - (before.get(tid) ?? 0);
    total += d;
    if (pool.includes(tid)) inPool += d;
    else if (otherWorkers.includes(tid)) inIdle += d;
    else if (tid === main) inMain += d;
  }
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  return { totalMs: ms(total), poolMs: ms(inPool), mainMs: ms(inMain), idleWorkersMs: ms(inIdle),
    helpersMs: ms(total - inPool - inMain - inIdle) };
}

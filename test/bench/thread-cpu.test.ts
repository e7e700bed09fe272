import { describe, expect, it } from 'vitest';
import { ownThreadId, splitCpu, threadsCpuNs } from '../../bench/thread-cpu.js';

describe('bench: CPU split by thread', () => {
  it('charges each thread\'s growth to the pool, the idle workers, main or the helpers', () => {
    const before = new Map([[1, 0], [2, 1e6], [3, 0], [4, 5e6], [5, 0]]);
    // Thread 6 appeared between the snapshots: all of its time counts (as a helper).
    const after = new Map([[1, 2e6], [2, 11e6], [3, 30e6], [4, 5e6], [5, 1e6], [6, 4e6]]);
    expect(splitCpu(before, after, [2, 3], [4], 1)).toEqual(
      { totalMs: 47, poolMs: 40, mainMs: 2, idleWorkersMs: 0, helpersMs: 5 });
  });

  it('on Linux, reads this thread\'s own growing CPU time from /proc', () => {
    const me = ownThreadId();
    if (process.platform !== 'linux') return expect(me).toBeNull();
    expect(me).toBe(process.pid); // vitest's forks pool: a test file runs on a main thread
    const before = threadsCpuNs()!.get(me!)!;
    // /proc counts in clock ticks (10 ms): spin for 50 ms of this process's CPU time, not for
    // a count of iterations, which a fast machine did within one tick (a clean-clone CI run).
    const start = process.cpuUsage();
    let x = 0;
    while (process.cpuUsage(start).user < 50_000) {
      for (let i = 0; i < 100_000; i++) x = (x + i) | 0;
    }
    expect(x).not.toBe(1);
    expect(threadsCpuNs()!.get(me!)!).toBeGreaterThan(before);
  });
});

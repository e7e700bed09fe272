import { describe, expect, it } from 'vitest';
import {
  checkedRun, standardScenario, summarizeCheckedRuns, type CheckedRunCost,
} from '../../bench/checked-run.js';
import { PORCUPINE_REFERENCE } from '../../bench/lincheck.js';
import { repeat, spread } from '../../bench/stats.js';
import { loadScenario } from '../../scenarios/load.js';

describe('bench: honest figures', () => {
  it('spread is min / median / max (median of an even count is the mean of the middle two)', () => {
    expect(spread([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(spread([4, 1, 2, 3])).toEqual({ min: 1, median: 2.5, max: 4 });
  });

  it('repeat runs the warm-ups untimed, then times every repeat in CPU and wall ms', () => {
    const calls: number[] = [];
    const { timing } = repeat(5, 2, (i) => {
      calls.push(i);
      let x = 0;
      for (let k = 0; k < 200_000; k++) x += k;
      return x;
    });
    expect(calls).toEqual([0, 1, 0, 1, 2, 3, 4]);
    expect(timing).toMatchObject({ repeats: 5, warmUps: 2 });
    expect(timing.cpuMs.min).toBeLessThanOrEqual(timing.cpuMs.median);
    expect(timing.cpuMs.median).toBeLessThanOrEqual(timing.cpuMs.max);
    expect(timing.wallMs.max).toBeGreaterThan(0);
  });

  it('a checked run is what `replisim run` does: simulate, then every applicable property', () => {
    const cost = checkedRun(loadScenario('example-steady'), 'example', 1);
    expect(cost.ops).toBeGreaterThan(0);
    expect(Object.keys(cost.perProperty)).toEqual(expect.arrayContaining(
      ['no-assertion-failure', 'linearizability', 'anomalies', 'liveness']));
    expect(cost.failed).toEqual([]);
    expect(cost.simulateCpuMs).toBeGreaterThan(0);
  });

  it('a checked-run figure names where check time goes: costliest properties, check/simulate',
    () => {
      const run = (simulateCpuMs: number, checkCpuMs: number,
        perProperty: Record<string, number>): CheckedRunCost => ({
        simulateCpuMs, checkCpuMs, simulateWallMs: simulateCpuMs, checkWallMs: checkCpuMs,
        events: 1, ops: 1, perProperty, failed: [] });
      const b = summarizeCheckedRuns([
        run(100, 40, { a: 1, b: 30, c: 5, d: 4 }),
        run(120, 60, { a: 2, b: 50, c: 6, d: 3 }),
        run(110, 50, { a: 9, b: 40, c: 1, d: 5 }),
      ]);
      expect(b.perPropertyCpuMs).toEqual({ a: 2, b: 40, c: 5, d: 4 });
      expect(b.costliestProperties).toEqual(['b', 'c', 'd']);
      expect(b.checkOverSimulate).toBe(0.45);
      expect(b.totalCpuMs).toEqual({ min: 140, median: 160, max: 180 });
    });

  it('the standard run is 10 simulated seconds, settle phase included', () => {
    const s = standardScenario('smart-steady');
    expect(s.durationUs + s.settleUs).toBe(10_000_000);
  });

  it('the Porcupine figure is labelled as a stored figure with its machine', () => {
    expect(PORCUPINE_REFERENCE.stored).toBe(true);
    expect(PORCUPINE_REFERENCE.machine).toMatch(/EPYC/);
    expect(PORCUPINE_REFERENCE.oneThreadMs.all).toBe(758);
  });
});

describe('bench: linearizability on replisim runs', () => {
  it('times the run corpus with the manifest verdicts and prints no invented Porcupine figure',
    async () => {
      const { benchLincheckRuns } = await import('../../bench/lincheck-runs.js');
      const { repoRoot } = await import('../helpers/lincheck.js');
      const figures = benchLincheckRuns(repoRoot()) as Record<string, unknown>;
      expect(figures['mismatches']).toEqual([]);
      expect(figures['files']).toBe(28);
      expect(figures['porcupineReference']).toBeNull();
      const cpu = figures['cpuMs'] as { min: number; median: number; max: number };
      expect(cpu.min).toBeLessThanOrEqual(cpu.median);
      expect(cpu.median).toBeLessThanOrEqual(cpu.max);
    });
});

describe('bench: explore workers', () => {
  it('runs the same trials on 1 and 2 threads; the ratio is of their median CPU', async () => {
    // From dist/ (built by `npm test` first): its worker threads load compiled .js files.
    const built = new URL('../../dist/bench/explore-workers.js', import.meta.url).href;
    const { benchExploreWorkers } = await import(built) as
      typeof import('../../bench/explore-workers.js');
    const f = await benchExploreWorkers({ repeats: 1, trials: 2, warmUps: 0, floorUnits: 1 });
    for (const arm of [f.explore, f.floorAlu, f.floorAlloc, f.floorMemory, f.floorHeap]) {
      expect(arm.oneThreadCpuMs.median).toBeGreaterThan(0);
      expect(arm.cpuRatio).toBeCloseTo(arm.twoThreadsCpuMs.median / arm.oneThreadCpuMs.median, 1);
      if (process.platform !== 'linux') continue;
      // The split accounts for every thread, and the work is on the measured pool's threads.
      for (const s of [arm.oneThreadSplit!, arm.twoThreadsSplit!]) {
        expect(s.poolMs + s.mainMs + s.idleWorkersMs + s.helpersMs).toBeCloseTo(s.totalMs, 0);
        expect(s.poolMs).toBeGreaterThan(s.idleWorkersMs);
      }
    }
    expect(f.harnessOverAllocFloor)
      .toBeCloseTo(f.explore.cpuRatio / f.floorAlloc.cpuRatio, 1);
    expect(f.harnessOverHeapFloor).toBeCloseTo(f.explore.cpuRatio / f.floorHeap.cpuRatio, 1);
    expect(f.startupCpuMs.twoThreads).toBeGreaterThan(0);
  });
});

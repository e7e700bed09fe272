import { describe, expect, it } from 'vitest';
import { criticalPathMs, threadCpuMs } from '../../bench/check-cpu.js';
import {
  bytesPerUniqueState, checkReferences, keptBytes, rebuiltSteps,
} from '../../bench/check.js';
import type { ExpanderRequest } from '../../simulator/checker/index.js';
import { IntList, VisitedSet } from '../../simulator/visited.js';

describe('bench: check figures', () => {
  it('kept bytes per unique state are those of the visited set and the BFS tree', () => {
    for (const n of [1, 2048, 2049, 11536]) {
      const seen = new VisitedSet();
      const parent = new IntList();
      const via = new IntList();
      for (let i = 1; i <= n; i++) {
        seen.add(i * 7919, i);
        parent.push(i);
        via.push(0);
      }
      expect(keptBytes(n)).toBe(seen.bytes + parent.bytes + via.bytes);
    }
  });

  it('bytes per unique state at the peak of a search are counted, positive', () => {
    const example = checkReferences.find((r) => r.name === 'example')!;
    // Two clients, not one: a one-client search holds so little that the heap's own noise in a
    // test worker measured 0 once on CI; two clients to depth 10 hold 200–700 B a state.
    const small = { ...example, options: { ...example.options, clients: 2 }, depth: 10 };
    expect(bytesPerUniqueState(small, 1)).toBeGreaterThan(0);
  });

  it('the critical path takes the busiest worker of each level, plus the driver', () => {
    expect(criticalPathMs([[3, 5], [4, 1], [2, 2]], 1.5)).toBe(1.5 + 5 + 4 + 2);
    expect(criticalPathMs([], 2)).toBe(2);
    // Thread CPU time only grows (Linux; null elsewhere).
    const a = threadCpuMs();
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += i % 7;
    const b = threadCpuMs();
    if (a !== null && b !== null) expect(b + x * 0).toBeGreaterThanOrEqual(a);
  });

  it('steps replayed to rebuild moved states are counted in a batch and alone', () => {
    const arrange: ExpanderRequest = { op: 'arrange', take: Int32Array.of(0, -1, -2),
      paths: [[0, 1, 2], [3]] };
    expect(rebuiltSteps(arrange)).toBe(4);
    expect(rebuiltSteps({ op: 'batch', requests: [
      { op: 'keep', order: Int32Array.of(0) }, arrange, arrange, { op: 'expand', seen: null },
    ] })).toBe(8);
    expect(rebuiltSteps({ op: 'expand', seen: null })).toBe(0);
    expect(rebuiltSteps('reset')).toBe(0);
  });
});

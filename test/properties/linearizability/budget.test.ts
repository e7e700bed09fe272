import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KvOp, KvResult } from '../../../protocol/kv-types.js';
import { linearizability } from '../../../properties/linearizable.js';
import { checkHistory } from '../../../properties/linearizability/index.js';
import { kvModel } from '../../../properties/models/kv.js';
import type { Operation } from '../../../properties/models/types.js';
import { smart } from '../../../protocol/smart/index.js';
import { loadScenario } from '../../../scenarios/load.js';
import { simulate } from '../../../simulator/sim.js';

/**
 * Verdicts must not depend on the machine: budgets are counted in steps. A "10x slower machine"
 * (here far slower: every clock read jumps 1000 s) must give the same verdict and the same step
 * count; only an explicit wall-clock limit may stop a check, and it says so.
 */
function slowClock(): void {
  let t = performance.now();
  vi.spyOn(performance, 'now').mockImplementation(() => (t += 1_000_000));
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** 24 concurrent indefinite appends, then a read no order produces: a long search. */
function hardHistory(): Operation<KvOp, KvResult>[] {
  const ops: Operation<KvOp, KvResult>[] = [];
  for (let i = 0; i < 24; i++) {
    ops.push({ id: i, client: `c${i}`, input: { type: 'append', key: 'k', value: `<${i}>` },
      output: undefined, call: i, return: Infinity });
  }
  ops.push({ id: 24, client: 'r', input: { type: 'get', key: 'k' },
    output: { ok: true, value: 'nope' }, call: 100, return: 101 });
  return ops;
}

describe('deterministic linearizability budgets', () => {
  it('a step budget gives the same unknown verdict, at the same step, on a slow clock', () => {
    const normal = checkHistory(hardHistory(), kvModel, { maxSteps: 200_000 });
    expect(normal).toMatchObject({ verdict: 'unknown', reason: 'steps' });
    expect(normal.steps).toBeGreaterThanOrEqual(200_000);
    expect(normal.steps).toBeLessThan(202_000);
    slowClock();
    const slow = checkHistory(hardHistory(), kvModel, { maxSteps: 200_000 });
    expect(slow).toMatchObject({ verdict: 'unknown', reason: 'steps', steps: normal.steps });
  });

  it('the run property gives the same verdict and measures on a slow clock', () => {
    const scenario = { ...loadScenario('smart-steady'), durationUs: 8_000_000 };
    const run = simulate({ scenario, protocol: smart, seed: 3 });
    const normal = linearizability.check(run);
    expect(normal.status).toBe('pass');
    // Long enough for the engine to look at its budgets (every 1024 steps) in a partition.
    expect(normal.measures?.['checkSteps']).toBeGreaterThan(3 * 2048);
    slowClock();
    expect(linearizability.check(run)).toEqual(normal);
  });

  it('only an explicit wall-clock limit stops a check, reported as a timeout', () => {
    slowClock();
    const stopped = checkHistory(hardHistory(), kvModel, { maxSteps: 200_000, timeoutMs: 5000 });
    expect(stopped).toMatchObject({ verdict: 'unknown', reason: 'timeout' });
    expect(stopped.steps).toBeLessThan(200_000);
  });
});

/** `campaign-responsive` (scenarios/campaign-responsive.ts): quiet runs need no client retry. */
import { describe, expect, it } from 'vitest';
import {
  isQuiet, LATE_PERMILLE, responsivenessViolation,
} from '../../scenarios/campaign-responsive.js';
import { loadScenario } from '../../scenarios/load.js';
import type { HistoryOp } from '../../simulator/history.js';

const TIMEOUT = 200_000;

/** n operations of one client, one every 10 ms from `from`, each taking `took` µs. */
function ops(n: number, from: number, took: number, first = 0): HistoryOp[] {
  return Array.from({ length: n }, (_, i): HistoryOp => ({ id: first + i, client: 'c0',
    input: { type: 'get', key: 'k0' }, call: from + i * 10_000, status: 'ok',
    return: from + i * 10_000 + took }));
}

describe('campaign-responsive', () => {
  it('holds when every operation is answered within the request timeout', () => {
    expect(responsivenessViolation(ops(200, 0, 15_000), TIMEOUT)).toBeNull();
  });

  it('fails when replies come only after a retry (the whole timeout), naming the first', () => {
    const history = [...ops(100, 0, 15_000), ...ops(100, 1_000_000, TIMEOUT + 5_000, 100)];
    const v = responsivenessViolation(history, TIMEOUT);
    expect(v?.property).toBe('campaign-responsive');
    expect(v?.message).toContain('100 of 198 operations'); // 2 invoked before 15 ms
    expect(v?.message).toContain('c0 op #100 invoked at t=1000000us');
  });

  it('counts an operation that never completed as late', () => {
    const pending: HistoryOp[] = Array.from({ length: 5 }, (_, i) => ({ id: 100 + i,
      client: 'c1', input: { type: 'get', key: 'k0' }, call: 50_000, status: 'info' }));
    expect(responsivenessViolation([...ops(100, 0, 1_000), ...pending], TIMEOUT)).not.toBeNull();
  });

  it(`tolerates up to ${LATE_PERMILLE}‰ late operations, and ignores those invoked before ` +
    'the first answer (groups still forming)', () => {
    const early = ops(10, 0, TIMEOUT + 1);
    expect(responsivenessViolation(early.concat(ops(100, 500_000, 1_000, 10)), TIMEOUT))
      .toBeNull();
    const oneLate = [...ops(100, 0, 1_000), ...ops(1, 2_000_000, TIMEOUT, 100)];
    expect(responsivenessViolation(oneLate, TIMEOUT)).toBeNull(); // 1 of 101 ≤ 10‰
    const twoLate = [...ops(100, 0, 1_000), ...ops(2, 2_000_000, TIMEOUT, 100)];
    expect(responsivenessViolation(twoLate, TIMEOUT)).not.toBeNull(); // 2 of 102 > 10‰
  });

  it('judges only quiet scenarios: no fault, no loss, no duplication', () => {
    expect(isQuiet(loadScenario('opb-steady'))).toBe(true);
    expect(isQuiet(loadScenario('smart-steady'))).toBe(true);
    expect(isQuiet(loadScenario('smart-lossy'))).toBe(false); // loses and duplicates
    expect(isQuiet(loadScenario('opb-three-way'))).toBe(false); // partitions
  });
});

import { describe, expect, it } from 'vitest';
import { availability } from '../../properties/availability.js';
import type { HistoryOp } from '../../simulator/history.js';
import { fakeRun } from '../helpers/record.js';

const op = (id: number, call: number, ret: number | null): HistoryOp => ({
  id, client: 'c0', input: { type: 'get', key: 'k' }, call,
  ...(ret === null ? { status: 'info' as const } : { status: 'ok' as const, return: ret,
    output: { ok: true } }),
});

describe('availability during faults', () => {
  it('counts an operation as served during the faults only if answered before they end', () => {
    const run = { ...fakeRun({ faultWindowEndUs: 3_000_000, endUs: 5_000_000, ops: [
      op(0, 100_000, 110_000), // before the first fault: not in the window
      op(1, 1_200_000, 1_210_000), // served during the faults
      op(2, 1_300_000, 3_400_000), // waited out the outage: answered after the heal
      op(3, 1_400_000, null), // never answered
      op(4, 2_900_000, 2_950_000), // within the last 0.5 s: not counted either way
    ] }), faults: [{ at: 1_000_000, kind: 'crash' as const, node: 'n1' }] };
    const a = availability(run);
    expect(a.answeredInFaultsPermille).toBe(333);
    expect(a.answeredPermille).toBe(800);
    expect(a.longestOutageUs).toBe(1_740_000);
  });
});

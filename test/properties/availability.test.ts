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
  it('counts an operation still waiting when the faults began (closed-loop clients)', () => {
    // Both clients invoked just before the fault and hang through it: nothing new is invoked
    // during the faults, and that is no availability at all, not 0 of 0 = 100 %.
    const run = { ...fakeRun({ faultWindowEndUs: 3_000_000, endUs: 5_000_000, ops: [
      op(0, 900_000, 3_400_000), op(1, 950_000, null), op(2, 800_000, 850_000),
    ] }), faults: [{ at: 1_000_000, kind: 'crash' as const, node: 'n1' }] };
    expect(availability(run).answeredInFaultsPermille).toBe(0);
    const served = { ...run, history: { ...run.history,
      ops: [op(0, 900_000, 1_100_000), op(1, 950_000, null)] } };
    expect(availability(served).answeredInFaultsPermille).toBe(500);
  });
  it('counts the longest outage from the first fault, not from start-up', () => {
    const ops = [op(0, 0, 200_000), op(1, 250_000, 260_000), op(2, 700_000, 1_500_000),
      op(3, 1_600_000, 1_610_000)];
    const faultFree = fakeRun({ faultWindowEndUs: 2_000_000, endUs: 3_000_000, ops });
    // Fault-free: the 200 ms before the first answer is start-up (OPB's first claim), not an
    // outage; the longest gap is then 1_500_000 - 260_000.
    expect(availability(faultFree).longestOutageUs).toBe(1_240_000);
    const crash = { ...faultFree, faults: [{ at: 1_550_000, kind: 'crash' as const, node: 'n1' }] };
    // From the crash: 1.55 s to the answer at 1.61 s, then nothing until the window ends.
    expect(availability(crash).longestOutageUs).toBe(390_000);
    const early = { ...faultFree, faults: [{ at: 0, kind: 'crash' as const, node: 'n1' }] };
    expect(availability(early).longestOutageUs).toBe(1_240_000);
    const boot = fakeRun({ faultWindowEndUs: 2_000_000, ops: [op(0, 0, 1_900_000)] });
    const bootFault = { ...boot, faults: [{ at: 100, kind: 'crash' as const, node: 'n1' }] };
    // A fault at boot: waiting for the first answer is an outage.
    expect(availability(bootFault).longestOutageUs).toBe(1_899_900);
  });
});

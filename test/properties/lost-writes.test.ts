import { describe, expect, it } from 'vitest';
import { anomalies } from '../../properties/anomalies.js';
import { lostWrites } from '../../properties/lost-writes.js';
import type { Verdict } from '../../properties/types.js';
import type { HistoryOp } from '../../simulator/history.js';
import { fakeRun } from '../helpers/record.js';

const v = (property: string, measures: Record<string, number>): Verdict =>
  ({ property, status: 'pass', message: '', measures });

describe('lost acknowledged writes: one definition', () => {
  it('without a protocol check, appends missing at the last read are the lost writes', () => {
    expect(lostWrites([v('anomalies', { missingAtLastRead: 3 })]))
      .toEqual({ lost: 3, reordered: 0, missingAtLastRead: 3, source: 'anomalies' });
  });
  it('a check over the converged history decides; the rest of the missing are reordered', () => {
    const verdicts = [v('anomalies', { missingAtLastRead: 17 }),
      v('opb-c6-no-loss-without-fork', { lostAckedWrites: 2 })];
    expect(lostWrites(verdicts)).toEqual({ lost: 2, reordered: 15, missingAtLastRead: 17,
      source: 'opb-c6-no-loss-without-fork' });
  });
  it('nothing measured: null', () => {
    expect(lostWrites([v('availability', { answeredPermille: 1000 })])).toBeNull();
  });
  it('the anomalies property reports appends missing at the last read, not "lost"', () => {
    const ok = (id: number, input: HistoryOp['input'], call: number, ret: number,
      value?: string): HistoryOp => ({ id, client: 'c0', input, call, status: 'ok', return: ret,
      output: value === undefined ? { ok: true } : { ok: true, value } });
    const run = fakeRun({ ops: [
      ok(0, { type: 'put', key: 'k', value: 'a' }, 0, 1),
      ok(1, { type: 'append', key: 'k', value: '+x' }, 2, 3),
      ok(2, { type: 'get', key: 'k' }, 4, 5, 'a'),
    ] });
    const verdict = anomalies.check(run);
    expect(verdict.measured).toBe(true);
    expect(verdict.measures).toMatchObject({ missingAtLastRead: 1 });
    expect(verdict.measures).not.toHaveProperty('lostAckedWrites');
    expect(lostWrites([verdict])?.lost).toBe(1);
  });
});

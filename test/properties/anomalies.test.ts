import { describe, expect, it } from 'vitest';
import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import { countAnomalies } from '../../properties/anomalies.js';
import type { HistoryOp } from '../../simulator/history.js';

let id = 0;
const op = (input: KvOp, call: number, ret: number, output?: KvResult): HistoryOp =>
  ({ id: id++, client: 'c0', input, call, status: 'ok', return: ret,
    ...(output ? { output } : {}) });
const put = (v: string, c: number, r: number) =>
  op({ type: 'put', key: 'k', value: v }, c, r, { ok: true });
const app = (v: string, c: number, r: number) =>
  op({ type: 'append', key: 'k', value: `+${v}` }, c, r, { ok: true });
const get = (v: string, c: number, r: number) =>
  op({ type: 'get', key: 'k' }, c, r, { ok: true, value: v });

describe('anomaly accounting', () => {
  it('a clean history has no anomalies', () => {
    expect(countAnomalies([put('a', 0, 1), app('x', 2, 3), get('a+x', 4, 5), app('y', 6, 7),
      get('a+x+y', 8, 9)]))
      .toMatchObject({ lostAckedWrites: 0, staleReads: 0, duplicateExecutions: 0,
        readsChecked: 2 });
  });

  it('an acked append missing from the last read is lost; earlier misses are stale', () => {
    const h = [put('a', 0, 1), app('x', 2, 3), get('a', 4, 5), get('a', 6, 7)];
    expect(countAnomalies(h)).toMatchObject({ lostAckedWrites: 1, staleReads: 1 });
  });

  it('a read that misses an append but a later read shows it is stale, not lost', () => {
    expect(countAnomalies([app('x', 0, 1), get('', 2, 3), get('+x', 4, 5)]))
      .toMatchObject({ lostAckedWrites: 0, staleReads: 1 });
  });

  it('an append overwritten by a later put is not lost', () => {
    expect(countAnomalies([app('x', 0, 1), put('b', 2, 3), get('b', 4, 5)]))
      .toMatchObject({ lostAckedWrites: 0, staleReads: 0 });
  });

  it('a read of an overwritten put value is stale; concurrent writes are not', () => {
    expect(countAnomalies([put('a', 0, 1), put('b', 2, 3), get('a', 4, 5)]).staleReads).toBe(1);
    expect(countAnomalies([put('a', 0, 3), put('b', 1, 4), get('a', 5, 6)]).staleReads).toBe(0);
  });

  it('an append token seen twice is a duplicated execution', () => {
    expect(countAnomalies([app('x', 0, 1), get('+x+x', 2, 3)]).duplicateExecutions).toBe(1);
  });
});

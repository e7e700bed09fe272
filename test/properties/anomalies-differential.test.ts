import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import { countAnomalies } from '../../properties/anomalies.js';
import type { HistoryOp } from '../../simulator/history.js';
import { countAnomaliesReference } from './anomalies-reference.js';

/**
 * Random histories over two keys with few distinct values and times (so ties, reused values,
 * duplicated tokens, unknown bases and reads of overwritten values all occur), failed and
 * indefinite operations included.
 */
const values = ['a', 'b', 'c', ''];
const tokens = ['x', 'y', 'z', 'w'];
const arbOp = (maxTime: number) => fc.record({
  kind: fc.constantFrom('put', 'cas', 'append', 'get', 'get', 'get'),
  key: fc.constantFrom('k0', 'k1'),
  value: fc.constantFrom(...values),
  token: fc.constantFrom(...tokens),
  readBase: fc.constantFrom(...values, 'q'),
  readTokens: fc.array(fc.constantFrom(...tokens), { maxLength: 4 }),
  call: fc.integer({ min: 0, max: maxTime }),
  length: fc.integer({ min: 0, max: maxTime >> 2 }),
  status: fc.constantFrom('ok', 'ok', 'ok', 'fail', 'info'),
  casOk: fc.boolean(),
});

type Raw = ReturnType<typeof arbOp> extends fc.Arbitrary<infer T> ? T : never;

function build(raw: readonly Raw[]): HistoryOp[] {
  return raw.map((r, id): HistoryOp => {
    const input: KvOp = r.kind === 'get' ? { type: 'get', key: r.key }
      : r.kind === 'append' ? { type: 'append', key: r.key, value: `+${r.token}` }
      : r.kind === 'cas' ? { type: 'cas', key: r.key, expected: 'a', value: r.value }
      : { type: 'put', key: r.key, value: r.value };
    const output: KvResult = r.kind === 'get'
      ? { ok: true, value: [r.readBase, ...r.readTokens].join('+') }
      : { ok: r.kind === 'cas' ? r.casOk : true };
    const done = r.status === 'info' ? {} : { return: r.call + r.length, output };
    return { id, client: `c${id % 3}`, input, call: r.call, status: r.status as HistoryOp['status'],
      ...done };
  });
}

describe('anomalies: O(n log n) accounting equals the quadratic reference', () => {
  // Short histories make single ties decide a count; long ones mix many overlapping writes.
  it.each([[8, 8], [16, 12], [60, 30]])('on random histories of up to %i ops in [0, %i]',
    (maxLength, maxTime) => {
    fc.assert(fc.property(fc.array(arbOp(maxTime), { maxLength }), (raw) => {
      const ops = build(raw);
      expect(countAnomalies(ops)).toEqual(countAnomaliesReference(ops));
    }), { numRuns: 3000, seed: 12 });
  });

  it('the random histories exercise every count', () => {
    const totals = { lostAckedWrites: 0, staleReads: 0, duplicateExecutions: 0, readsChecked: 0 };
    fc.assert(fc.property(fc.array(arbOp(30), { maxLength: 60 }), (raw) => {
      const c = countAnomalies(build(raw));
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += c[k];
    }), { numRuns: 300, seed: 12 });
    for (const v of Object.values(totals)) expect(v).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  capacityFor, giveBuffer, keptBufferBytes, takeBuffer, zobristKeysFor,
} from '../../../properties/linearizability/buffers.js';
import { checkHistory } from '../../../properties/linearizability/index.js';
import { etcdCasRegisterModel, kvModel } from '../../../properties/models/index.js';
import type { Operation } from '../../../properties/models/types.js';
import { linearizableKeyHistory } from '../../../bench/key-history.js';

/** The history with its first `get` after op 100 reading a value nobody wrote. */
function withBadRead(ops: readonly Operation[]): Operation[] {
  const at = ops.map((o) => (o.input as { type: string }).type).indexOf('get', 100);
  return ops.map((o, i) => (i === at ? { ...o, output: { ok: true, value: 'never' } } : o));
}

describe('linearizability: buffers reused across searches and checks', () => {
  it('hands out power-of-two buffers and keeps given-back ones for the next search', () => {
    expect(capacityFor(1)).toBe(16);
    expect(capacityFor(17)).toBe(32);
    const a = takeBuffer(100);
    expect(a.length).toBe(128);
    a.fill(7);
    const kept = keptBufferBytes();
    giveBuffer(a);
    expect(keptBufferBytes()).toBe(kept + 512);
    expect(takeBuffer(65)).toBe(a);
    expect(keptBufferBytes()).toBe(kept);
  });

  it('shares Zobrist keys that do not depend on which search asked first', () => {
    const small = Array.from(zobristKeysFor(10).subarray(0, 10));
    const big = zobristKeysFor(5000);
    expect(Array.from(big.subarray(0, 10))).toEqual(small);
    expect(new Set(big.subarray(0, 5000)).size).toBe(5000);
  });

  it('gives the same verdicts and explanations whatever ran before (dirty buffers)', () => {
    const good = linearizableKeyHistory(3000, 5, 3);
    const bad = withBadRead(good);
    const fresh = [checkHistory(bad, kvModel), checkHistory(good, kvModel)];
    // Dirty every pooled buffer with bigger searches, then check the same again.
    checkHistory(linearizableKeyHistory(20_000, 4, 9), kvModel);
    checkHistory(withBadRead(linearizableKeyHistory(300, 3, 9)), kvModel);
    const again = [checkHistory(bad, kvModel), checkHistory(good, kvModel)];
    const strip = (r: (typeof fresh)[number]) => ({ ...r, ms: 0 });
    expect(again.map(strip)).toEqual(fresh.map(strip));
    expect(fresh.map((r) => r.verdict)).toEqual(['illegal', 'ok']);
  });

  it('orders ops given in any order as it orders them given in time order', () => {
    // Reversed, the insertion sort gives way to the library sort (more than 8 moves per op).
    // Times made distinct, so that no tie is broken by position in the array.
    const n = 2000;
    const ops = withBadRead(linearizableKeyHistory(n, 4, 5)).map((o) => ({ ...o,
      call: o.call * 4 * n + 2 * o.id, return: o.return * 4 * n + 2 * o.id + 1 }));
    const reversed = [...ops].reverse();
    const forward = checkHistory(ops, kvModel);
    const backward = checkHistory(reversed, kvModel);
    expect(forward.verdict).toBe('illegal');
    expect({ ...backward, ms: 0 }).toEqual({ ...forward, ms: 0 });
    // Slightly out of order (neighbours swapped): the insertion sort alone.
    const swapped = ops.map((_, i) => ops[i % 2 === 0 ? Math.min(i + 1, ops.length - 1)
      : i - 1] as Operation);
    expect({ ...checkHistory(swapped, kvModel), ms: 0 }).toEqual({ ...forward, ms: 0 });
  });

  it('places indefinite operations after every return, in op order', () => {
    const w = (id: number, value: number, call: number, ret: number): Operation => ({
      id, client: `c${id}`, input: { type: 'write', value }, output: { ok: true }, call,
      return: ret });
    const read = (id: number, value: number, call: number, ret: number): Operation => ({
      id, client: `r${id}`, input: { type: 'read' }, output: { ok: true, value }, call,
      return: ret });
    // The indefinite write of 2 may take effect after the read of 1, never before it.
    const ops = [w(0, 1, 0, 1), { ...w(1, 2, 2, 0), output: undefined, return: Infinity },
      read(2, 1, 3, 4), read(3, 2, 5, 6)];
    expect(checkHistory(ops, etcdCasRegisterModel).verdict).toBe('ok');
    const never = [ops[0]!, ops[1]!, read(2, 2, 3, 4), read(3, 1, 5, 6)];
    expect(checkHistory(never, etcdCasRegisterModel).verdict).toBe('illegal');
  });
});

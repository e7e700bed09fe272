/**
 * Packet interning (draft.ts): equal packets are one object, found by structural hash and
 * confirmed by `sameValue` or, when that is unsure, by canonical text; unequal ones stay apart.
 */
import { describe, expect, test } from 'vitest';
import { primaryCopy } from '../../../protocol/example/primary-copy.js';
import { defaultCheckConfig, serialize } from '../../../simulator/checker/index.js';
import { Draft } from '../../../simulator/checker/draft.js';
import { sameValue } from '../../../simulator/checker/same-value.js';
import { initialState, makeModel } from '../../../simulator/checker/system.js';

describe('sameValue', () => {
  test('true only for values serialize equates', () => {
    const pairs: [unknown, unknown][] = [
      [{ a: 1, b: [1, 'x'] }, { b: [1, 'x'], a: 1 }],
      [new Map([['k', { v: 1 }]]), new Map([['k', { v: 1 }]])],
      [new Set(['a', 'b']), new Set(['b', 'a'])],
      [{ a: 1 }, { a: 2 }], [[1, 2], [1, 2, 3]], [{ a: 1 }, { a: 1, b: 2 }],
      [new Map([['k', 1]]), new Map([['j', 1]])], [new Set(['a']), ['a']], [null, {}],
    ];
    for (const [a, b] of pairs) {
      if (sameValue(a, b)) expect(serialize(a)).toBe(serialize(b));
    }
    expect(pairs.map(([a, b]) => sameValue(a, b)))
      .toEqual([true, true, true, false, false, false, false, false, false]);
  });

  test('unsure cases answer false (the caller then compares texts)', () => {
    expect(sameValue({ a: undefined }, {})).toBe(false);
    expect(serialize({ a: undefined })).toBe(serialize({}));
  });
});

describe('packet interning', () => {
  const model = makeModel(primaryCopy, { ...defaultCheckConfig, network: 'multiset' }, null);
  const root = initialState(model).state;

  test('equal bodies from different objects are one packet; unequal ones are not', () => {
    const d = new Draft(model, { ...root, inflight: [] });
    d.addPacket('msg', 'n1', 'n2', { t: 'X', m: new Map([['a', 1], ['b', 2]]) });
    d.addPacket('msg', 'n1', 'n2', { m: new Map([['b', 2], ['a', 1]]), t: 'X' });
    d.addPacket('msg', 'n1', 'n2', { t: 'X', m: new Map([['a', 1], ['b', 3]]) });
    d.addPacket('msg', 'n2', 'n1', { t: 'X', m: new Map([['a', 1], ['b', 2]]) });
    expect(d.inflight).toHaveLength(4); // A multiset: both copies are in flight...
    expect(new Set(d.inflight).size).toBe(3); // ...as one object; the other two stay apart.
  });
});

import { describe, expect, it } from 'vitest';
import { mapWith } from '../../protocol/map-with.js';

describe('mapWith', () => {
  it('gives what new Map(m).set(k, v) gives, insertion order included', () => {
    const m = new Map([['b', 1], ['a', 2], ['c', 3]]);
    for (const [k, v] of [['a', 9], ['d', 4], ['b', 1]] as const) {
      expect([...mapWith(m, k, v)]).toEqual([...new Map(m).set(k, v)]);
    }
  });

  it('never changes the map it is given', () => {
    const m = new Map([['a', 1]]);
    const next = mapWith(m, 'a', 2);
    expect(m.get('a')).toBe(1);
    expect(next.get('a')).toBe(2);
    expect(next).not.toBe(m);
  });

  it('returns the same map only when the key already holds that value', () => {
    const m = new Map<string, number | undefined>([['a', 1]]);
    expect(mapWith(m, 'a', 1)).toBe(m);
    // undefined for a missing key is still a new entry.
    const added = mapWith(m, 'b', undefined);
    expect(added).not.toBe(m);
    expect(added.has('b')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { countBelow, latestAt, pushTo } from '../../properties/run-values.js';

describe('run-values readers', () => {
  it('countBelow counts strictly below, or at or below with orAt, by bisection', () => {
    const xs = [1, 3, 3, 3, 7, 9];
    // Against a linear count on every probe, including the ties and both ends.
    for (const x of [0, 1, 2, 3, 4, 7, 8, 9, 10]) {
      expect(countBelow(xs, x)).toBe(xs.filter((v) => v < x).length);
      expect(countBelow(xs, x, true)).toBe(xs.filter((v) => v <= x).length);
    }
    expect(countBelow([], 5, true)).toBe(0);
  });

  it('latestAt finds the last item at or before an instant', () => {
    const list = [{ at: 2, v: 'a' }, { at: 5, v: 'b' }, { at: 5, v: 'c' }, { at: 8, v: 'd' }];
    expect(latestAt(list, 1)).toBeUndefined();
    expect(latestAt(list, 5)?.v).toBe('c');
    expect(latestAt(list, 7)?.v).toBe('c');
    expect(latestAt(list, 99)?.v).toBe('d');
  });

  it('pushTo appends to the list under a key, starting one', () => {
    const m = new Map<string, number[]>();
    pushTo(m, 'n1', 1);
    pushTo(m, 'n1', 2);
    pushTo(m, 'n2', 3);
    expect([...m]).toEqual([['n1', [1, 2]], ['n2', [3]]]);
  });
});

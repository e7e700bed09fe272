import { describe, expect, it } from 'vitest';
import { countBelow, happenedBefore, latestAt, pushTo } from '../../properties/run-values.js';

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
  it('happenedBefore places facts at their steps, node facts first among waited steps', () => {
    // A fact whose step ran at 680 behind a slow disk, recorded at 872; a corruption at 800.
    const waited = { at: 872, seq: 9, stepAt: 680, step: 4 };
    const corrupt = { at: 800, seq: 7 };
    expect(happenedBefore(waited, corrupt)).toBe(true);
    expect(happenedBefore(corrupt, waited)).toBe(false);
    // At one instant: a step whose fact waited ran after the node fact (faults come first)...
    const sameInstant = { at: 992, seq: 12, stepAt: 800, step: 6 };
    expect(happenedBefore(corrupt, sameInstant)).toBe(true);
    expect(happenedBefore(sameInstant, corrupt)).toBe(false);
    // ...facts recorded at their steps go by seq, and two steps by their numbers.
    expect(happenedBefore({ at: 800, seq: 6, step: 5 }, corrupt)).toBe(true);
    expect(happenedBefore({ at: 800, seq: 8, step: 5 }, corrupt)).toBe(false);
    expect(happenedBefore({ at: 800, seq: 20, step: 5 }, sameInstant)).toBe(true);
    expect(happenedBefore(sameInstant, { at: 800, seq: 3, step: 5 })).toBe(false);
    // Facts of one step (an adoption, then a leave) in the order it recorded them.
    expect(happenedBefore({ ...waited, seq: 9 }, { ...waited, seq: 10 })).toBe(true);
    expect(happenedBefore({ ...waited, seq: 10 }, { ...waited, seq: 9 })).toBe(false);
  });
});

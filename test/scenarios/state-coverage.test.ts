/**
 * Merging trials' state fingerprints: in seed order whatever order they arrive in, so the
 * distinct count and its saturation series are the same for any worker count; the series
 * grows with the trials; a stopped exploration counts the prefix up to where it stopped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeFingerprints, StateCoverageTally, trialStates, type TrialStates,
} from '../../scenarios/state-coverage.js';

/** A trial whose states are the given small integers (as fingerprints (n, ~n)). */
function trial(states: readonly number[]): TrialStates {
  const pairs = new Int32Array(2 * states.length);
  states.forEach((n, i) => {
    pairs[2 * i] = n;
    pairs[2 * i + 1] = ~n;
  });
  return trialStates(pairs);
}

const trials = fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }),
  { minLength: 1, maxLength: 20 });

function inOrder(ts: readonly (readonly number[])[]): StateCoverageTally {
  const tally = new StateCoverageTally();
  ts.forEach((states, i) => tally.offer(i, i % 2 === 0 ? 'even' : 'odd', trial(states)));
  return tally;
}

describe('state coverage across trials', () => {
  it('fingerprints survive the text encoding that crosses threads and queues', () => {
    const pairs = new Int32Array([1, -1, 0x7fffffff, -0x80000000, 0, 1]);
    expect([...decodeFingerprints(trialStates(pairs).fingerprints)]).toEqual([...pairs]);
    expect(() => decodeFingerprints('AAAA')).toThrow(/torn/);
  });

  it('counts the union of the trials, per scenario and in all', () => {
    const f = inOrder([[1, 2], [2, 3], [3, 4, 5], [1]]).figure();
    expect(f.trials).toBe(4);
    expect(f.distinct).toBe(5);
    expect(f.byScenario).toEqual([{ scenario: 'even', trials: 2, distinct: 5 },
      { scenario: 'odd', trials: 2, distinct: 3 }]);
    expect(f.saturation).toEqual([{ trials: 1, distinct: 2 }, { trials: 2, distinct: 3 },
      { trials: 4, distinct: 5 }]);
  });

  it('the same figure whatever order trials finish in; the series never decreases', () => {
    fc.assert(fc.property(trials.chain((ts) => fc.tuple(fc.constant(ts),
      fc.shuffledSubarray(ts.map((_, i) => i), { minLength: ts.length }))), ([ts, order]) => {
      const expected = inOrder(ts).figure();
      const tally = new StateCoverageTally();
      for (const i of order) tally.offer(i, i % 2 === 0 ? 'even' : 'odd', trial(ts[i]!));
      expect(tally.figure()).toEqual(expected);
      expect(expected.distinct).toBe(new Set(ts.flat()).size);
      const s = expected.saturation;
      expect(s.at(-1)).toEqual({ trials: ts.length, distinct: expected.distinct });
      for (let i = 1; i < s.length; i++) {
        expect(s[i]!.trials).toBeGreaterThan(s[i - 1]!.trials);
        expect(s[i]!.distinct).toBeGreaterThanOrEqual(s[i - 1]!.distinct);
      }
    }));
  });

  it('a stopped exploration counts the trials up to the stop, whichever finished after it',
    () => {
      const one = new StateCoverageTally();
      one.offer(0, 's', trial([1]));
      one.offer(1, 's', trial([2]));
      one.stopAfter(1);
      // A second worker had also finished trial 2 (and trial 1 came back last).
      const two = new StateCoverageTally();
      two.offer(0, 's', trial([1]));
      two.offer(2, 's', trial([3]));
      two.stopAfter(1);
      two.offer(1, 's', trial([2]));
      expect(two.figure()).toEqual(one.figure());
      expect(one.figure().distinct).toBe(2);
    });

  it('a trial without fingerprints (lost, errored) counts as a trial with no states', () => {
    const tally = new StateCoverageTally();
    tally.offer(1, 's', trial([5]));
    tally.offer(0, 's', null);
    expect(tally.figure()).toMatchObject({ trials: 2, distinct: 1 });
  });
});

/**
 * The one source of randomness of a run: seedrandom's Alea behind an integer-only API, with
 * `fork()` to derive independent sub-streams (network, faults, workload, each client) so that a
 * new draw in one place does not shift the draws of the others.
 */
import seedrandom from 'seedrandom';
import { AssertionFailure, assert } from '../protocol/assert.js';

export interface Prng {
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability num/den. */
  chance(num: number, den: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** A child stream seeded by one draw from this one. */
  fork(): Prng;
}

const MAX_RANGE = 2 ** 32;

function badRatio(num: number, den: number): never {
  throw new AssertionFailure(`prng: bad ratio ${num}/${den}`);
}

export function createPrng(seed: number | string): Prng {
  const next = seedrandom.alea(String(seed));
  const int = (min: number, max: number): number => {
    const span = max - min + 1;
    // Hot path: small integer ranges (the network draws several per message).
    if (span >= 1 && span <= MAX_RANGE && (min | 0) === min && (max | 0) === max)
      return min + Math.floor(next() * span);
    assert(Number.isSafeInteger(min) && Number.isSafeInteger(max), 'prng: bounds must be integers');
    assert(max >= min, `prng: empty range [${min}, ${max}]`);
    return min + Math.floor((span <= MAX_RANGE ? next() : next.double()) * span);
  };
  return {
    int,
    chance(num, den) {
      // Not assert(): its message would be built on every draw (several per message sent).
      if (!(den > 0 && num >= 0 && num <= den)) badRatio(num, den);
      if (num === 0) return false;
      return int(0, den - 1) < num;
    },
    pick(items) {
      assert(items.length > 0, 'prng: pick from an empty list');
      return items[int(0, items.length - 1)]!;
    },
    shuffle(items) {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        const t = out[i]!;
        out[i] = out[j]!;
        out[j] = t;
      }
      return out;
    },
    fork() {
      return createPrng(`${int(0, MAX_RANGE - 1)}.${int(0, MAX_RANGE - 1)}`);
    },
  };
}

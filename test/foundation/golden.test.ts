/**
 * Pinned trace hashes of reference runs. A change in PRNG draw order, iteration order, trace
 * format or protocol logic changes them: that is the point. Update only for a change you meant
 * (and say so in the commit).
 */
import { describe, expect, it } from 'vitest';
import { primaryCopy } from '../../protocol/example/primary-copy.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';

const golden: [string, number, string][] = [
  ['example-steady', 7, '75f25defdb396bb02ef9278c9a7eb822c08a6b431decdc515d37dc36eb726c9d'],
  ['example-backup-crash', 7, 'd2e28a13ba282c927c17d32441deb43081ca74b87c9636870cc1931d98b36b2c'],
  ['example-partition', 42, '2c539f2f1688d6e2a4ea2abe96d0bfda1a6ac81181005c7ce025f3abe32820bf'],
];

describe('golden trace hashes', () => {
  for (const [name, seed, hash] of golden) {
    it(`${name} seed ${seed}`, () => {
      expect(simulate({ scenario: loadScenario(name), protocol: primaryCopy, seed }).traceHash)
        .toBe(hash);
    });
  }
});

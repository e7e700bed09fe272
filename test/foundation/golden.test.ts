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
  ['example-steady', 7, '08cae3a044522736e251a01bb9e46ab859ba15c72cb391679ac1c08163e4a927'],
  ['example-backup-crash', 7, '80a0679e76c9c93b9f62798fb3a80e7752d1f46dea2efb379ffd7e77541c6f78'],
  ['example-partition', 42, 'ff8650f2ccdb2b8d9ba6b3dd26b7970af35463704ba959fa727bd59b31d13051'],
];

describe('golden trace hashes', () => {
  for (const [name, seed, hash] of golden) {
    it(`${name} seed ${seed}`, () => {
      expect(simulate({ scenario: loadScenario(name), protocol: primaryCopy, seed }).traceHash).toBe(hash);
    });
  }
});

/**
 * Pinned trace hashes of reference runs. A change in PRNG draw order, iteration order, trace
 * format (simulator/trace.ts TRACE_FORMAT) or protocol logic changes them: that is the point.
 * Update only for a change you meant (and say so in the commit).
 */
import { describe, expect, it } from 'vitest';
import { primaryCopy } from '../../protocol/example/primary-copy.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';

const golden: [string, number, string][] = [
  ['example-steady', 7, '66d8cc9b7b154286484e280f6e3c4081723331e14cd7b744383e22578116d8e4'],
  ['example-backup-crash', 7, '6ffa95a45fb247e46a4d46e4e4bcded1795023e8c2712af0846da0a089c898bd'],
  ['example-partition', 42, 'e22af1f624bdbe6fb6775d8a8d36e9b064144dda7410b9d27ca3d2f540444342'],
];

describe('golden trace hashes', () => {
  for (const [name, seed, hash] of golden) {
    it(`${name} seed ${seed}`, () => {
      expect(simulate({ scenario: loadScenario(name), protocol: primaryCopy, seed }).traceHash)
        .toBe(hash);
    });
  }
});

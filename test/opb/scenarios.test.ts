import { describe, expect, it } from 'vitest';
import { failures, opbScenarioNames, runOpb } from './helpers.js';

const SEEDS = [0, 1, 2];

describe('opb built-in scenarios pass C1–C9 on a handful of seeds', () => {
  it('has the scenarios the issue asks for', () => {
    expect(opbScenarioNames()).toEqual(expect.arrayContaining([
      'opb-steady', 'opb-primary-crash', 'opb-majority-dcs-down', 'opb-partition-halves', 'opb-three-way',
      'opb-asymmetric', 'opb-recovering-top', 'opb-corruption', 'opb-zone-disasters', 'opb-diurnal', 'opb-spike',
    ]));
  });
  for (const name of opbScenarioNames()) {
    it(name, () => {
      for (const seed of SEEDS) {
        const run = runOpb(name, seed);
        expect({ seed, failures: failures(run) }).toEqual({ seed, failures: [] });
        expect(run.metrics.opsOk).toBeGreaterThan(0);
      }
    });
  }
});

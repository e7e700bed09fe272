import { describe, expect, it } from 'vitest';
import { smart } from '../../../protocol/smart/index.js';
import {
  huntMutant, runSmart, smartMutantScenarios,
} from '../../../scenarios/experiments/smart-catalog.js';

describe('smart mutants', () => {
  it('lists exactly the mutants of the issue', () => {
    expect(smart.mutants.map((m) => m.name).sort())
      .toEqual(smartMutantScenarios.map((m) => m.mutant).sort());
  });
  for (const { mutant, scenario, trace, from = 0 } of smartMutantScenarios) {
    it(`${mutant} is caught by ${scenario} within seeds ${from}..${from + 199}, and the run ` +
      'replays', () => {
      const hit = huntMutant(mutant, scenario, 200, trace === true, from);
      expect(hit, `${mutant} not caught`).not.toBeNull();
      const again = runSmart(scenario, hit!.seed, mutant, trace === true);
      expect(again.run.traceHash).toBe(hit!.found.run.traceHash);
      expect(again.failed.map((v) => v.property)).toEqual(hit!.found.failed.map((v) => v.property));
      // The correct protocol passes the same seed.
      expect(runSmart(scenario, hit!.seed, null, trace === true).failed).toEqual([]);
    });
  }
});

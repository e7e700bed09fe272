/**
 * opb-c8-consolidate-below-cmax (P2.6 #3): a primary moves its backups to save power only while
 * its own node is below Cmax, by loads recomputed from the clients' requests. opb-diurnal seed 1:
 * unmutated, every such move is decided on a node below Cmax; with Cmax lowered under the loads
 * of those decisions (what mutation #699 of the seed-39 sample does at Cmax: n13 at 733‰ moved
 * its backup n4 at t = 9 s) the same run fails.
 */
import { describe, expect, it } from 'vitest';
import { gatherProblems, opbConsolidateBelowCmax } from '../../properties/opb-gather.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (scenario: string, seed: number): RunRecord => simulate({
  scenario: loadScenario(scenario), protocol: findProtocol('opb')!, seed, mutant: null });

describe('opb-c8-consolidate-below-cmax', () => {
  const run = record('opb-diurnal', 1);

  it('holds when every power move of a backup is decided below Cmax', () => {
    const r = gatherProblems(run, true);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
    expect(opbConsolidateBelowCmax.check(run).status).toBe('pass');
  });

  it('fails the same run when Cmax is below the loads of those decisions', () => {
    const low = gatherProblems({ ...run, params: { ...run.params, cmaxPct: 5 } }, true);
    expect(low.judged).toBe(gatherProblems(run, true).judged);
    expect(low.problems.length).toBeGreaterThan(0);
    expect(low.problems[0]).toMatch(
      /^s\d: n\d+ moved backup n\d+ to n\d+ to save power at t=\d+us with at least \d+‰ /);
    expect(low.problems[0]).toMatch(/: not below Cmax 50‰$/);
  });

  it('judges nothing without power saving', () => {
    expect(gatherProblems({ ...run, params: { ...run.params, power: false } }, true).judged)
      .toBe(0);
    expect(opbConsolidateBelowCmax.check(record('opb-steady', 0)).status).toBe('skip');
  });
});

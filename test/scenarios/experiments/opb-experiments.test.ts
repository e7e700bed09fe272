import { describe, expect, it } from 'vitest';
import { findExperiment } from '../../../scenarios/experiments/index.js';
import { longestAboveUs } from '../../../properties/opb-placement.js';
import { runSeeds, variant } from '../../../scenarios/experiments/opb-common.js';
import type { ExperimentResult } from '../../../scenarios/experiments/types.js';
import { buildWorld } from '../../../properties/opb-world.js';

function run(name: string, seeds?: number, ablate?: string): ExperimentResult {
  const e = findExperiment(name);
  if (e === undefined) throw new Error(`no experiment ${name}`);
  const options = { seeds: seeds ?? e.defaultSeeds ?? 3 };
  return e.run(ablate === undefined ? options : { ...options, ablate });
}

/** The claims (by their opening words) that failed. */
const failed = (result: ExperimentResult): string[] =>
  result.checks.filter((c) => !c.ok).map((c) => c.claim.split(' ').slice(0, 3).join(' '));

/** The issue's "must show" claims are the experiments' shape checks: each must hold. */
function expectChecks(result: ExperimentResult): void {
  expect(result.checks.length).toBeGreaterThanOrEqual(2);
  for (const c of result.checks) {
    const got = { claim: c.claim, ok: c.ok, detail: c.detail };
    expect(got).toEqual({ ...got, ok: true });
  }
}

describe('OPB experiments reproduce the claims of P2.9', () => {
  it('opb-availability: shape checks hold; losses are told apart from merge reorders', () => {
    const result = run('opb-availability', 1);
    expectChecks(result);
    const table = result.tables[0]!;
    const col = (c: string): number => table.columns.indexOf(c);
    const halves = table.rows.find((r) => r[0] === 'partition into halves' && r[1] === 'opb')!;
    expect(halves[col('lost acked writes')]).toBe(0);
    expect(Number(halves[col('overwritten by merge')])).toBeGreaterThan(0);
    // Clients are cut with their DC: SMART's minority side answers nothing, OPB's both sides do.
    const sides = result.tables[1]!.rows.map((r) => [r[1], r[2], r[3]]);
    expect(sides).toEqual([['opb', 'c0 c1 c3', '100.0%'], ['opb', 'c2', '100.0%'],
      ['smart', 'c0 c1 c3', '100.0%'], ['smart', 'c2', '0.0%']]);
  });
  it('opb-adaptation: shape checks hold', () => expectChecks(run('opb-adaptation', 1)));
  it('opb-next-disaster: shape checks hold on its default 20 seeds', () => {
    const result = run('opb-next-disaster');
    expectChecks(result);
    expect(result.tables[0]!.rows.map((r) => r[1])).toEqual([20, 20]);
  });
});

describe('OPB shape checks fail when the mechanism that explains them is off', () => {
  it('opb-adaptation without power saving: no fewer nodes on, no higher load on them', () => {
    expect(failed(run('opb-adaptation', 1, 'power'))).toEqual(['fewer powered-on nodes',
      'consolidation loads powered-on']);
  });
  it('opb-adaptation without balancing: the spike overloads as long as static placement', () => {
    expect(failed(run('opb-adaptation', 1, 'balance'))).toEqual(['spike: balancing keeps']);
  });
  it('the Cmax bound (cool-down plus a move) flags a node kept above Cmax: the spike', () => {
    // Balancing cannot split one hot service, so in the spike a node stays above Cmax (67 %)
    // far longer than the cool-down (1 s) plus the longest move: the bound is not vacuous.
    const [r] = runSeeds(variant('opb-spike', (s) => s), 'opb', 1)!;
    expect(longestAboveUs(buildWorld(r!), 670)).toBeGreaterThan(1_000_000 + 1_000_000);
  });
  it('opb-next-disaster without reorganization: nothing restored, the service is lost', () => {
    expect(failed(run('opb-next-disaster', 20, 'reorg'))).toEqual([
      'reorganization restores k', 'reorganization never loses']);
  });
});

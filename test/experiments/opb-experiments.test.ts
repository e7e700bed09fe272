import { describe, expect, it } from 'vitest';
import { findExperiment } from '../../scenarios/experiments/index.js';
import type { ExperimentResult } from '../../scenarios/experiments/types.js';

function run(name: string, seeds: number): ExperimentResult {
  const e = findExperiment(name);
  if (e === undefined) throw new Error(`no experiment ${name}`);
  return e.run({ seeds });
}

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
  });
  it('opb-adaptation: shape checks hold', () => expectChecks(run('opb-adaptation', 1)));
  it('opb-next-disaster: shape checks hold', () => expectChecks(run('opb-next-disaster', 3)));
});

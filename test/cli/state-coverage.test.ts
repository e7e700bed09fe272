/**
 * `explore` and `sweep` with --state-coverage: the distinct-state count and its saturation
 * series are the same with one worker thread as with two (trials merge in seed order).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StateCoverageFigure } from '../../scenarios/state-coverage.js';
import { cliAsync, root } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'replisim-state-coverage-'));
/** A short example-protocol scenario, so that a few trials take well under a second each. */
const scenario = join(dir, 'short.json');
writeFileSync(scenario, JSON.stringify({
  ...JSON.parse(readFileSync(join(root, 'scenarios/builtin/example-partition.json'), 'utf8')),
  name: 'short', durationUs: 300_000, settleUs: 200_000, faults: [] }));

async function figure(args: string[]): Promise<StateCoverageFigure> {
  const r = await cliAsync([...args, '--state-coverage', '--json']);
  expect(r.stderr).toContain('state coverage:');
  return (JSON.parse(r.stdout) as { stateCoverage: StateCoverageFigure }).stateCoverage;
}

function expectSaturating(f: StateCoverageFigure, trials: number): void {
  expect(f.trials).toBe(trials);
  expect(f.saturation.at(-1)).toEqual({ trials, distinct: f.distinct });
  for (let i = 1; i < f.saturation.length; i++) {
    expect(f.saturation[i]!.distinct).toBeGreaterThanOrEqual(f.saturation[i - 1]!.distinct);
  }
}

describe('--state-coverage', () => {
  it('explore: the same figure with 1 and 2 workers', async () => {
    const args = (w: string): string[] => ['explore', '--protocol', 'example', '--scenario',
      scenario, '--runs', '4', '--workers', w, '--out', join(dir, `explore-${w}`)];
    const [one, two] = await Promise.all([figure(args('1')), figure(args('2'))]);
    expect(two).toEqual(one);
    expectSaturating(one, 4);
    expect(one.distinct).toBeGreaterThan(one.saturation[0]!.distinct);
    const rows = readFileSync(join(dir, 'explore-1', 'results.jsonl'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as { distinctStates: number });
    expect(rows).toHaveLength(4);
    expect(Math.max(...rows.map((r) => r.distinctStates))).toBeLessThanOrEqual(one.distinct);
  });

  it('sweep: the same figure with 1 and 2 workers', async () => {
    const args = (w: string): string[] => ['sweep', scenario, '--protocol', 'example',
      '--seeds', '3', '--workers', w, '--no-store'];
    const [one, two] = await Promise.all([figure(args('1')), figure(args('2'))]);
    expect(two).toEqual(one);
    expectSaturating(one, 3);
  });
});

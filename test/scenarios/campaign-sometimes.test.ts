/**
 * `campaign-sometimes`: after a scenario's last campaign run, the events it declares in
 * `sometimes` must have happened in at least one of its runs (scenarios/campaign.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCampaign, sometimesViolation } from '../../scenarios/campaign.js';
import { builtinScenarioDir } from '../../scenarios/paths.js';

describe('campaign-sometimes', () => {
  it('fails when no run of the scenario showed a declared event, naming it', () => {
    // opb-spike declares leader-change and migration.
    expect(sometimesViolation('opb-spike', 'opb', [['leader-change'], []])).toEqual({
      property: 'campaign-sometimes',
      message: 'opb-spike: expected migration at least once, but none of its 2 campaign runs ' +
        'showed it' });
    expect(sometimesViolation('opb-spike', 'opb', [[]])?.message)
      .toContain('expected leader-change, migration');
  });

  it('holds when the runs together showed every declared event', () => {
    expect(sometimesViolation('opb-spike', 'opb', [['leader-change'], ['migration']])).toBeNull();
    expect(sometimesViolation('opb-steady', 'opb', [[]])).toBeNull(); // declares none
  });

  it('an event the protocol cannot show is not expected of it', () => {
    // opb-three-way declares reconciliation, which only OPB can show.
    expect(sometimesViolation('opb-three-way', 'smart', [['leader-change', 'state-transfer']]))
      .toBeNull();
  });

  it('a campaign whose run never shows a declared event fails after that scenario', () => {
    // opb-steady has no faults, so nothing migrates: declaring a migration is never met.
    const dir = mkdtempSync(join(tmpdir(), 'replisim-sometimes-'));
    const file = join(dir, 'steady-expects-migration.json');
    const steady = JSON.parse(readFileSync(join(builtinScenarioDir(), 'opb-steady.json'),
      'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...steady, sometimes: ['migration'] }));
    const r = runCampaign('opb', null, undefined, { runs: [{ scenario: file, seeds: [0] }],
      exploreTrials: 0, exploreSeed: 0, exploreScenarios: [] });
    expect(r.violation).toMatchObject({ index: 0, property: 'campaign-sometimes' });
    expect(r.violation!.message).toContain('expected migration');
  });
});

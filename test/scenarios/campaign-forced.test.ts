/**
 * `campaign-forced` (scenarios/campaign.ts): a listed run must show the events its campaign
 * entry says the scenario forces.
 */
import { describe, expect, it } from 'vitest';
import { campaigns, forcedViolation, runCampaign } from '../../scenarios/campaign.js';
import { loadScenario } from '../../scenarios/load.js';

describe('campaign-forced', () => {
  it('fails when the run did not show a forced event, naming it', () => {
    expect(forcedViolation('opb-spike', ['leader-change', 'migration'], ['leader-change']))
      .toEqual({ property: 'campaign-forced',
        message: 'opb-spike forces migration in every run, but this run showed none' });
  });

  it('holds when every forced event happened, or none is forced', () => {
    expect(forcedViolation('opb-spike', ['leader-change'], ['leader-change', 'migration']))
      .toBeNull();
    expect(forcedViolation('opb-steady', [], [])).toBeNull();
  });

  it('a campaign run that does not show a forced event fails at that run', () => {
    // opb-steady has no fault and no load change: its primary never changes.
    const r = runCampaign('opb', null, undefined, { runs: [{ scenario: 'opb-steady',
      seeds: [0], forces: ['leader-change'] }], exploreTrials: 0, exploreSeed: 0,
    exploreScenarios: [] });
    expect(r.violation).toMatchObject({ index: 0, property: 'campaign-forced',
      message: 'opb-steady forces leader-change in every run, but this run showed none' });
  });

  it('the built-in campaigns force events only in scenarios that declare them', () => {
    for (const c of Object.values(campaigns)) {
      for (const r of c.runs) {
        const declared = loadScenario(r.scenario).sometimes ?? [];
        for (const e of r.forces ?? []) expect(declared, `${r.scenario} ${e}`).toContain(e);
      }
    }
  });
});

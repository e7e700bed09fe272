/** `campaign-observations` (scenarios/campaign.ts): protocol-neutral facts keep their shape. */
import { describe, expect, it } from 'vitest';
import { observationViolation, runStep } from '../../scenarios/campaign.js';

describe('campaign-observations', () => {
  const run = runStep('smart', null, { kind: 'run', scenario: 'smart-steady', seed: 0 }).record;

  it('holds on a run whose role, state and retired facts have their declared fields', () => {
    expect(run.observations.some((o) => o.label === 'role')).toBe(true);
    expect(observationViolation(run)).toBeNull();
  });

  it('fails on a role fact without its fields, naming the fact', () => {
    const bad = { at: 5, seq: run.observations.length, node: 'n1', label: 'role', data: {} };
    const v = observationViolation({ ...run, observations: [...run.observations, bad] });
    expect(v).toEqual({ property: 'campaign-observations',
      message: 'Error: malformed role observation of n1 at t=5us: group is not a string' });
  });
});

/**
 * `explore --record` (TrialRequest.record): every run of the trial, its shrinking runs too, keeps
 * the message record, so the checks judged from it run. Without it they skip, and a mutant that
 * only such a check catches passes explore: smart:role-on-every-follow (a step-down reported by
 * followers that never led) is seen only by smart-role-stepdown, from the record.
 */
import { describe, expect, it } from 'vitest';
import { runTrial } from '../../scenarios/explore.js';
import { loadScenario } from '../../scenarios/load.js';

const trial = (record: boolean) => runTrial({ scenario: loadScenario('smart-steady'),
  protocol: 'smart', mutant: 'smart:role-on-every-follow', seed: 1, shrinkRuns: 20, record });

describe('explore --record', () => {
  it('judges the checks read from the message record, and shrinks their failures', () => {
    expect(trial(false).ok).toBe(true);
    const found = trial(true);
    expect(found.ok).toBe(false);
    expect(found.violations.map((v) => v.property)).toContain('smart-role-stepdown');
    // The saved counterexample names the check the record showed failing.
    expect(found.counterexample?.property).toBe('smart-role-stepdown');
  });
});

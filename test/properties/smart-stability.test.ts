/** smart-leader-stability: no election in a stretch no fault touches, once there is a leader. */
import { describe, expect, it } from 'vitest';
import { smartLeaderStability } from '../../properties/smart-stability.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';

const stability = (scenario: string, mutant: string | null) =>
  smartLeaderStability.check(
    runChecked({ scenario: loadScenario(scenario), protocol: 'smart', seed: 0, mutant }).record);

describe('smart-leader-stability', () => {
  it('holds on the fault-free and the leader-crash scenarios, judging some stretch', () => {
    for (const s of ['smart-steady', 'smart-leader-crash']) {
      const v = stability(s, null);
      expect(v.status, `${s}: ${v.message}`).toBe('pass');
    }
  });

  it('fails when the leader stops heartbeating', () => {
    const run = runChecked({ scenario: loadScenario('smart-steady'), protocol: 'smart', seed: 0,
      mutant: 'smart:heartbeat-stops' });
    // The calm-run check sees it too: once heartbeats stop, a client waits out its timeout.
    expect(run.violations.map((v) => v.property)).toEqual(['smart-leader-stability',
      'smart-calm-no-timeout']);
    expect(stability('smart-steady', 'smart:heartbeat-stops').message)
      .toMatch(/started an election in configuration 1/);
  });
});

/**
 * smart-role-stepdown: a `role: follower` fact (a leader gave up its configuration) comes only
 * from a node that led it, by the message record. smart-steady seed 1 with its record; under
 * smart:role-on-every-follow (mutation #5914 of the seed-35 sample) every follow reports one.
 */
import { describe, expect, it } from 'vitest';
import { smartRoleFacts, stepDownProblems } from '../../properties/smart-role-facts.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (scenario: string, mutant: string | null, keepTrace = true): RunRecord =>
  simulate({ scenario: loadScenario(scenario), protocol: findProtocol('smart')!, seed: 1, mutant,
    keepTrace });
const problemsOf = (r: RunRecord): string[] =>
  (stepDownProblems(r) as { problems: string[] }).problems;

describe('smart-role-stepdown', () => {
  it('holds where leaders really step down (smart-leader-churn: three step-downs)', () => {
    const run = record('smart-leader-churn', null);
    const r = stepDownProblems(run) as { problems: string[]; judged: number };
    expect(r).toEqual({ problems: [], judged: 3 });
  });

  it('fails on a step-down from a node that never led (smart:role-on-every-follow)', () => {
    const run = record('smart-steady', 'smart:role-on-every-follow');
    expect(problemsOf(run)[0]).toMatch(new RegExp('^n\\d reported giving up the leadership ' +
      'of config 1 at t=\\d+us, but sent no HEARTBEAT, PROPOSE or DECIDED of it since t=0us$'));
    expect(smartRoleFacts.check(run).status).toBe('fail');
  });

  it('skips a run without a message record', () => {
    expect(smartRoleFacts.check(record('smart-steady', null, false)).status).toBe('skip');
  });
});

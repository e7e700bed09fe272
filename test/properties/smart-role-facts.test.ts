/**
 * smart-role-stepdown: a `role: follower` fact (a leader gave up its configuration) comes only
 * from a node that led it, by the message record. smart-steady seed 1 with its record; under
 * smart:role-on-every-follow (mutation #5914 of the seed-35 sample) every follow reports one.
 */
import { describe, expect, it } from 'vitest';
import { smartRoleFacts, stepDownProblems } from '../../properties/smart-role-facts.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { savedRun } from '../helpers/regressions.js';

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
      'of config 1 at t=\\d+us, but sent no HEARTBEAT, PROPOSE or DECIDED of it and won no ' +
      'election of it since t=0us$'));
    expect(smartRoleFacts.check(run).status).toBe('fail');
  });

  describe('a leader deposed in the instant it won (explore trial 1470166)', () => {
    // n6, paused while campaigning for configuration 2, handled at its resume n5's vote (it led)
    // and then n5's higher ELECT (it stepped down), before its heartbeat timer fired.
    let saved: RunRecord | undefined;
    const run = (): RunRecord => saved ??= savedRun(new URL('../protocol/smart/regressions/' +
      'explore-state-source-vanishes-1470166-deposed-in-the-instant-it-won.json',
    import.meta.url), 'smart', true);
    const vote = (m: { from: string; to: string; label: string }): boolean =>
      m.from === 'n5' && m.to === 'n6' && m.label.startsWith('PollReply c=2 b=1.5 ');
    const edited = (edit: (m: MessageFact) => MessageFact | null): RunRecord => ({
      ...run(), messages: run().messages!.flatMap((m) => edit(m) ?? []),
    });

    it('holds: the won election is its leadership', () => {
      const r = run();
      expect(r.messages!.some((m) => m.from === 'n6' && /^(Heartbeat|Propose|Decided) c=2 /
        .test(m.label))).toBe(false);
      expect(r.messages!.filter(vote).length).toBeGreaterThan(0);
      expect(stepDownProblems(r)).toMatchObject({ problems: [] });
    });

    it('fails without the vote (a majority of three needs one besides its own)', () => {
      expect(problemsOf(edited((m) => (vote(m) ? null : m)))[0]).toMatch(
        /^n6 reported giving up the leadership of config 2 at t=\d+us, but sent no HEARTBEAT/);
    });

    it('fails when it had moved on to a higher ballot before the vote arrived', () => {
      const first = run().messages!.find(vote)!;
      const elect: MessageFact = { ...first, from: 'n6', to: 'n5', label: 'Elect c=2 b=2.5',
        sent: first.at - 1, at: first.at, drop: null };
      expect(problemsOf({ ...run(), messages: [...run().messages!, elect] })[0]).toMatch(
        /^n6 reported giving up the leadership of config 2 /);
    });
  });

  it('skips a run without a message record', () => {
    expect(smartRoleFacts.check(record('smart-steady', null, false)).status).toBe('skip');
  });
});

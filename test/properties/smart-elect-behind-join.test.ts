/**
 * smart-elect-behind-join (our ELECT behind a JOIN): a candidate answers a member's JOIN-REQUEST
 * with JOIN and its ELECT again, at most three times per member and ballot.
 * smart-elect-behind-join seed 0: n1's ELECT for configuration 2 reaches n4 and n5 before any
 * JOIN. smart-elect-behind-lost-join seed 0: n5 is down and every JOIN to n4 is lost over n1's
 * ballots 1.0 and 2.0 of configuration 2.
 */
import { describe, expect, it } from 'vitest';
import {
  electBehindJoinProblems, smartElectBehindJoin,
} from '../../properties/smart-elect-behind-join.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (keepTrace: boolean, scenario = 'smart-elect-behind-join',
  mutant: string | null = null): RunRecord => simulate({
  scenario: loadScenario(scenario), protocol: findProtocol('smart')!, seed: 0, mutant,
  keepTrace });
const run = record(true);
const LOST = 'smart-elect-behind-lost-join';

type Result = { problems: string[]; judged: number; capped: number };
const problemsOf = (r: RunRecord): Result => electBehindJoinProblems(r) as Result;

describe('smart-elect-behind-join', () => {
  it('holds on the run, judging the JOIN-REQUESTs n1 got while campaigning', () => {
    const r = problemsOf(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
    expect(smartElectBehindJoin.check(run).status).toBe('pass');
  });

  it('fails when the candidate sends no ELECT behind the JOIN (mutation #5529 of the seed-35 ' +
    'sample)', () => {
    const firstAsk = run.messages!.find((m) => m.to === 'n1' && m.label === 'JoinRequest c=2')!;
    const mute = { ...run, messages: run.messages!.filter((m) => !(m.from === 'n1'
      && m.to === firstAsk.from && m.label.startsWith('Elect c=2 ') && m.sent >= firstAsk.at)) };
    const problems = (electBehindJoinProblems(mute) as { problems: string[] }).problems;
    expect(problems[0]).toMatch(new RegExp(`^n1, a candidate of configuration 2 \\(its Elect c=2 ` +
      `b=\\S+ left at t=\\d+us\\), got JOIN-REQUEST from member ${firstAsk.from} at t=\\d+us`));
    expect(smartElectBehindJoin.check(mute).status).toBe('fail');
  });

  it('skips a run without a message record', () => {
    expect(smartElectBehindJoin.check(record(false)).status).toBe('skip');
  });

  describe('its cap: at most 1 + 3 ELECTs per candidate, member and ballot', () => {
    const lost = record(true, LOST);
    const electsTo = (r: RunRecord, to: string, ballot: string): MessageFact[] =>
      r.messages!.filter((m) => m.from === 'n1' && m.to === to
        && m.label === `Elect c=2 b=${ballot}`);

    it('holds on the run, where n1 reaches the cap for n4 at two ballots and is judged there',
      () => {
      expect(electsTo(lost, 'n4', '1.0')).toHaveLength(4);
      expect(electsTo(lost, 'n4', '2.0')).toHaveLength(4);
      const r = problemsOf(lost);
      expect(r.problems).toEqual([]);
      expect(r.capped).toBeGreaterThanOrEqual(2);
      expect(r.judged).toBeGreaterThan(0);
      expect(smartElectBehindJoin.check(lost).status).toBe('pass');
    });

    const fourth = electsTo(lost, 'n4', '1.0')[3]!;
    const fifth: MessageFact = { ...fourth, sent: fourth.sent + 500, at: fourth.at + 500 };
    const more = { ...lost, messages: [...lost.messages!, fifth] };

    it('fails on a fifth ELECT to one member at one ballot', () => {
      const problems = problemsOf(more).problems;
      expect(problems).toEqual([`n1 sent member n4 5 ELECTs at one ballot (Elect c=2 b=1.0, ` +
        `t=${electsTo(lost, 'n4', '1.0')[0]!.sent}us to t=${fifth.sent}us): at most 4, its ` +
        `campaign's and 3 behind JOINs; the 5th left at t=${fifth.sent}us`]);
      expect(smartElectBehindJoin.check(more).status).toBe('fail');
    });

    it('counts a network duplicate once, and excuses a candidate that went down meanwhile', () => {
      const dup = { ...lost, messages: [...lost.messages!, { ...fourth, at: fourth.at + 300 }] };
      expect(problemsOf(dup).problems).toEqual([]);
      const down = { ...more, nodeEvents: [...more.nodeEvents,
        { ...more.nodeEvents.find((e) => e.node === 'n5' && e.kind === 'down')!, node: 'n1',
          at: fourth.sent }] };
      expect(problemsOf(down).problems).toEqual([]);
    });

    it('fails under smart:elect-cap-counts-others (Stryker #6292 of the seed-49 sample): n4 ' +
      'gets an ELECT behind every JOIN-REQUEST', () => {
      const problems = problemsOf(record(true, LOST, 'smart:elect-cap-counts-others')).problems;
      expect(problems[0]).toMatch(/^n1 sent member n4 \d+ ELECTs at one ballot \(Elect c=2 b=1\.0/);
    });

    it('and the side that demands the ELECT fails under smart:reask-kept-across-ballots ' +
      '(Stryker #7025): n1 asks n4 nothing at its second ballot', () => {
      const problems = problemsOf(record(true, LOST, 'smart:reask-kept-across-ballots')).problems;
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => p.startsWith('n1, a candidate of configuration 2 (its ' +
        'Elect c=2 b=2.0 left at') && p.includes('got JOIN-REQUEST from member n4'))).toBe(true);
    });
  });

  describe('a vote between the re-asks (smart-elect-behind-vote)', () => {
    const VOTE = 'smart-elect-behind-vote';
    const at96 = simulate({ scenario: loadScenario(VOTE), protocol: findProtocol('smart')!,
      seed: 96, mutant: null, keepTrace: true });
    const to4 = at96.messages!.filter((m) => m.from === 'n1' && m.to === 'n4'
      && m.label === 'Elect c=2 b=2.0');

    it('counts two steps of one instant whose ELECTs leave together as two re-asks (seed 96: a ' +
      'false alarm when counted by instant)', () => {
      // Two JOIN-REQUESTs handled in two steps at 402,447 us; both ELECTs left at 402,547 us.
      expect(to4).toHaveLength(4);
      expect(to4[2]!.sent).toBe(to4[3]!.sent);
      expect(to4[2]!.stepAt).toBe(to4[3]!.stepAt);
      expect(to4[2]!.sentStep).not.toBe(to4[3]!.sentStep);
      expect(problemsOf(at96).problems).toEqual([]);
      // A network copy of one (its own receiving step, the same sending step) is no re-ask.
      const copy = { ...to4[3]!, step: to4[3]!.step! + 1, at: to4[3]!.at + 5 };
      expect(problemsOf({ ...at96, messages: [...at96.messages!, copy] }).problems).toEqual([]);
      // A fifth from yet another step of that instant passes the cap.
      const fifth = { ...copy, sentStep: 1e9 };
      expect(problemsOf({ ...at96, messages: [...at96.messages!, fifth] }).problems[0])
        .toMatch(/^n1 sent member n4 5 ELECTs at one ballot \(Elect c=2 b=2\.0/);
    });

    it('fails under smart:reask-forgotten-at-vote (Stryker #7056 of the seed-50 sample): n5\'s ' +
      'vote at 300 ms resets the count, and n4 gets 7 ELECTs at ballot 1.0', () => {
      const problems = problemsOf(record(true, VOTE, 'smart:reask-forgotten-at-vote')).problems;
      expect(problems[0]).toMatch(/^n1 sent member n4 7 ELECTs at one ballot \(Elect c=2 b=1\.0/);
      expect(problemsOf(record(true, VOTE)).problems).toEqual([]);
    });
  });
});

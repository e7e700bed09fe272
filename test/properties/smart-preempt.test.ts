/**
 * smart-preempt (our PREEMPT rule): a follower that knows no leader answers an ELECT below its
 * promise with PREEMPT at once, judged from the message record.
 */
import { describe, expect, it } from 'vitest';
import {
  answerWindowUs, campaignAgainProblems, electWindowUs, preemptProblems, silencePreemptProblems,
  stalePreemptProblems,
} from '../../properties/smart-preempt.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { MessageFact } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { recordedRun } from '../helpers/record.js';
import { savedRun } from '../helpers/regressions.js';

describe('smart-preempt', () => {
  // n1, back with an older promise, campaigns below the promise n3 gave the crashed n2.
  const run = recordedRun('smart-preempt-race', 'smart', 0);

  it('holds when the leaderless follower answers (one ELECT judged)', () => {
    expect(preemptProblems(run)).toEqual({ problems: [], judged: 1 });
  });

  it('fails when the answer is missing (mutation #6045 of the seed-31 sample)', () => {
    const preempt = run.messages!.find((m) => m.label.startsWith('Preempt'))!;
    const messages = run.messages!.filter((m) => m !== preempt);
    const r = preemptProblems({ ...run, messages });
    expect(r).toMatchObject({ judged: 1 });
    expect((r as { problems: string[] }).problems[0]).toMatch(new RegExp(`^${preempt.from}, a ` +
      'follower of configuration 1 that knows no leader \\(its last promise made at t=\\d+us\\), ' +
      `got Elect c=1 b=\\S+ from ${preempt.to} at t=${preempt.sent}us below its promise and did ` +
      'not answer PREEMPT$'));
  });

  it('does not judge an ELECT whose answer may still be in flight at the end (seed 860034)', () => {
    // smart-late-preempt delays every PREEMPT 1.8 s: n1 answered n2's ELECT at 1.298 s, after
    // 1.198 s (3.0 s end - 1.8 s), and the answer was still on its way when the run ended.
    const late = savedRun(new URL('../protocol/smart/regressions/' +
      'explore-late-preempt-860034-answer-in-flight-at-end.json', import.meta.url), 'smart', true);
    expect(answerWindowUs(late)).toBeGreaterThanOrEqual(1_800_000);
    expect(preemptProblems(late)).toEqual({ problems: [], judged: 0 });
    // Judged as before once the window is ignored: the answer is not in the record.
    const judged = preemptProblems({ ...late, endUs: late.endUs + 2 * answerWindowUs(late) });
    expect((judged as { problems: string[] }).problems).toEqual([expect.stringMatching(
      /^n1, a follower of configuration 2 .* from n2 at t=1297794us .* did not answer PREEMPT$/)]);
  });

  it('is not judged without a message record', () => {
    const { messages: _m, ...bare } = run;
    expect(preemptProblems(bare)).toBe('the run kept no message record');
  });

  it('holds on the run as recorded: its one PREEMPT comes from a leaderless follower', () => {
    expect(silencePreemptProblems(run)).toEqual({ problems: [], judged: 1 });
  });

  const stepOf = (m: MessageFact): number => m.stepAt ?? m.sent;
  const preempt = run.messages!.find((m) => m.label.startsWith('Preempt'))!;
  /** The run with a PREEMPT of configuration 1 from `from` at step instant `t`. */
  const extra = (from: string, t: number): MessageFact =>
    ({ ...preempt, from, to: from === 'n1' ? 'n2' : 'n1', sent: t, at: t + 100 });

  it('fails on a PREEMPT from a candidate (mutation #6252 of the seed-39 sample)', () => {
    // n2's campaign at 591 ms (n1's first ELECT is at its boot, which the check leaves out).
    const elect = run.messages!.find((m) => m.label.startsWith('Elect c=1 ') && m.from === 'n2')!;
    const t = stepOf(elect) + 1;
    const r = silencePreemptProblems({ ...run,
      messages: [...run.messages!, extra(elect.from, t)] });
    expect((r as { problems: string[] }).problems).toContain(`${elect.from} sent ` +
      `${preempt.label} to ${elect.from === 'n1' ? 'n2' : 'n1'} at t=${t}us as a candidate or ` +
      `leader of configuration 1 (its ELECT at t=${stepOf(elect)}us)`);
  });

  it('fails on a PREEMPT from a follower of a leader (the same mutation)', () => {
    // A member's last POLL-REPLY, then a heartbeat of the leader it voted for.
    const reply = [...run.messages!].reverse().find((m) => m.label.startsWith('PollReply c=1 '))!;
    const beat = run.messages!.find((m) => m.to === reply.from && m.drop === null
      && m.label.startsWith('Heartbeat c=1 ') && m.at > stepOf(reply))!;
    const t = beat.at + 1;
    const r = silencePreemptProblems({ ...run,
      messages: [...run.messages!, extra(reply.from, t)] });
    expect((r as { problems: string[] }).problems).toContain(`${reply.from} sent ` +
      `${preempt.label} to ${reply.from === 'n1' ? 'n2' : 'n1'} at t=${t}us as a follower of ` +
      `${beat.from} (its ${beat.label} arrived at t=${beat.at}us)`);
  });
});

describe('smart-preempt: a candidate refused by PREEMPT campaigns again at once', () => {
  // n1, back at 760 ms, campaigns at 2.0 (960 ms); n3, which promised the crashed n2 2.1,
  // answers PREEMPT 2.1; n1 campaigns at 3.0 in the step that handles it.
  const run = recordedRun('smart-preempt-race', 'smart', 0);
  const preempt = run.messages!.find((m) => m.label.startsWith('Preempt'))!;

  it('holds on the run as recorded (one PREEMPT judged)', () => {
    expect(campaignAgainProblems(run)).toEqual({ problems: [], judged: 1 });
  });

  it('fails when the candidate waits for its timeout (smart:ignore-preempt, #4805 of seed 41)',
    () => {
      const mutated = simulate({ scenario: loadScenario('smart-preempt-race'),
        protocol: findProtocol('smart')!, seed: 0, mutant: 'smart:ignore-preempt',
        keepTrace: true });
      const r = campaignAgainProblems(mutated) as { problems: string[]; judged: number };
      expect(r.judged).toBe(1);
      expect(r.problems).toEqual([`n1, a candidate of configuration 1 (its ELECT from its ` +
        `step at t=960000us), got ${preempt.label} from n3 at t=${preempt.at}us above its ` +
        'ballot and did not campaign again above it']);
    });

  it('does not judge a candidate that may lead: a quorum of POLL-REPLYs at its ballot', () => {
    const elect = run.messages!.find((m) => m.from === 'n1' && m.label === 'Elect c=1 b=2.0')!;
    const vote: MessageFact = { sent: preempt.at - 50, at: preempt.at - 10, from: 'n2',
      to: 'n1', label: 'PollReply c=1 b=2.0 n=0 trunc=0 exec=0 ckpt=0', drop: null };
    const messages = run.messages!.filter((m) => !(m.from === 'n1'
      && m.label.startsWith('Elect c=1 b=3.0')));
    expect(elect.stepAt).toBe(960_000);
    expect(campaignAgainProblems({ ...run, messages: [...messages, vote] }))
      .toEqual({ problems: [], judged: 0 });
  });

  it('does not judge a PREEMPT whose answer may still be in flight at the end', () => {
    expect(electWindowUs(run)).toBeGreaterThan(0);
    expect(campaignAgainProblems({ ...run, endUs: preempt.at + electWindowUs(run) - 1 }))
      .toEqual({ problems: [], judged: 0 });
  });
});

describe('smart-preempt: a stale PREEMPT starts no campaign', () => {
  // Duplicated ELECTs: n1, back at 960 ms, campaigns at 2.0; n3, which promised the crashed n2
  // 2.1, answers both copies with PREEMPT 2.1. The first makes n1 campaign at 3.0 (960.750 ms),
  // the second arrives 1 us later, at or below n1's new promise: it must change nothing.
  const run = recordedRun('smart-preempt-dup', 'smart', 0);
  const stale = run.messages!.find((m) => m.label === 'Preempt c=1 b=2.1' && m.at === 960_751)!;

  it('holds on the run as recorded (one stale PREEMPT judged)', () => {
    expect(stale.to).toBe('n1');
    expect(stalePreemptProblems(run)).toEqual({ problems: [], judged: 1 });
  });

  it('fails when the candidate campaigns again (smart:stale-preempt, Stryker #5005 of seed 48)',
    () => {
      const mutated = recordedRun('smart-preempt-dup', 'smart', 0, 'smart:stale-preempt');
      const r = stalePreemptProblems(mutated) as { problems: string[]; judged: number };
      expect(r.problems).toEqual(['n1 got Preempt c=1 b=2.1 from n3 at t=960751us, at or below ' +
        'its promise of configuration 1 (its Elect c=1 b=3.0 from its step at t=960750us), and ' +
        'campaigned again: Elect c=1 b=4.0']);
    });

  /** The real run with an ELECT 4.0 from n1's step at `t`, its `elect` fact from step `step`. */
  const withElect = (t: number, step: number | undefined) => {
    const elect: MessageFact = { sent: t + 100, stepAt: t, at: t + 400, from: 'n1', to: 'n3',
      label: 'Elect c=1 b=4.0', drop: null };
    const fact = { at: t + 100, stepAt: t, node: 'n1', label: 'elect',
      data: { config: 1, ballot: 4096 }, seq: 10_000, ...(step === undefined ? {} : { step }) };
    return { ...run, messages: [...run.messages!, elect],
      observations: [...run.observations, fact] };
  };

  it('fails on an ELECT from the step that handled the stale PREEMPT (edited record)', () => {
    const r = stalePreemptProblems(withElect(stale.at, stale.step));
    expect((r as { problems: string[] }).problems).toEqual([expect.stringMatching(
      /^n1 got Preempt c=1 b=2\.1 from n3 at t=960751us, .* campaigned again: Elect c=1 b=4\.0$/)]);
  });

  it('blames no ELECT of another step at that instant (an election timer firing then)', () => {
    expect(stalePreemptProblems(withElect(stale.at, stale.step! + 1)))
      .toEqual({ problems: [], judged: 1 });
  });

  it('judges a PREEMPT above the promise on the candidate side only', () => {
    const fresh = run.messages!.find((m) => m.label === 'Preempt c=1 b=2.1' && m !== stale)!;
    expect(fresh.at).toBe(960_750);
    expect(stalePreemptProblems({ ...run, messages: run.messages!.filter((m) => m !== stale) }))
      .toEqual({ problems: [], judged: 0 });
  });
});

/**
 * smart-preempt (our PREEMPT rule): a follower that knows no leader answers an ELECT below its
 * promise with PREEMPT at once, judged from the message record.
 */
import { describe, expect, it } from 'vitest';
import { preemptProblems } from '../../properties/smart-preempt.js';
import { recordedRun } from '../helpers/record.js';

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
      'follower of configuration 1 that knows no leader \\(its last promise sent at t=\\d+us\\), ' +
      `got Elect c=1 b=\\S+ from ${preempt.to} at t=${preempt.sent}us below its promise and did ` +
      'not answer PREEMPT$'));
  });

  it('is not judged without a message record', () => {
    const { messages: _m, ...bare } = run;
    expect(preemptProblems(bare)).toBe('the run kept no message record');
  });
});

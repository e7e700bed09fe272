/**
 * smart-ballot-owner (P1.2: a ballot is (round, machine index)): every ELECT, PROPOSE and
 * HEARTBEAT carries a ballot whose index is its sender's place in the topology.
 */
import { describe, expect, it } from 'vitest';
import { ballotOwnerProblems, smartBallotOwner } from '../../properties/smart-ballot-owner.js';
import { recordedRun } from '../helpers/record.js';

describe('smart-ballot-owner', () => {
  // Six machines, a migration to n4-n6: n4 (index 3) campaigns and leads configuration 2.
  const run = recordedRun('smart-migrate-disjoint', 'smart', 0);

  it('holds on a run where machines other than the first lead', () => {
    const r = ballotOwnerProblems(run) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(100);
    const senders = new Set(run.messages!.filter((m) => /^(Elect|Heartbeat) /.test(m.label))
      .map((m) => m.from));
    expect([...senders].sort()).toEqual(['n1', 'n4']);
  });

  it('fails when a ballot names another machine (a message relabelled as sent by n2)', () => {
    const beat = run.messages!.find((m) => m.from === 'n4' && m.label.startsWith('Heartbeat'))!;
    const messages = run.messages!.map((m) => (m === beat ? { ...m, from: 'n2' } : m));
    const r = ballotOwnerProblems({ ...run, messages }) as { problems: string[] };
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(new RegExp(`^n2 \\(machine index 1\\) sent Heartbeat c=2 ` +
      `b=\\d+\\.3 to ${beat.to} at t=${beat.sent}us: its ballot names machine index 3$`));
  });

  it('fails under smart:ballots-without-index (Stryker #5903 of the seed-49 sample)', () => {
    const mutated = recordedRun('smart-migrate-disjoint', 'smart', 0,
      'smart:ballots-without-index');
    expect(smartBallotOwner.check(mutated)).toMatchObject({ status: 'fail',
      message: expect.stringMatching(/^n4 \(machine index 3\) sent Elect c=2 b=1\.0 to n\d/) });
  });

  it('skips a run without the message record', () => {
    const { messages: _kept, ...plain } = run;
    expect(smartBallotOwner.check(plain)).toMatchObject({ status: 'skip' });
  });
});

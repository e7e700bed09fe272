/**
 * opb-merge-union (P2.10 #4): a primary that wins over another primary's claim answers it with
 * the union of both memberships, but for data centers it holds and recent refusals.
 */
import { describe, expect, it } from 'vitest';
import { mergeUnionProblems, opbMergeUnion } from '../../properties/opb-merge-union.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { recordedRun } from '../helpers/record.js';

describe('opb-merge-union', () => {
  // Three partitions heal in stages; n5 wins over n1, then over n9 (two merges).
  const run = recordedRun('opb-three-way-discard', 'opb', 0);
  const answers = run.messages!.filter((m) => m.label.startsWith(`Claim s0 ${m.from}@`));

  it('holds on the run as recorded', () => {
    const r = mergeUnionProblems(run) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
  });

  it('fails under opb:no-merge-union (Stryker #848 of the seed-49 sample)', () => {
    const mutated = recordedRun('opb-three-way-discard', 'opb', 0, 'opb:no-merge-union');
    expect(opbMergeUnion.check(mutated)).toMatchObject({ status: 'fail',
      message: expect.stringMatching(new RegExp("^n5 won over n1's claim of s0 \\[n1,n9,n6\\] " +
        '\\(Gossip from n1 at t=\\d+us\\) and answered with members \\[n5,n9,n7\\], leaving ' +
        'out n1 in data centers it does not hold')) });
  });

  it('fails when a winner answers without a member the union takes (n1 left out of m2)', () => {
    // n5 heard n1's claim in its gossip at 1.51 s and answered n1 with m2[n5,n9,n7,n1].
    const merged = answers.find((m) => m.from === 'n5' && m.to === 'n1'
      && m.label.includes('m2[n5,n9,n7,n1]'))!;
    const kept = { ...merged, label: merged.label.replace('m2[n5,n9,n7,n1]', 'm2[n5,n9,n7]') };
    const edited: RunRecord = { ...run,
      messages: run.messages!.map((m) => (m === merged ? kept : m)) };
    const r = mergeUnionProblems(edited) as { problems: string[] };
    expect(r.problems).toEqual([expect.stringMatching(new RegExp("^n5 won over n1's claim of " +
      's0 \\[n1,n9,n6\\] \\(Gossip from n1 at t=\\d+us\\) and answered with members ' +
      '\\[n5,n9,n7\\], leaving out n1 in data centers it does not hold'))]);
    // n6 shares n5's data center: the hard rule leaves it out, never the check.
    expect(r.problems[0]).not.toMatch(/leaving out n1, n6/);
  });

  it('excuses a member that refused the winner within T_cool', () => {
    const merged = answers.find((m) => m.from === 'n5' && m.to === 'n1'
      && m.label.includes('m2[n5,n9,n7,n1]'))!;
    const kept = { ...merged, label: merged.label.replace('m2[n5,n9,n7,n1]', 'm2[n5,n9,n7]') };
    const heard = merged.stepAt ?? merged.sent;
    const refusal = { sent: heard - 200, at: heard - 100, from: 'n1', to: 'n5',
      label: 'JoinAck s0 ok=false', drop: null };
    const edited: RunRecord = { ...run,
      messages: [...run.messages!.map((m) => (m === merged ? kept : m)), refusal] };
    expect((mergeUnionProblems(edited) as { problems: string[] }).problems).toEqual([]);
  });

  it('is not judged without the record or with reorganization off', () => {
    const { messages: _m, ...bare } = run;
    expect(mergeUnionProblems(bare)).toBe('the run kept no message record');
    expect(mergeUnionProblems({ ...run, params: { ...run.params, reorg: false } }))
      .toBe('reorganization off');
  });
});

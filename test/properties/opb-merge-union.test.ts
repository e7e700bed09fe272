/**
 * opb-merge-union (P2.10 #4): a primary that wins over another primary's claim answers it with
 * the union of both memberships, but for data centers it holds and recent refusals.
 */
import { describe, expect, it } from 'vitest';
import { mergeUnionProblems, opbMergeUnion } from '../../properties/opb-merge-union.js';
import type { MessageFact, Observation, RunRecord } from '../../simulator/run-record.js';
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

  describe('a node that refused the winner within T_cool (opb-merge-refused-cool seed 0)', () => {
    // n10 refuses n1's JOIN of s1 at 1.27 s (no room: it took s0's); n5, deaf from 1.28 s,
    // claims s1 as [n1,n5,n10] at 1.45 s and its heartbeats reach n1, which wins (newer
    // membership) and answers n5 at 1.46 s.
    const cool = recordedRun('opb-merge-refused-cool', 'opb', 0);
    // n1 answers each of n5's two heartbeats of that instant (the cut drops both answers).
    const isAnswer = (m: MessageFact): boolean => m.from === 'n1' && m.to === 'n5'
      && m.sent === 1_460_000 && m.label.startsWith('Claim s1 n1@');
    const answer = cool.messages!.find(isAnswer)!;
    const took = 'n1 won over n5\'s claim of s1 [n1,n5,n10] (Hb from n5 at t=1460000us) and ' +
      'answered with members [n1,n5,n10], taking back n10, whose refusal of its JOIN it took ' +
      'at t=1270000us, within T_cool (first reservation wins: the union leaves out a node ' +
      'that refused the winner)';
    const withAnswer = (r: RunRecord, label: string): RunRecord => ({ ...r,
      messages: r.messages!.map((m) => (isAnswer(m) ? { ...m, label } : m)) });
    const tookBack = withAnswer(cool, answer.label.replace('m2[n1,n5]', 'm2[n1,n5,n10]'));

    it('holds as recorded: n1 answers [n1,n5], without n10', () => {
      expect(cool.messages!.some((m) => m.from === 'n10' && m.to === 'n1'
        && m.label === 'JoinAck s1 ok=false' && m.at === 1_270_000 && m.drop === null))
        .toBe(true);
      // A CLAIM's label ends with the age of the sighting since explore trial 1710645 (0: n1's
      // own claim); the members listed are n1 and n5 only.
      expect(answer.label).toMatch(/ m2\[n1,n5\] age=0$/);
      const r = mergeUnionProblems(cool) as { problems: string[]; judged: number };
      expect(r.problems).toEqual([]);
      expect(r.judged).toBeGreaterThan(0);
    });

    it('fails under opb:merge-takes-refused (Stryker #864 of the seed-51 sample)', () => {
      const mutated = recordedRun('opb-merge-refused-cool', 'opb', 0, 'opb:merge-takes-refused');
      expect(opbMergeUnion.check(mutated)).toMatchObject({ status: 'fail', message: took });
    });

    it('fails when the answer takes n10 back (edited record), once per claim heard', () => {
      expect((mergeUnionProblems(tookBack) as { problems: string[] }).problems)
        .toEqual([took]);
    });

    it('judges only a refusal the winner took, within T_cool, while it did not name the node '
      + 'again', () => {
      const takenBack = (r: RunRecord): string[] => (mergeUnionProblems(r) as
        { problems: string[] }).problems.filter((p) => p.includes('taking back'));
      // Without n1's move fact of the refusal, n10's JoinAck reaching n1 while its move adding
      // n10 was open still shows n1 took it; with a role fact of n1 between the move's start and
      // that JoinAck as well (the move no longer open), nothing does.
      const unreported: RunRecord = { ...tookBack,
        observations: tookBack.observations.filter((o) => !(o.label === 'opb.move'
          && (o.data as { phase: string }).phase === 'refused')) };
      expect(takenBack(unreported)).toEqual([took]);
      const role: Observation = { at: 1_265_000, seq: 1e9, node: 'n1', label: 'opb.role',
        data: { service: 1, role: 'primary', epoch: '2.n1', counter: 2, reason: 'reclaim' } };
      const untaken: RunRecord = { ...unreported,
        observations: [...unreported.observations, role]
          .sort((a, b) => a.at - b.at || a.seq - b.seq) };
      expect(takenBack(untaken)).toEqual([]);
      expect(takenBack(tookBack)).toEqual([took]);
      // T_cool over before the merge (T_cool 0.15 s here; the later answers then leave n10 out
      // past it, judged as such).
      const short: RunRecord = { ...tookBack, params: { ...tookBack.params, coolUs: 150_000 },
        observations: tookBack.observations.map((o) => (o.label === 'opb.move'
          ? { ...o, data: { ...(o.data as object), coolUs: 150_000 } } : o)) };
      expect(takenBack(short)).toEqual([]);
      // n1 named n10 a member of s1 again at 1.4 s: its own list held it, the union took nothing.
      const named: RunRecord = { ...tookBack, messages: [...tookBack.messages!, { sent: 1_400_000,
        at: 1_410_000, from: 'n1', to: 'n11', drop: null,
        label: 'Hb s1 primary p=n1 e=2.n1 m2[n1,n5,n10] i=0@- age=-1 stable=0' }] };
      expect(takenBack(named)).toEqual([]);
    });
  });

  it('is not judged without the record or with reorganization off', () => {
    const { messages: _m, ...bare } = run;
    expect(mergeUnionProblems(bare)).toBe('the run kept no message record');
    expect(mergeUnionProblems({ ...run, params: { ...run.params, reorg: false } }))
      .toBe('reorganization off');
  });
});

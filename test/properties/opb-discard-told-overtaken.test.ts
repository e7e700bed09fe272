/**
 * opb-discard-told judges P's next reply after the drop by its send, not its arrival. Explore
 * trial 1830462 of opb-three-way-discard (saved in regressions/): n1, primary of s0 on its side
 * of a partition, took n5's Discarded RESUBMIT at 1.58 s and kept c1's notice. c1 broadcast its
 * retries of #23; n9, primary across the partition, answered it at 1.837 s and c1 sent #24. n1's
 * reply to #23, sent at 1.862 s, carried the notice and armed its retirement; #24, forwarded by
 * n5, reached n1 1.2 ms later and retired it (P2.5's rule), so n1's reply to #24 carried none,
 * and it arrived at 1.872 s, 2 ms before the reply to #23. Judged by arrival (the rule before),
 * c1 looked untold at n1's next reply.
 */
import { describe, expect, it } from 'vitest';
import { discardToldProblems } from '../../properties/opb-discard-told.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { savedRun } from '../helpers/regressions.js';

let cached: RunRecord | null = null;
const found = (): RunRecord => (cached ??= savedRun(new URL('../protocol/optimistic/' +
  'regressions/explore-three-way-discard-1830462-notice-reply-overtaken.json', import.meta.url),
'opb', true));

const c1Problems = (problems: readonly string[]) =>
  problems.filter((p) => p.startsWith('s0: n1 dropped c1#'));

/** n1's reply to c1's request `seq`, delivered. */
function replyTo(run: RunRecord, seq: number) {
  const r = run.messages!.find((m) => m.from === 'n1' && m.to === 'c1'
    && m.label.startsWith(`Reply #${seq} `) && m.drop === null);
  expect(r).toBeDefined();
  return r!;
}

describe('opb-discard-told and a reply overtaken by a later one', () => {
  it('passes the found run: n1\'s next reply after the drop carried the notice', () => {
    const run = found();
    expect(replyTo(run, 23).sent).toBe(1_862_098);
    expect(replyTo(run, 24).sent).toBe(1_863_276);
    expect(replyTo(run, 24).at).toBeLessThan(replyTo(run, 23).at);
    const v = discardToldProblems(run);
    expect(c1Problems(v.problems)).toEqual([]);
    expect(v.judged).toBeGreaterThan(0);
  });

  it('fails when the untold reply to #24 was the one sent first', () => {
    const run = found();
    const r24 = replyTo(run, 24);
    const messages = run.messages!.map((m) => m === r24
      ? { ...m, sent: 1_862_000, stepAt: 1_862_000 } : m);
    expect(c1Problems(discardToldProblems({ ...run, messages }).problems)).toContainEqual(
      expect.stringMatching(
        /n1's reply to c1 at t=1862000us did not tell it \(told at t=1874178us\)$/));
  });

  it('fails when c1 was never told', () => {
    const run = found();
    const untold = ({ discardedAt: _d, ...rest }: (typeof run.history.ops)[number]) => rest;
    const ops = run.history.ops.map((o) => o.client === 'c1' ? untold(o) : o);
    expect(c1Problems(discardToldProblems({ ...run, history: { ...run.history, ops } }).problems))
      .toContainEqual(expect.stringMatching(/did not tell it \(never told\)$/));
  });
});

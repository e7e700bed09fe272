/**
 * opb-discard-told (P2.5 discard): a winner that dropped a loser's orphan tells its client on
 * its next reply. opb-three-way-discard seed 1 with its message record: unmutated, every dropped
 * write whose client the winner answered afterwards was told by then; the same record with those
 * notices erased from the client history (what mutation #3180 of the seed-39 sample leaves: the
 * winner counted every orphan as executed, so no notice) fails; without a record it skips.
 */
import { describe, expect, it } from 'vitest';
import { discardToldProblems, opbDiscardTold } from '../../properties/opb-discard-told.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { runChecked } from '../../scenarios/runner.js';
import { loadScenario } from '../../scenarios/load.js';

let cached: RunRecord | null = null;
function threeWayDiscard(): RunRecord {
  cached ??= runChecked({ scenario: loadScenario('opb-three-way-discard'), protocol: 'opb',
    seed: 1, keepTrace: true }).record;
  return cached;
}

describe('opb-discard-told', () => {
  it('holds when the winner tells each dropped write\'s client at its next reply', () => {
    const r = discardToldProblems(threeWayDiscard());
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
    expect(opbDiscardTold.check(threeWayDiscard()).status).toBe('pass');
  });

  it('fails the same record when the clients were never told', () => {
    const run = threeWayDiscard();
    const ops = run.history.ops.map(({ discardedAt: _, ...op }) => op);
    const r = discardToldProblems({ ...run, history: { ...run.history, ops } });
    expect(r.problems.length).toBe(r.judged);
    expect(r.problems[0]).toMatch(/^s\d: n\d+ dropped c\d+#\d+ \(.*\) from n\d+'s RESUBMIT at /);
    expect(r.problems[0]).toMatch(/did not tell it \(never told\)$/);
  });

  it('skips without a message record or under policy merge', () => {
    const { messages: _, ...run } = threeWayDiscard();
    expect(opbDiscardTold.check(run).status).toBe('skip');
    expect(opbDiscardTold.check({ ...run, params: { ...run.params, policy: 'merge' } }).status)
      .toBe('skip');
  });
});

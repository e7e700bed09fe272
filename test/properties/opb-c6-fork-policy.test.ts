/**
 * C6 excuses a lost acknowledged write after a fork only under `discard` (P2.5, P2.7): under
 * `merge` the winner re-executes every orphan, so a fork may reorder a write, never lose it.
 * The run: a partition-halves fork under `merge` whose winner re-executed acknowledged orphans;
 * the same run with those re-executions erased is what a lost RESUBMIT leaves (explore seed
 * 1667), and C6 must fail on it, while the very same facts under `discard` are excused.
 */
import { describe, expect, it } from 'vitest';
import { opbNoLossWithoutFork } from '../../properties/opb-c6-no-loss.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { runOpb } from '../protocol/optimistic/helpers.js';

interface ExecData { readonly client: string; readonly seq: number; readonly resubmit: boolean }

let cached: RunRecord | null = null;
/** One simulated run shared by the tests (they only read it). */
function forkRun(): RunRecord {
  cached ??= runOpb('opb-partition-halves', 0).record;
  expect(cached.params['policy']).toBe('merge');
  return cached;
}

/** The run without the winner's re-executions of acknowledged orphans. */
function orphansErased(run: RunRecord): { run: RunRecord; erased: number } {
  const key = (o: RunRecord['observations'][number]): string => {
    const d = o.data as { client: string; seq: number };
    return `${d.client}#${d.seq}`;
  };
  const acked = new Set(run.observations.filter((o) => o.label === 'opb.acked').map(key));
  const redo = (o: RunRecord['observations'][number]): boolean => {
    if (o.label !== 'opb.exec') return false;
    return (o.data as unknown as ExecData).resubmit && acked.has(key(o));
  };
  const erased = run.observations.filter(redo).length;
  return { run: { ...run, observations: run.observations.filter((o) => !redo(o)) }, erased };
}

describe('C6 and forks (opb-c6-no-loss-without-fork)', () => {
  it('passes the real run: merged orphans are in the converged state', () => {
    expect(opbNoLossWithoutFork.check(forkRun()).status).toBe('pass');
  });

  it('fails under merge when the orphans of a fork are lost', () => {
    const { run, erased } = orphansErased(forkRun());
    expect(erased).toBeGreaterThan(0);
    const v = opbNoLossWithoutFork.check(run);
    expect(v.status).toBe('fail');
    expect(v.message).toContain('is missing');
  });

  it('excuses the same loss under discard: the fork dropped them by policy', () => {
    const { run } = orphansErased(forkRun());
    const discard = { ...run, params: { ...run.params, policy: 'discard' } };
    const v = opbNoLossWithoutFork.check(discard);
    expect(v.status).toBe('pass');
    expect(v.message).toContain('fork');
  });
});

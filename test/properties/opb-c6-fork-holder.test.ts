/**
 * C6's fork excuse (`discard`) and a loser that held the write by its log, not by an ACK.
 * Explore trial 1852372 of opb-handback-unacked (saved in regressions/): n1 executed c0's put at
 * 1.n1, acked by n9 and n7, and crashed; n5 took over at 2.n5 holding it. n1, back with an empty
 * disk and hearing nobody (its inbound links cut one way), claimed 400:1.n1 and won by rank over
 * n5 (n5's `lost` report at 1.034 s); every member installed n1's empty state and dropped the
 * write. c0 never asked again, so nothing told it. Counting only the write's executing primary
 * and acking backups as losers (the rule before), the loss looked unexcused.
 */
import { describe, expect, it } from 'vitest';
import { opbNoLossWithoutFork } from '../../properties/opb-c6-no-loss.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { withoutObservations } from '../helpers/record.js';
import { savedRun } from '../helpers/regressions.js';

let cached: RunRecord | null = null;
const found = (): RunRecord => (cached ??= savedRun(new URL('../protocol/optimistic/' +
  'regressions/explore-handback-unacked-1852372-holder-that-led-lost-fork.json',
import.meta.url), 'opb', true));
const MISSING = 'acked put k0=c0.1 by c0 is missing (held by n1, n9, n7)';

type Obs = RunRecord['observations'][number];
const n5 = (label: string) => (o: Obs): boolean => o.label === label && o.node === 'n5';

function fails(r: RunRecord): void {
  const v = opbNoLossWithoutFork.check(r);
  expect(v.status).toBe('fail');
  expect(v.message).toContain(MISSING);
}

describe('C6: a fork loser that held the write by its log (opb-c6-no-loss-without-fork)', () => {
  it('excuses the loss as a fork: n5 held the write when it lost to n1', () => {
    const v = opbNoLossWithoutFork.check(found());
    expect(v.status).toBe('pass');
    expect(v.message).toContain('1 fork');
  });

  it('fails without n5\'s loss report (no fork)', () => {
    fails(withoutObservations(found(), (o) => n5('opb.role')(o)
      && (o.data as { reason?: string }).reason === 'lost'));
  });

  it('fails when n5\'s digests before its loss do not cover the write', () => {
    const r = found();
    const lost = r.observations.find((o) => n5('opb.role')(o)
      && (o.data as { reason?: string }).reason === 'lost')!;
    const observations = r.observations.map((o) => n5('opb.digest')(o) && o.seq < lost.seq
      ? { ...o, data: { ...(o.data as object), lineage: '' } } : o);
    fails({ ...r, observations });
  });

  it('fails under merge (a fork drops nothing there: the winner re-executes the orphans)', () => {
    const r = found();
    fails({ ...r, params: { ...r.params, policy: 'merge' } });
  });
});

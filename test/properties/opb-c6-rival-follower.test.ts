/**
 * C6 and a backup that followed a rival primary (P2.7: a period with two concurrent primaries
 * excuses a lost acknowledged write under `discard`). The run: explore trial 982770 of
 * opb-notice-late-retry's saved schedule on seed 33 (since the primary's re-send rule seed 982770
 * loses no acked write; seed 33 is the first of seeds 0-100 that loses the same one, +c0.18; 6, 8,
 * 29 and 32 lose another the same way). c0's append +c0.18 was executed by n1 under 1.n1 at
 * 0.534 s and acked with n2 holding it; n3 then claimed 2.n3 at 0.7 s while n1 still led, n2
 * followed n3 at 0.723 s and installed its state over the write, and n1's own copy went with its
 * disk at 3 s. Each copy went with its disk or to the fork, so C6 passes; with any part of that
 * evidence missing it must fail.
 */
import { describe, expect, it } from 'vitest';
import { opbNoLossWithoutFork } from '../../properties/opb-c6-no-loss.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { runChecked } from '../../scenarios/runner.js';
import { readSaved } from '../helpers/regressions.js';

const file = new URL('../protocol/optimistic/regressions/' +
  'explore-notice-late-retry-982770-backup-followed-rival.json', import.meta.url);
const MISSING = 'acked append k0=+c0.18 by c0 is missing (held by n1, n2)';

let cached: RunRecord | null = null;
/** The saved schedule on seed 33, simulated once (the tests only read it). */
const forkRun = (): RunRecord => (cached ??= runChecked({ ...readSaved(file), seed: 33,
  protocol: 'opb' }).record);

type Obs = RunRecord['observations'][number];
function without(run: RunRecord, drop: (o: Obs) => boolean): RunRecord {
  const observations = run.observations.filter((o) => !drop(o));
  expect(observations.length).toBeLessThan(run.observations.length);
  return { ...run, observations };
}

/** n2's reports of following n3's epochs (2.n3, 1:1.n3): the evidence it followed the rival. */
const n2FollowedN3 = (o: Obs): boolean => o.label === 'opb.epoch' && o.node === 'n2'
  && (o.data as { node: string }).node === 'n3';

describe('C6 and a backup that followed a rival primary (opb-c6-no-loss-without-fork)', () => {
  it('excuses the loss: n2 followed n3, claimed while n1 led, and n1 lost its disk', () => {
    const v = opbNoLossWithoutFork.check(forkRun());
    expect(v.status).toBe('pass');
    expect(v.message).toMatch(/\d+ fork/);
  });

  it('fails when n2 never followed the rival (its copy was kept)', () => {
    const v = opbNoLossWithoutFork.check(without(forkRun(), n2FollowedN3));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it("fails when n1 kept its disk (the primary's copy survived the fork)", () => {
    const v = opbNoLossWithoutFork.check(without(forkRun(), (o) =>
      o.label === 'opb.node' && o.node === 'n1' && (o.data as { amnesia: boolean }).amnesia));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it('fails when n1 had stepped down before n3 claimed (no two primaries at once)', () => {
    const run = forkRun();
    const claim = run.observations.find((o) => o.label === 'opb.role' && o.node === 'n3'
      && (o.data as { epoch: string }).epoch === '2.n3')!;
    const stepDown: Obs = { ...claim, node: 'n1', at: claim.at - 1, seq: claim.seq,
      data: { ...(claim.data as object), role: 'backup', reason: 'reclaim' } };
    const at = run.observations.indexOf(claim);
    const observations = [...run.observations.slice(0, at), stepDown,
      ...run.observations.slice(at)];
    const v = opbNoLossWithoutFork.check({ ...run, observations });
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it('fails under merge, where a fork loses no write (the winner re-executes orphans)', () => {
    const run = forkRun();
    const v = opbNoLossWithoutFork.check({ ...run, params: { ...run.params, policy: 'merge' } });
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });
});

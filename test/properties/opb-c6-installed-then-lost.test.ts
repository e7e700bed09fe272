/**
 * C6 and a holder that installed a winner's state (P2.7: an acknowledged write may be lost only
 * once every copy is). The run: explore trial 1530430 of opb-bridge-loser-leaves, shrunk (k = 4,
 * w = 3, merge). The bridge partition (0.265-0.955 s) cut n13, primary 6.n13 of s2, off from its
 * backups, so it answered c2's append +c2.23 (and 8 more writes) alone at 0.665 s. After the heal
 * it lost to n1, installed n1's state at 1.185 s and re-submitted its orphans; n1 re-executed
 * them at 1.2375 s, confirmed, crashed at 1.24 s before any backup took index 15 (+c2.23), and
 * came back without its disk at 2.22 s. The ack-time holder n13 never lost its disk, so C6
 * failed before; its copy went with its install, and the only copy held after it, n1's, went
 * with n1's disk, so C6 passes. With any part of that evidence missing it must fail.
 */
import { describe, expect, it } from 'vitest';
import { opbNoLossWithoutFork } from '../../properties/opb-c6-no-loss.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { withoutObservations } from '../helpers/record.js';
import { savedRun } from '../helpers/regressions.js';

const file = new URL('../protocol/optimistic/regressions/' +
  'explore-bridge-loser-leaves-1530430-orphans-lost-with-winner-disk.json', import.meta.url);
const MISSING = 'acked append s2/k3=+c2.23 by c2 is missing (held by n13)';
const INSTALLED_AT = 1_185_389;

let cached: RunRecord | null = null;
const run = (): RunRecord => (cached ??= savedRun(file, 'opb'));

type Obs = RunRecord['observations'][number];
const without = withoutObservations;
const ofS2 = (o: Obs): boolean => (o.data as { service?: number }).service === 2;

describe('C6 and a holder that installed a winner\'s state (opb-c6-no-loss-without-fork)', () => {
  it('excuses the loss: n13 installed n1\'s state, and n1, holding the write after, lost its disk',
    () => {
      const v = opbNoLossWithoutFork.check(run());
      expect(v.status).toBe('pass');
      expect(v.message).toMatch(/5 handed over, then lost/);
    });

  it('fails without the install (the rule before: n13 kept its disk, so its copy counted)', () => {
    const v = opbNoLossWithoutFork.check(without(run(), (o) =>
      o.label === 'opb.install' && o.node === 'n13' && ofS2(o) && o.at === INSTALLED_AT));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it('fails when n1 kept its disk (a copy held after the install survived: a real loss)', () => {
    const v = opbNoLossWithoutFork.check(without(run(), (o) =>
      o.label === 'opb.node' && o.node === 'n1' && o.at > 0
      && (o.data as { amnesia: boolean }).amnesia));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it('fails when nobody held the write after the install (the hand-over failed)', () => {
    const v = opbNoLossWithoutFork.check(without(run(), (o) =>
      o.label === 'opb.exec' && o.node === 'n1' && ofS2(o)
      && (o.data as { resubmit: boolean }).resubmit));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it('fails when n13 held the write again after its install (its digest covers index 15)', () => {
    const r = run();
    let edited = 0;
    const observations = r.observations.map((o) => {
      if (o.label !== 'opb.digest' || o.node !== 'n13' || !ofS2(o) || o.at !== 1_400_000) return o;
      edited++;
      return { ...o, data: { ...(o.data as object), lineage: '3.n1:10,7.n1:21' } };
    });
    expect(edited).toBe(1);
    const v = opbNoLossWithoutFork.check({ ...r, observations });
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });
});

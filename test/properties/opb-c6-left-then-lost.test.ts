/**
 * C6 and a holder that left its group (P2.7: an acknowledged write may be lost only once every
 * copy is). The run: explore trial 1491093 of opb-stale-join (k = 2, w = 0, merge). n1, primary
 * under 1.n1, answered c0's append +c0.1 alone at 0.2 s; n2 held it as a backup and failed over
 * during n1's pause (0.426-1.242 s). n1, back, lost to n2's claim at 1.2605 s and left the group
 * (n2's repair had replaced it; n1, without room, refused the merge's re-add), handing its log
 * over; n2, then the only replica holding the write, came back without its disk at 2.655 s. The
 * ack-time holder n1 never lost its disk, so C6 failed before; its copy went with its leave, and
 * every copy held after the leave went with n2's disk, so C6 passes. With any part of that
 * evidence missing it must fail.
 */
import { describe, expect, it } from 'vitest';
import { opbNoLossWithoutFork } from '../../properties/opb-c6-no-loss.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { withoutObservations } from '../helpers/record.js';
import { savedRun } from '../helpers/regressions.js';

const file = new URL('../protocol/optimistic/regressions/' +
  'explore-stale-join-1491093-leaver-copy-lost-with-winner-disk.json', import.meta.url);
const MISSING = 'acked append k2=+c0.1 by c0 is missing (held by n1)';
const LEFT_AT = 1_260_501;

let cached: RunRecord | null = null;
const run = (): RunRecord => (cached ??= savedRun(file, 'opb'));

type Obs = RunRecord['observations'][number];
const without = withoutObservations;

describe('C6 and a holder that left its group (opb-c6-no-loss-without-fork)', () => {
  it('excuses the loss: n1 left, and n2, holding the write after, lost its disk', () => {
    const v = opbNoLossWithoutFork.check(run());
    expect(v.status).toBe('pass');
    expect(v.message).toMatch(/45 left, then lost/);
  });

  it('fails without the leave (the rule before: n1 kept its disk, so its copy counted)', () => {
    const v = opbNoLossWithoutFork.check(without(run(), (o) =>
      o.label === 'opb.leave' && o.node === 'n1'));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it('fails when n2 kept its disk (a copy held after the leave survived: a real loss)', () => {
    const v = opbNoLossWithoutFork.check(without(run(), (o) =>
      o.label === 'opb.node' && o.node === 'n2' && o.at > 0
      && (o.data as { amnesia: boolean }).amnesia));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it('fails when nobody held the write after the leave (the hand-over failed)', () => {
    const v = opbNoLossWithoutFork.check(without(run(), (o) =>
      o.label === 'opb.digest' && o.node === 'n2' && o.at >= LEFT_AT));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });
});

/**
 * The same trial's second shrink (n1 paused 0.426-1.263 s, n2 crashed at 1.332 s and came back
 * without its disk at 2.466 s). n1, resumed, ran its backlog's steps at 1.263 s: its tick's
 * digest (an earlier step) still listed 1.n1:52, then a later step lost to n2, installed its
 * state and left. Read by the instant alone, that digest was a copy held after the leave by a
 * node that never lost its disk, and C6 failed; by step order it is from before the leave, and
 * the only copy held after it, n2's, went with its disk.
 */
const second = new URL('../protocol/optimistic/regressions/' +
  'explore-stale-join-1491093-leaver-digest-at-leave-instant.json', import.meta.url);
const RESUMED_AT = 1_263_000;

let secondCached: RunRecord | null = null;
const secondRun = (): RunRecord => (secondCached ??= savedRun(second, 'opb'));

/** The record with n1's digests of the leave's instant edited by `edit`. */
function n1DigestsAtLeave(r: RunRecord, edit: (o: Obs, leave: Obs) => Obs): RunRecord {
  const leave = r.observations.find((o) => o.label === 'opb.leave' && o.node === 'n1');
  expect(leave?.at).toBe(RESUMED_AT);
  let edited = 0;
  const observations = r.observations.map((o) => {
    if (o.label !== 'opb.digest' || o.node !== 'n1' || o.at !== RESUMED_AT) return o;
    expect(o.step).toBeLessThan(leave!.step!);
    edited++;
    return edit(o, leave!);
  });
  expect(edited).toBe(1);
  return { ...r, observations };
}

describe('C6 and a leaver\'s own digest of its leave\'s instant (second shrink)', () => {
  it('excuses the loss: n1\'s digest of 1.263 s is from a step before its leave', () => {
    const v = opbNoLossWithoutFork.check(secondRun());
    expect(v.status).toBe('pass');
    expect(v.message).toMatch(/42 left, then lost/);
  });

  it('fails when the instant alone orders the facts (the rule before)', () => {
    const v = opbNoLossWithoutFork.check(n1DigestsAtLeave(secondRun(), (o) => {
      const { step: _step, ...rest } = o;
      return rest;
    }));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it('fails when n1 still listed the write in a step after its leave (it held it again)', () => {
    const v = opbNoLossWithoutFork.check(n1DigestsAtLeave(secondRun(), (o, leave) =>
      ({ ...o, step: leave.step! + 1, seq: leave.seq + 1 })));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });

  it('fails when n2 kept its disk (a copy held after the leave survived: a real loss)', () => {
    const v = opbNoLossWithoutFork.check(without(secondRun(), (o) =>
      o.label === 'opb.node' && o.node === 'n2' && o.at > 0
      && (o.data as { amnesia: boolean }).amnesia));
    expect(v.status).toBe('fail');
    expect(v.message).toContain(MISSING);
  });
});

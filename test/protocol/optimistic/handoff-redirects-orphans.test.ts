/**
 * Explore seed 850684 of opb-orphans-redirect (`merge`): n1, alone with client c0, lost to n3
 * at the heal (2.0 s) and left the group with 109 acked writes in its outbox; every RESUBMIT
 * was dropped until 3.6 s. Meanwhile n3 handed s0 back to n9 (planned HANDOFF, 2.76 s): a new
 * epoch under the same membership version 8. n1 hosts no replica, so only gossip tells it the
 * primary, and its directory took a gossiped claim only at a higher version: n9's claim changed
 * nothing, and n1 re-sent its orphans to n3, a backup that ignores a RESUBMIT, until the end
 * (98 acked writes lost, P2.5). A claim at the same version and a higher epoch is newer news.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Claim, Epoch, Msg, State } from '../../../protocol/optimistic/types.js';
import { state } from './three-members.js';

const members = ['n9', 'n3', 'n7'];
const e3: Epoch = { c: 2, n: 'n3' };
const e9: Epoch = { g: 1, c: 1, n: 'n9' };

/** n1, hosting nothing, with orphans for s0 pending towards n3, which its directory names. */
function leftWithOrphans(): State {
  const s = state(3_000_000);
  const reqs = [1, 2, 3].map((seq) =>
    ({ client: 'c0', seq, op: { type: 'put' as const, key: 'k0', value: `c0.${seq}` } }));
  return { ...s, reps: new Map(),
    dir: new Map([[0, { members, mver: 8, primary: 'n3', epoch: e3 }]]),
    outbox: new Map([[0, { to: 'n3', epoch: e3, reqs, discard: false, id: 2_003_498 }]]) };
}

const gossip = (claim: Claim): Msg =>
  ({ t: 'gossip', load: 0, on: true, hosted: 1, claims: [{ ...claim, svc: 0 }] });

function heard(s: State, from: string, claim: Claim, now: number): State {
  return opb.step({ ...s, now }, { kind: 'message', now, from, msg: gossip(claim) }).state;
}

/** Where the next heartbeat re-sends the orphans. */
function resentTo(s: State, now: number): string[] {
  return opb.step(s, { kind: 'timer', now, timer: 'hb' }).effects.flatMap((e) =>
    (e.kind === 'send' && e.msg.t === 'resubmit' ? [e.to] : []));
}

describe('a node outside the group re-sending orphans', () => {
  it('follows a handoff to the successor though the membership version stays', () => {
    const s0 = leftWithOrphans();
    expect(resentTo(s0, 3_005_000)).toEqual(['n3']);
    const s1 = heard(s0, 'n9', { node: 'n9', epoch: e9, mver: 8, members }, 3_010_501);
    expect(s1.dir.get(0)).toMatchObject({ primary: 'n9', mver: 8 });
    expect(resentTo(s1, 3_050_000)).toEqual(['n9']);
    // A late gossip of the predecessor's older claim does not take it back.
    const s2 = heard(s1, 'n3', { node: 'n3', epoch: e3, mver: 8, members }, 3_011_501);
    expect(resentTo(s2, 3_100_000)).toEqual(['n9']);
  });

  it('still takes a newer membership version whatever its epoch', () => {
    const s1 = heard(leftWithOrphans(), 'n7',
      { node: 'n7', epoch: { c: 1, n: 'n7' }, mver: 9, members: ['n7', 'n9', 'n3'] }, 3_010_000);
    expect(resentTo(s1, 3_050_000)).toEqual(['n7']);
  });
});

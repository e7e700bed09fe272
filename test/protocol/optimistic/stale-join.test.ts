/**
 * A JOIN under a membership older than the one the node left the group at is refused: membership
 * versions only grow (P2.6: MEMBERSHIP mver+1, issued by the primary), so a node that left a
 * group at version v must not be taken back under an older one (`opb-no-resurrection`). Explore
 * seed 368 of opb-diurnal-four: n4, a primary paused for 3 s, resumed and restarted its
 * consolidate move adding n10 with a JOIN at version 3; n10 had left n8's group at version 4 and
 * took the stale JOIN, hosting a replica of a group that had let it go.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Epoch, Msg, State } from '../../../protocol/optimistic/types.js';
import { state } from './three-members.js';

const e3: Epoch = { c: 1, n: 'n3' };

/** n1 hosting no replica; it left s0 at version `left` (if given), and its directory holds v4. */
function hostingNothing(left?: number): State {
  const s = state(1_000_000);
  return { ...s, reps: new Map(), dir: new Map([[0, { members: ['n5', 'n9'], mver: 4,
    primary: 'n5' }]]), left: new Map(left === undefined ? [] : [[0, left]]) };
}

/** n3's JOIN for s0 under membership [n3, n5, n1] at version `mver`. */
const join = (mver: number): Msg =>
  ({ t: 'join', svc: 0, claim: { node: 'n3', epoch: e3, mver, members: ['n3', 'n5', 'n1'] } });

function deliver(s: State, msg: Msg): ReturnType<typeof opb.step> {
  return opb.step(s, { kind: 'message', now: s.now, from: 'n3', msg });
}

const labels = (r: ReturnType<typeof opb.step>): string[] =>
  r.effects.flatMap((e) => (e.kind === 'observe' ? [e.label] : []));
const sends = (r: ReturnType<typeof opb.step>): Msg[] =>
  r.effects.flatMap((e) => (e.kind === 'send' ? [e.msg] : []));

function expectJoined(r: ReturnType<typeof opb.step>, mver: number): void {
  expect(r.state.reps.get(0)).toMatchObject({ role: 'backup', primary: 'n3', mver });
  expect(labels(r)).toContain('opb.join');
  expect(sends(r)).toContainEqual({ t: 'joinAck', svc: 0, ok: true });
}

describe('a JOIN under a membership older than the one the node left at', () => {
  it('is refused as a full node refuses one: no replica, no opb.join, a negative JoinAck', () => {
    const r = deliver(hostingNothing(4), join(3));
    expect(r.state.reps.has(0)).toBe(false);
    expect(labels(r)).not.toContain('opb.join');
    expect(sends(r)).toEqual([{ t: 'joinAck', svc: 0, ok: false }]);
  });

  it('the node records the version it leaves at', () => {
    // n1 hosts s0 (v0, the fixture's group); a primary's heartbeat at v4 leaves it out.
    const s = state(1_000_000);
    const hb: Msg = { t: 'hb', svc: 0, role: 'primary', primary: 'n3', epoch: e3,
      members: ['n3', 'n5'], mver: 4, idx: 0, lastE: null, lastTag: '', pAgeUs: -1, stable: 0 };
    const r = deliver(s, hb);
    expect(labels(r)).toContain('opb.leave');
    expect(r.state.left.get(0)).toBe(4);
    expect(deliver({ ...r.state, now: 1_100_000 }, join(3)).state.reps.has(0)).toBe(false);
  });

  it('is taken at or above that version, and when the node never left (a newer version heard '
    + 'by gossip does not refuse it: an amnesiac primary restarts its versions, seed 880141)',
  () => {
    expectJoined(deliver(hostingNothing(4), join(4)), 4);
    expectJoined(deliver(hostingNothing(4), join(5)), 5);
    expectJoined(deliver(hostingNothing(), join(1)), 1);
  });
});

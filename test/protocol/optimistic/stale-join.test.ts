/**
 * A JOIN under a membership older than one the node knows is refused, as a primary's heartbeat
 * naming it is (`adoptMissing`, dispatch.ts): membership versions only grow (P2.6: MEMBERSHIP
 * mver+1, issued by the primary), so a node that left a group at version v must not be taken
 * back under an older one (`opb-no-resurrection`). Explore seed 368 of opb-diurnal-four: n4, a
 * primary paused for 3 s, resumed and restarted its consolidate move adding n10 with a JOIN at
 * version 3; n10 had left n8's group at version 4 (and heard of version 5 by gossip) and took
 * the stale JOIN, hosting a replica of a group that had let it go.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Epoch, Msg, State } from '../../../protocol/optimistic/types.js';
import { state } from './three-members.js';

const e3: Epoch = { c: 1, n: 'n3' };

/** n1 hosting no replica, its directory entry for s0 at `dir` (the version it left at, say). */
function hostingNothing(dir: { members: string[]; mver: number }): State {
  const s = state(1_000_000);
  return { ...s, reps: new Map(), dir: new Map([[0, { ...dir, primary: 'n5' }]]) };
}

/** n3's JOIN for s0 under membership `members` at version `mver`. */
const join = (members: string[], mver: number): Msg =>
  ({ t: 'join', svc: 0, claim: { node: 'n3', epoch: e3, mver, members } });

function deliver(s: State, msg: Msg): ReturnType<typeof opb.step> {
  return opb.step(s, { kind: 'message', now: s.now, from: 'n3', msg });
}

const labels = (r: ReturnType<typeof opb.step>): string[] =>
  r.effects.flatMap((e) => (e.kind === 'observe' ? [e.label] : []));
const sends = (r: ReturnType<typeof opb.step>): Msg[] =>
  r.effects.flatMap((e) => (e.kind === 'send' ? [e.msg] : []));

describe('a JOIN under a membership older than one the node knows', () => {
  it('is refused as a full node refuses one: no replica, no opb.join, a negative JoinAck', () => {
    // n1 left s0 at version 4 ([n5, n9] without it); n3's JOIN comes from version 3.
    const r = deliver(hostingNothing({ members: ['n5', 'n9'], mver: 4 }),
      join(['n3', 'n5', 'n1'], 3));
    expect(r.state.reps.has(0)).toBe(false);
    expect(labels(r)).not.toContain('opb.join');
    expect(sends(r)).toEqual([{ t: 'joinAck', svc: 0, ok: false }]);
  });

  it('is refused at the same version when that version, as known, leaves the node out', () => {
    const r = deliver(hostingNothing({ members: ['n5', 'n9'], mver: 4 }),
      join(['n3', 'n5', 'n1'], 4));
    expect(r.state.reps.has(0)).toBe(false);
    expect(sends(r)).toEqual([{ t: 'joinAck', svc: 0, ok: false }]);
  });

  it('is taken from a newer membership, or one that names the node at the known version', () => {
    for (const [known, mver] of [[['n5', 'n9'], 5], [['n3', 'n5', 'n1'], 4]] as const) {
      const r = deliver(hostingNothing({ members: [...known], mver: 4 }),
        join(['n3', 'n5', 'n1'], mver));
      expect(r.state.reps.get(0)).toMatchObject({ role: 'backup', primary: 'n3', mver });
      expect(labels(r)).toContain('opb.join');
      expect(sends(r)).toContainEqual({ t: 'joinAck', svc: 0, ok: true });
    }
  });
});

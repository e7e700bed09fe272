/**
 * A node that a primary's heartbeat names as a member of a group it does not host adopts the
 * replica (`adoptMissing` in dispatch.ts: the JOIN was lost) and reports it as a JOIN does, with
 * `opb.join`. Before, only a JOIN reported one, so checks reading joins missed every adoption
 * (opb-stale-group-back was caught only by the digest its heal time happened to produce).
 */
import { describe, expect, it } from 'vitest';
import { emptyData, lastEpoch, lastIndex, lastTag } from '../../../protocol/optimistic/data.js';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Epoch, Msg, State } from '../../../protocol/optimistic/types.js';
import { state } from './three-members.js';

const e3: Epoch = { c: 1, n: 'n3' };

/** n1 hosting no replica, its directory entry for s0 (if any) at `dir`. */
function hostingNothing(dir?: { members: string[]; mver: number }): State {
  const s = state(1_000_000);
  const entries = dir === undefined ? [] : [[0, { ...dir, primary: 'n3' }] as const];
  return { ...s, reps: new Map(), dir: new Map(entries) };
}

/** Primary n3's heartbeat for s0 under membership `members` at version `mver`. */
const primaryHb = (members: string[], mver: number): Msg => ({
  t: 'hb', svc: 0, role: 'primary', primary: 'n3', epoch: e3, members, mver,
  idx: lastIndex(emptyData), lastE: lastEpoch(emptyData), lastTag: lastTag(emptyData),
  pAgeUs: -1, stable: 0,
});

const observed = (effects: ReturnType<typeof opb.step>['effects']): [string, unknown][] =>
  effects.flatMap((e) => (e.kind === 'observe' ? [[e.label, e.data] as [string, unknown]] : []));

function deliver(s: State, msg: Msg): ReturnType<typeof opb.step> {
  return opb.step(s, { kind: 'message', now: s.now, from: 'n3', msg });
}

describe('a replica adopted from a primary\'s heartbeat reports its join', () => {
  it('opb.join, as a JOIN reports it, before the epoch it then follows', () => {
    const r = deliver(hostingNothing(), primaryHb(['n3', 'n1', 'n5'], 2));
    expect(r.state.reps.get(0)).toMatchObject({ primary: 'n3', mver: 2 });
    const obs = observed(r.effects);
    expect(obs[0]).toEqual(['opb.join', { service: 0, primary: 'n3', membershipVersion: 2 }]);
    expect(obs.map(([l]) => l)).toContain('opb.epoch');
    // The same fact a JOIN reports, field for field.
    const claim = { node: 'n3', epoch: e3, mver: 2, members: ['n3', 'n1', 'n5'] };
    const viaJoin = observed(deliver(hostingNothing(), { t: 'join', svc: 0, claim }).effects);
    expect(viaJoin.filter(([l]) => l === 'opb.join')).toEqual([obs[0]]);
  });

  it('no join when nothing is adopted: a member already, or a group it left since', () => {
    const member = deliver(state(1_000_000), primaryHb(['n3', 'n1', 'n5'], 2));
    expect(observed(member.effects).map(([l]) => l)).not.toContain('opb.join');
    // n1 knows version 3 without it: version 2 naming it must not take it back.
    const left = deliver(hostingNothing({ members: ['n3', 'n5'], mver: 3 }),
      primaryHb(['n3', 'n1', 'n5'], 2));
    expect(left.state.reps.has(0)).toBe(false);
    expect(observed(left.effects)).toEqual([]);
  });
});

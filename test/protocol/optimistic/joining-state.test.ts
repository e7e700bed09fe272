/**
 * A replica a JOIN creates (or a primary's heartbeat adopts) holds none of its group's state
 * until its primary's transfer or updates arrive (P2.6 #1: MEMBERSHIP, then STATE-XFER, then a
 * backup). Its empty store is no state of the service, so it declares no generic `state` until
 * then (explore seed 91 of opb-diurnal: a replica a power move added 7 ms before the end reported
 * an empty state and the generic convergence check read a divergence); its `opb.digest` goes on.
 */
import { describe, expect, it } from 'vitest';
import { emptyData, entriesAfter, lastEpoch, lastIndex, lastTag } from
  '../../../protocol/optimistic/data.js';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Claim, Epoch, Msg, State, SvcData } from '../../../protocol/optimistic/types.js';
import { state, writes } from './three-members.js';

const e3: Epoch = { c: 1, n: 'n3' };
const members = ['n3', 'n5', 'n1'];
const claim: Claim = { node: 'n3', epoch: e3, mver: 1, members };

/** n1 hosting nothing yet, its clock at 1 s. */
function hostingNothing(): State {
  return { ...state(1_000_000), reps: new Map(), dir: new Map() };
}

function deliver(s: State, msg: Msg, from = 'n3'): State {
  return opb.step({ ...s, now: s.now + 1_000 }, { kind: 'message', now: s.now + 1_000, from, msg })
    .state;
}

/** The labels of the observations n1's next heartbeat tick makes, and its `state` if any. */
function tick(s: State): { labels: string[]; state: unknown } {
  const now = s.now + 50_000;
  const { effects } = opb.step({ ...s, now }, { kind: 'timer', now, timer: 'hb' });
  const obs = effects.flatMap((e) => (e.kind === 'observe' ? [e] : []));
  return { labels: obs.map((o) => o.label), state: obs.find((o) => o.label === 'state')?.data };
}

const primaryHb = (data: SvcData): Msg => ({
  t: 'hb', svc: 0, role: 'primary', primary: 'n3', epoch: e3, members, mver: 1,
  idx: lastIndex(data), lastE: lastEpoch(data), lastTag: lastTag(data), pAgeUs: -1, stable: 0,
});

const joined = (): State => deliver(hostingNothing(), { t: 'join', svc: 0, claim });

describe('a joining replica declares its state once it holds its group\'s', () => {
  it('after the JOIN: a digest, no state', () => {
    const s = joined();
    expect(s.reps.get(0)).toMatchObject({ primary: 'n3', joining: true });
    const t = tick(s);
    expect(t.labels).toContain('opb.digest');
    expect(t.labels).not.toContain('state');
  });

  it('a state transfer installed: the state, from then on', () => {
    const data = writes(e3, 5);
    const s = deliver(joined(), { t: 'xfer', svc: 0, claim, data });
    expect(s.reps.get(0)?.joining).toBe(false);
    expect(tick(s).state).toMatchObject({ applied: 5, group: 's0' });
  });

  it('updates applied from the primary (a tail from 0): the state, part-way', () => {
    const entries = entriesAfter(writes(e3, 5), 0, 3);
    const s = deliver(joined(), { t: 'upd', svc: 0, claim, prevI: 0, prevE: null,
      prevTag: lastTag(emptyData), entries, stable: 0 });
    expect(tick(s).state).toMatchObject({ applied: 3 });
  });

  it('its primary\'s heartbeat at its own tip (an empty group): the state', () => {
    const s = deliver(joined(), primaryHb(emptyData));
    expect(tick(s).state).toMatchObject({ applied: 0 });
  });

  it('its primary\'s heartbeat ahead of it, or a stranger\'s transfer: still none', () => {
    expect(tick(deliver(joined(), primaryHb(writes(e3, 5)))).labels).not.toContain('state');
    const stranger: Claim = { node: 'n5', epoch: { c: 1, n: 'n5' }, mver: 1, members };
    const s = deliver(joined(), { t: 'xfer', svc: 0, claim: stranger, data: writes(e3, 5) },
      'n5');
    expect(s.reps.get(0)?.joining).toBe(true);
    expect(tick(s).labels).not.toContain('state');
  });

  it('adopted from a primary\'s heartbeat (a lost JOIN): none until its state comes', () => {
    const s = deliver(hostingNothing(), primaryHb(writes(e3, 5)));
    expect(s.reps.get(0)).toMatchObject({ primary: 'n3', joining: true });
    expect(tick(s).labels).not.toContain('state');
  });

  it('promoted (a planned handoff to it): its history is the group\'s, declared', () => {
    const s = deliver(joined(), { t: 'handoff', svc: 0,
      claim: { node: 'n1', epoch: { c: 2, n: 'n1' }, mver: 2, members: ['n1', 'n3', 'n5'] },
      tip: { i: 0, e: null }, notices: new Map() });
    expect(s.reps.get(0)).toMatchObject({ role: 'primary', joining: false });
    expect(tick(s).state).toMatchObject({ applied: 0 });
  });

  it('a member from the start declares its (empty) state at once', () => {
    const s = state(1_000_000);
    expect(s.reps.get(0)?.joining).toBe(false);
    expect(tick(s).state).toMatchObject({ applied: 0 });
  });
});

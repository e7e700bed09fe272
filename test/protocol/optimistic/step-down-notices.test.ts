/**
 * P2.5 `discard`: a client whose orphan was dropped is told at its next access, whoever is
 * primary then. A primary holding such a notice that loses a conflict and stays a member of the
 * winner used to keep it on its backup replica, where no reply ever carries it (explore trial
 * 982770: n3 took c0's notice at 0.7976 s and lost to n1 at 1.014 s as a member). Stepping down
 * now hands the notices to the primary it follows, through the outbox, and clears its own.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Claim, Msg, Notice, Replica, State } from '../../../protocol/optimistic/types.js';
import { members, state } from './three-members.js';

type Resubmit = Extract<Msg, { t: 'resubmit' }>;
const pending: ReadonlyMap<string, Notice> = new Map([['c0', { seqs: [18], upTo: -1 }]]);

/** n1, primary of s0 under 1.n1, holding a notice for c0 (or none). */
function primaryN1(notices: ReadonlyMap<string, Notice>): State {
  const s = state(1_000_000);
  const rep: Replica = { ...newReplica(0, members, 0, 0, undefined, { c: 1, n: 'n1' }),
    role: 'primary', primary: 'n1', notices };
  return { ...s, params: { ...s.params, policy: 'discard' }, reps: new Map(s.reps).set(0, rep) };
}

/** n3's claim, dominating n1's (a newer membership) and keeping n1 a member. */
const winner: Claim = { node: 'n3', epoch: { c: 2, n: 'n3' }, mver: 1, members };

function loses(s: State): { s: State; resubmits: { to: string; msg: Resubmit }[] } {
  const msg = { t: 'claim', svc: 0, claim: winner, ageUs: 0 } as const;
  const r = opb.step(s, { kind: 'message', now: 1_000_100, from: 'n3', msg });
  const resubmits = r.effects.flatMap((e) => e.kind === 'send' && e.msg.t === 'resubmit'
    ? [{ to: e.to, msg: e.msg }] : []);
  return { s: r.state, resubmits };
}

describe('a primary stepping down hands its discard notices to the one it follows', () => {
  it('sends them to the winner and keeps none of its own', () => {
    const { s, resubmits } = loses(primaryN1(pending));
    const rep = s.reps.get(0)!;
    expect(rep.role).not.toBe('primary');
    expect(rep.primary).toBe('n3');
    expect(resubmits).toHaveLength(1);
    expect(resubmits[0]!.to).toBe('n3');
    expect(resubmits[0]!.msg.notices).toEqual(pending);
    expect(resubmits[0]!.msg.reqs).toEqual([]);
    expect(rep.notices.size).toBe(0);
  });

  it('keeps them in the outbox until a primary confirms (a lost message loses nothing)', () => {
    const { s } = loses(primaryN1(pending));
    expect(s.outbox.get(0)?.notices).toEqual(pending);
    const again = opb.step(s, { kind: 'timer', now: 1_050_000, timer: 'hb' }).effects
      .filter((e) => e.kind === 'send' && e.msg.t === 'resubmit');
    expect(again).toHaveLength(1);
  });

  it('sends nothing when it holds no notice', () => {
    expect(loses(primaryN1(new Map())).resubmits).toEqual([]);
  });

  it('the winner adopts them, to be carried on its replies to that client', () => {
    const { resubmits } = loses(primaryN1(pending));
    const s3 = opb.init('n3', { nodes: state(0).nodes, replicas: members,
      params: { ...opb.defaults, policy: 'discard' }, mutant: null });
    const booted = { ...opb.step(s3, { kind: 'restart', now: 0, durable: null }).state,
      now: 1_000_200 };
    const rep: Replica = { ...newReplica(0, members, 1, 0, undefined, winner.epoch),
      role: 'primary', primary: 'n3' };
    const n3 = { ...booted, reps: new Map(booted.reps).set(0, rep) };
    const r = opb.step(n3,
      { kind: 'message', now: 1_000_200, from: 'n1', msg: resubmits[0]!.msg });
    expect(r.state.reps.get(0)!.notices.get('c0')?.seqs).toEqual([18]);
    expect(r.effects.some((e) => e.kind === 'send' && e.msg.t === 'resubmitted')).toBe(true);
  });
});

/**
 * A member that learns from its own primary's claim (same epoch, newer membership) that it was
 * dropped leaves the group; it must first hand over writes that primary may lack (explore seed
 * 102971: a loser still reconciling, cut off one way, was dropped by the winner's repair before
 * any install handed its orphans over, and 9 acked writes were lost under merge).
 */
import { describe, expect, it } from 'vitest';
import { onClaim } from '../../../protocol/optimistic/conflict.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type {
  Claim, Epoch, Msg, Replica, SvcData,
} from '../../../protocol/optimistic/types.js';
import { members, state, writes } from './three-members.js';

const winner: Epoch = { c: 2, n: 'n3' };
const followed: Claim = { node: 'n3', epoch: winner, mver: 0, members };
// The winner's repair replaced n1: same epoch, newer membership without us.
const repaired: Claim = { node: 'n3', epoch: winner, mver: 1, members: ['n3', 'n5'] };

function follower(role: Replica['role'], data: SvcData): Replica {
  return { ...newReplica(0, members, 0, 0, data), role, primary: 'n3', epoch: winner,
    pclaim: followed };
}

const resubmits = (out: readonly unknown[]): Extract<Msg, { t: 'resubmit' }>[] =>
  out.flatMap((e) => {
    const x = e as { kind: string; msg?: Msg };
    return x.kind === 'send' && x.msg?.t === 'resubmit' ? [x.msg] : [];
  });

describe('a member dropped by its own primary', () => {
  it('hands its orphans over when it was still reconciling (explore seed 102971)', () => {
    const s = state(1_000_000);
    const step = onClaim(s, follower('reconciling', writes({ c: 1, n: 'n1' }, 3)), repaired, 'n9');
    expect(step.rep!.members).not.toContain('n1');
    const sent = resubmits(step.out);
    expect(sent.map((m) => m.reqs.map((r) => r.seq))).toEqual([[1, 2, 3]]);
    expect(sent[0]!.discard).toBe(false);
  });

  it('hands them over as a backup whose tip is of an older epoch', () => {
    const s = state(1_000_000);
    const step = onClaim(s, follower('backup', writes({ c: 1, n: 'n1' }, 2)), repaired, 'n3');
    expect(resubmits(step.out)).toHaveLength(1);
  });

  it('sends nothing when its tip is of the followed epoch (the primary holds it all)', () => {
    const s = state(1_000_000);
    const step = onClaim(s, follower('backup', writes(winner, 4)), repaired, 'n3');
    expect(step.rep!.members).toEqual(['n3', 'n5']);
    expect(resubmits(step.out)).toEqual([]);
  });
});

/**
 * A member removed by a repair while cut off, back above the repairing primary's epoch and
 * following nobody (explore trial 1810605 of opb-restart-stale-members): reporting its epoch
 * moves nothing, since a primary hears only its members; it leaves for the newer membership,
 * keeping its epoch, and hands its log over.
 */
describe('a member removed while away, above the claimant\'s epoch', () => {
  const own: Epoch = { c: 2, n: 'n1' };
  // n3's repair replaced n1 at a lower epoch than the one n1 claimed while cut off.
  const newer: Claim = {
    node: 'n3', epoch: { c: 1, n: 'n3' }, mver: 4, members: ['n3', 'n5', 'n7'],
  };
  const away = (data: SvcData): Replica => ({ ...newReplica(0, members, 1, 0, data),
    role: 'backup', primary: null, pclaim: null, epoch: own });
  const acks = (out: readonly unknown[]): unknown[] => out.filter((e) => {
    const x = e as { kind: string; msg?: Msg };
    return x.kind === 'send' && x.msg?.t === 'ack';
  });

  it('leaves with the claim\'s membership, keeps its epoch and hands its writes over', () => {
    const step = onClaim(state(4_000_000), away(writes(own, 3)), newer, 'n3');
    expect(step.rep!.members).toEqual(['n3', 'n5', 'n7']);
    expect(step.rep!.epoch).toEqual(own);
    const sent = resubmits(step.out);
    expect(sent.map((m) => m.reqs.map((r) => r.seq))).toEqual([[1, 2, 3]]);
  });

  it('reports its epoch, as before, when the claim is relayed', () => {
    const step = onClaim(state(4_000_000), away(writes(own, 3)), newer, 'n5', 0);
    expect(step.rep!.members).toEqual(members);
  });

  it('reports its epoch when the claim\'s membership still names it', () => {
    const named: Claim = { ...newer, members: ['n3', 'n1', 'n5'] };
    const step = onClaim(state(4_000_000), away(writes(own, 3)), named, 'n3');
    expect(step.rep!.members).toEqual(members);
    expect(acks(step.out)).toHaveLength(1);
  });

  it('reports its epoch when the claim\'s membership is not newer than its own', () => {
    const older: Claim = { ...newer, mver: 1 };
    const step = onClaim(state(4_000_000), away(writes(own, 3)), older, 'n3');
    expect(step.rep!.members).toEqual(members);
    expect(acks(step.out)).toHaveLength(1);
  });

  it('keeps reporting under the declared mutant opb:removed-backup-reports', () => {
    const s = { ...state(4_000_000), mutant: 'removed-backup-reports' as const };
    const step = onClaim(s, away(writes(own, 3)), newer, 'n3');
    expect(step.rep!.members).toEqual(members);
    expect(acks(step.out)).toHaveLength(1);
    expect(resubmits(step.out)).toEqual([]);
  });
});

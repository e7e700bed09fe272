/**
 * A backup hears a higher epoch's claim from a group that never saw a repair it saw (explore
 * trial 1850535 of opb-repair-same-dc): the claim lists it, at an older membership version.
 * By the dominance rule its own group wins, so it keeps its membership and history and relays
 * what it follows; a claim that leaves it out is still followed (restarted-holder-leaves).
 */
import { describe, expect, it } from 'vitest';
import { onClaim } from '../../../protocol/optimistic/conflict.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Claim, Epoch, Replica } from '../../../protocol/optimistic/types.js';
import { state, writes } from './three-members.js';

const ours: Epoch = { c: 1, n: 'n3' };
// n3 repaired the group to version 1 (n9 replaced by n5's neighbour n7); n1 follows it.
const repairedMembers = ['n3', 'n1', 'n7'];
const followed: Claim = { node: 'n3', epoch: ours, mver: 1, members: repairedMembers };
// n9, cut off before the repair, claimed a higher epoch in the old membership, which lists n1.
const rival: Claim = { node: 'n9', epoch: { c: 2, n: 'n9' }, mver: 0,
  members: ['n3', 'n1', 'n9'] };

/** n1 at 1 s, following n3 (last heard `heardAt`) and holding five of its writes. */
function backup(heardAt: number): Replica {
  const rep = newReplica(0, repairedMembers, 1, 0, writes(ours, 5));
  return { ...rep, role: 'backup', primary: 'n3', epoch: ours, pclaim: followed,
    heard: new Map([['n3', heardAt]]) };
}

describe('a backup hearing a claim of an older membership that lists it', () => {
  it('keeps its group and history when its primary has just died, relaying n3\'s claim', () => {
    const s = state(1_000_000);
    const step = onClaim(s, backup(800_000), rival, 'n9');
    expect(step.rep!.primary).toBe('n3');
    expect(step.rep!.mver).toBe(1);
    expect(step.rep!.members).toEqual(repairedMembers);
    expect(step.rep!.epoch).toEqual(ours);
    const sent = step.out.flatMap((e) => (e.kind === 'send' ? [e] : []));
    expect(sent.map((e) => [e.to, e.msg.t])).toEqual([['n9', 'claim']]);
  });

  it('follows it under the declared mutant opb:follow-older-membership', () => {
    const s = { ...state(1_000_000), mutant: 'follow-older-membership' as const };
    const step = onClaim(s, backup(800_000), rival, 'n9');
    expect(step.rep!.primary).toBe('n9');
    expect(step.rep!.mver).toBe(0);
  });

  it('follows a higher epoch whose older membership leaves it out', () => {
    const s = state(1_000_000);
    const apart: Claim = { ...rival, members: ['n3', 'n9', 'n5'] };
    const step = onClaim(s, backup(800_000), apart, 'n9');
    expect(step.rep!.primary).toBe('n9');
  });

  it('follows a higher epoch of its own version once its primary is gone', () => {
    const s = state(1_000_000);
    const step = onClaim(s, backup(800_000), { ...rival, mver: 1 }, 'n9');
    expect(step.rep!.primary).toBe('n9');
  });
});

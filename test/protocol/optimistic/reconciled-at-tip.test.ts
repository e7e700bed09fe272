/**
 * P2.5: a loser installs the winner's state and becomes a backup. One already holding exactly
 * the winner's tip (index, epoch and tag: log matching vouches for the rest) has nothing to
 * install or re-submit, and the winner has nothing to send it; it waited for an update or a
 * transfer that never came in an idle service (explore seed 780109: both logs of s1 empty, the
 * loser reconciling to the end). The primary's heartbeat now settles it.
 */
import { describe, expect, it } from 'vitest';
import { emptyData, lastEpoch, lastIndex, lastTag } from '../../../protocol/optimistic/data.js';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Msg, Replica, SvcData } from '../../../protocol/optimistic/types.js';
import { members, state, writes } from './three-members.js';

type Hb = Extract<Msg, { t: 'hb' }>;
const e3: Epoch = { c: 4, n: 'n3' };

/** n1, a loser reconciling towards primary n3 at epoch 4.n3, holding `data`. */
const loserOf3 = (data: SvcData): Replica => ({
  ...newReplica(0, members, 0, 0, data, e3), role: 'reconciling', primary: 'n3',
});

/** Primary n3's heartbeat at its tip `data`. */
const primaryHb = (data: SvcData): Hb => ({
  t: 'hb', svc: 0, role: 'primary', primary: 'n3', epoch: e3, members, mver: 0,
  idx: lastIndex(data), lastE: lastEpoch(data), lastTag: lastTag(data), pAgeUs: -1, stable: 0,
});

const roles = (out: ReturnType<typeof replicaMessage>['out']): unknown[] =>
  out.flatMap((e) => (e.kind === 'observe' && e.label === 'opb.role' ? [e.data] : []));

describe('a loser at the winner\'s tip is reconciled by its heartbeat', () => {
  it('both logs empty (the explore case): the loser becomes a backup', () => {
    const r = replicaMessage(state(1_000_000), loserOf3(emptyData), 'n3', primaryHb(emptyData));
    expect(r.rep?.role).toBe('backup');
    expect(r.rep?.primary).toBe('n3');
    expect(roles(r.out)).toContainEqual(
      { service: 0, role: 'backup', epoch: '4.n3', counter: 4, reason: 'reconciled' });
  });

  it('the same log of writes: the loser becomes a backup, keeping its log', () => {
    const data = writes(e3, 5);
    const r = replicaMessage(state(1_000_000), loserOf3(data), 'n3', primaryHb(data));
    expect(r.rep?.role).toBe('backup');
    expect(lastIndex(r.rep!.data)).toBe(5);
  });

  it('a loser holding more than the winner (orphans) keeps reconciling', () => {
    const r = replicaMessage(state(1_000_000), loserOf3(writes(e3, 6)), 'n3',
      primaryHb(writes(e3, 5)));
    expect(r.rep?.role).toBe('reconciling');
    expect(roles(r.out)).toEqual([]);
  });

  it('the same index and epoch with another entry there (tag) keeps reconciling', () => {
    const mine = writes(e3, 5);
    const forged = { ...primaryHb(mine), lastTag: lastTag(writes(e3, 4)) };
    const r = replicaMessage(state(1_000_000), loserOf3(mine), 'n3', forged);
    expect(r.rep?.role).toBe('reconciling');
  });

  it('a loser behind the winner waits for its update (onUpd settles it)', () => {
    const r = replicaMessage(state(1_000_000), loserOf3(writes(e3, 4)), 'n3',
      primaryHb(writes(e3, 5)));
    expect(r.rep?.role).toBe('reconciling');
  });
});

/**
 * P2.4 #6 in idle time: a primary's heartbeat carries what every member holds, and a backup at
 * the primary's tip truncates by it. Before, only updates carried it, so after the primary's
 * last checkpoint of a busy spell its backups kept their whole logs while the service stayed
 * idle (explore seed 400885, `opb-log-bound`: 710 entries kept behind a checkpoint at 778).
 */
import { describe, expect, it } from 'vitest';
import { lastEpoch, lastIndex, lastTag } from '../../../protocol/optimistic/data.js';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import { hbMsg, newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Msg, Replica, State, SvcData } from '../../../protocol/optimistic/types.js';
import { members, state, writes } from './three-members.js';

type Hb = Extract<Msg, { t: 'hb' }>;
const e3: Epoch = { c: 1, n: 'n3' };

/** Node n1 with logKeep 2 (checkpoints due once 4 entries are held). */
function keepTwo(now: number): State {
  const s = state(now);
  return { ...s, params: { ...s.params, logKeep: 2 } };
}

/** n1 as a backup of primary n3 at epoch 1.n3, holding `data`. */
const backupOf3 = (data: SvcData): Replica => ({
  ...newReplica(0, members, 0, 0, data, e3), primary: 'n3',
});

/** Primary n3's heartbeat at its tip `data`, every member holding `stable`. */
const primaryHb = (data: SvcData, stable: number): Hb => ({
  t: 'hb', svc: 0, role: 'primary', primary: 'n3', epoch: e3, members, mver: 0,
  idx: lastIndex(data), lastE: lastEpoch(data), lastTag: lastTag(data), pAgeUs: -1, stable,
});

describe('backup truncation on the primary\'s heartbeat', () => {
  it('a backup at the primary\'s tip truncates to the stable index, keeping logKeep', () => {
    const data = writes(e3, 20);
    const r = replicaMessage(keepTwo(1_000_000), backupOf3(data), 'n3', primaryHb(data, 20));
    expect(r.rep?.data.base).toBe(18);
    expect(r.rep?.role).toBe('backup');
    const obs = r.out.flatMap((e) => (e.kind === 'observe' ? [[e.label, e.data]] : []));
    expect(obs).toContainEqual(['opb.checkpoint', { service: 0, base: 18 }]);
  });

  it('no further than what every member holds', () => {
    const data = writes(e3, 20);
    const r = replicaMessage(keepTwo(1_000_000), backupOf3(data), 'n3', primaryHb(data, 9));
    expect(r.rep?.data.base).toBe(9);
  });

  it('a backup off the primary\'s tip keeps its log (updates or a transfer settle it)', () => {
    const mine = writes(e3, 20);
    const ahead = writes(e3, 21);
    const behind = replicaMessage(keepTwo(1_000_000), backupOf3(mine), 'n3',
      primaryHb(ahead, 20));
    expect(behind.rep?.data.base).toBe(0);
    // Same index and epoch, another entry there (the tag differs): not the primary's log.
    const other = writes(e3, 19);
    const forged = { ...primaryHb(mine, 20), lastTag: lastTag(other) };
    const r = replicaMessage(keepTwo(1_000_000), backupOf3(mine), 'n3', forged);
    expect(r.rep?.data.base).toBe(0);
  });

  it('a primary\'s heartbeat says what every member acked; a backup\'s says nothing', () => {
    const s = { ...keepTwo(1_000_000) };
    const data = writes({ c: 2, n: 'n1' }, 10);
    const primary: Replica = { ...newReplica(0, members, 0, 0, data, { c: 2, n: 'n1' }),
      role: 'primary', primary: 'n1', acked: new Map([['n3', 7], ['n5', 9]]) };
    expect((hbMsg(s, primary) as Hb).stable).toBe(7);
    expect((hbMsg(s, { ...primary, role: 'backup', primary: 'n3' }) as Hb).stable).toBe(-1);
  });
});

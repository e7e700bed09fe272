/**
 * P2.4 #5 in an idle service: a backup behind its primary gets a tail (or a transfer) even when
 * no client reply waits, and a node the primary's repair dropped is told so. Explore seed 960056
 * (opb-quiet-split): n1, primary of s0 at index 16, re-added n7 by JOIN; n7's JoinAck and its
 * ack were cut, so n7 heartbeated "backup, i=0" to n1 for 3 s and n1 heartbeated index 16 back,
 * shipping nothing (catch-up started from acks, and the seed-3512 repair shipped a tail only
 * while replies waited); n1 then replaced n7, which, never told, reported its empty state as a
 * member to the end.
 */
import { describe, expect, it } from 'vitest';
import { lastEpoch, lastIndex, lastTag } from '../../../protocol/optimistic/data.js';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Msg, Replica, SvcData } from '../../../protocol/optimistic/types.js';
import { members, state, writes } from './three-members.js';

type Hb = Extract<Msg, { t: 'hb' }>;
const e1: Epoch = { c: 1, n: 'n1' };

/** n1, primary of s0 at epoch 1.n1 holding `data`, with no reply waiting and no ack heard. */
const primary = (data: SvcData, group: string[], mver: number): Replica => ({
  ...newReplica(0, group, mver, 0, data, e1), role: 'primary', primary: 'n1',
});

/** `from`'s heartbeat as a backup of n1 at epoch 1.n1 under `group` v`mver`, holding `data`. */
const backupHb = (data: SvcData, group: string[], mver: number): Hb => ({
  t: 'hb', svc: 0, role: 'backup', primary: 'n1', epoch: e1, members: group, mver,
  idx: lastIndex(data), lastE: lastEpoch(data), lastTag: lastTag(data), pAgeUs: 10_000, stable: 0,
});

const sent = (out: ReturnType<typeof replicaMessage>['out']): Msg[] =>
  out.flatMap((e) => (e.kind === 'send' ? [e.msg] : []));

describe('an idle primary and a backup that never acked to it', () => {
  it('ships the tail to a member behind it, with no reply waiting', () => {
    const mine = writes(e1, 16);
    const rep = primary(mine, members, 1);
    expect(rep.waiting).toEqual([]);
    const r = replicaMessage(state(1_000_000), rep, 'n3', backupHb(writes(e1, 0), members, 1));
    const upd = sent(r.out).filter((m) => m.t === 'upd');
    expect(upd).toHaveLength(1);
    expect(upd[0]).toMatchObject({ t: 'upd', prevI: 0 });
    expect((upd[0] as Extract<Msg, { t: 'upd' }>).entries.length).toBeGreaterThan(0);
  });

  it('ships nothing to a member at its tip (no empty update every heartbeat)', () => {
    const mine = writes(e1, 16);
    const r = replicaMessage(state(1_000_000), primary(mine, members, 1), 'n3',
      backupHb(mine, members, 1));
    expect(sent(r.out)).toEqual([]);
  });

  it('tells a node its repair dropped, which still follows it at its epoch, its claim', () => {
    const mine = writes(e1, 16);
    const r = replicaMessage(state(1_000_000), primary(mine, ['n1', 'n5'], 3), 'n3',
      backupHb(writes(e1, 0), members, 1));
    const out = sent(r.out);
    expect(out.map((m) => m.t)).toEqual(['claim']);
    expect(out[0]).toMatchObject({ claim: { node: 'n1', mver: 3, members: ['n1', 'n5'] } });
  });
});

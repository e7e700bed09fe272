/**
 * P2.6 #2: a planned successor holds every update. A member's heartbeat on the primary's
 * lineage below what it acked, 2 T_hb or more after its last counted ACK, says it lost its disk:
 * the primary forgets that ACK, ships it its tail from the report, and hands it no role until it
 * acks again. Explore trial 1540148 of opb-handback-unacked (k=4 w=2 discard): n1 acked index 1
 * at 0.269 s, came back without its disk at 0.8 s with its ACKs lost, heartbeated index 0 for a
 * second, and n5, counting the old ACK, handed the role back to the empty n1 at 1.767 s; its
 * state transfer made every backup discard the acknowledged write
 * (`regressions/explore-handback-unacked-1540148-handback-counts-ack-before-disk-loss.json`).
 * A heartbeat overtaken by a later ACK (within 2 T_hb of it) changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { lastEpoch, lastIndex, lastTag } from '../../../protocol/optimistic/data.js';
import { reorgReplica } from '../../../protocol/optimistic/balance.js';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Msg, Out, Replica } from '../../../protocol/optimistic/types.js';
import { state, writes } from './three-members.js';

const e1: Epoch = { c: 2, n: 'n1' };
const now = 5_000_000;
const s = state(now);

/** n1, primary of s0 since 1 s, with n3 first in the group; both backups acked the tip (10). */
function primary(ackedAt: number): Replica {
  return {
    ...newReplica(0, ['n3', 'n1', 'n5'], 0, 1_000_000, writes(e1, 10), e1),
    role: 'primary', primary: 'n1', heard: new Map([['n3', now], ['n5', now]]),
    acked: new Map([['n3', 10], ['n5', 10]]),
    ackAt: new Map([['n3', ackedAt], ['n5', ackedAt]]),
  };
}

/** n3's heartbeat as n1's backup, holding `idx` entries of n1's log. */
function hb(idx: number): Extract<Msg, { t: 'hb' }> {
  const d = writes(e1, idx);
  return { t: 'hb', svc: 0, role: 'backup', primary: 'n1', epoch: e1, members: ['n3', 'n1', 'n5'],
    mver: 0, idx: lastIndex(d), lastE: lastEpoch(d), lastTag: lastTag(d), pAgeUs: 1000,
    stable: -1 };
}

const sends = (out: Out, t: Msg['t']): Msg[] => out.flatMap(
  (e) => (e.kind === 'send' && (e.msg as Msg).t === t ? [e.msg as Msg] : []));

describe('a heartbeat below what its member acked', () => {
  it('long after the ACK: the ACK is forgotten and the tail shipped from the report', () => {
    const r = replicaMessage(s, primary(now - 2 * s.params.hbUs), 'n3', hb(0));
    expect(r.rep!.acked.has('n3')).toBe(false);
    expect(r.rep!.acked.get('n5')).toBe(10);
    const upd = sends(r.out, 'upd');
    expect(upd.length).toBe(1);
    expect(upd[0]).toMatchObject({ prevI: 0 });
  });

  it('so no handback goes to the member that lost its copy', () => {
    const before = primary(now - 20 * s.params.hbUs);
    expect(sends(reorgReplica(s, before, true).step.out, 'handoff').length).toBe(1);
    const after = replicaMessage(s, before, 'n3', hb(0)).rep!;
    expect(sends(reorgReplica(s, after, true).step.out, 'handoff')).toEqual([]);
  });

  it('within 2 T_hb of the ACK (a heartbeat it overtook), or at the ACK: nothing changes', () => {
    const fresh = primary(now - 2 * s.params.hbUs + 1);
    const r = replicaMessage(s, fresh, 'n3', hb(9));
    expect(r.rep!.acked.get('n3')).toBe(10);
    expect(r.out).toEqual([]);
    const at = replicaMessage(s, primary(now - 20 * s.params.hbUs), 'n3', hb(10));
    expect(at.rep!.acked.get('n3')).toBe(10);
  });
});

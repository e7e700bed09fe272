/**
 * P2.10 #3 with P2.6 #2: a recovered top-priority member at the primary's tip, whose ACK of the
 * tip was lost, is drawn to ACK it again although no reply waits (primary.ts `drawAck`), so the
 * handback can follow; its heartbeat alone counts as no ACK. Only that member, and only where a
 * handback may pick it: any other member at the tip, or under `sticky`, gets nothing (as in
 * idle-catch-up.test.ts). The built-in opb-handback-lost-ack with an 8 s settle and only n1's
 * ACKs cut, and its transfer variant, kept the role at n5 to the end before
 * (`regressions/crafted-handback-lost-ack-long-settle-*.json`).
 */
import { describe, expect, it } from 'vitest';
import { reorgReplica } from '../../../protocol/optimistic/balance.js';
import { lastEpoch, lastIndex, lastTag } from '../../../protocol/optimistic/data.js';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Msg, Out, Replica, State } from '../../../protocol/optimistic/types.js';
import { state, writes } from './three-members.js';

const e1: Epoch = { c: 2, n: 'n1' };
const now = 5_000_000;
const group = ['n3', 'n1', 'n5'];

/** n1, primary of s0 at index 4 since 1 s, n3 first in the group; no ACK counted, none waits. */
function primary(): Replica {
  return {
    ...newReplica(0, group, 0, 1_000_000, writes(e1, 4), e1),
    role: 'primary', primary: 'n1', heard: new Map([['n3', now], ['n5', now]]),
  };
}

/** A member's heartbeat as n1's backup, holding `idx` entries of n1's log. */
function hb(idx: number): Extract<Msg, { t: 'hb' }> {
  const d = writes(e1, idx);
  return { t: 'hb', svc: 0, role: 'backup', primary: 'n1', epoch: e1, members: group, mver: 0,
    idx: lastIndex(d), lastE: lastEpoch(d), lastTag: lastTag(d), pAgeUs: 1000, stable: -1 };
}

const sends = (out: Out, t: Msg['t']): Msg[] => out.flatMap(
  (e) => (e.kind === 'send' && (e.msg as Msg).t === t ? [e.msg as Msg] : []));

function sticky(s: State): State {
  return { ...s, params: { ...s.params, sticky: true } };
}

describe('a top-priority member at the tip with no counted ACK', () => {
  const s = state(now);

  it('gets an empty update at its position on its heartbeat, which counts as no ACK', () => {
    const r = replicaMessage(s, primary(), 'n3', hb(4));
    const upd = sends(r.out, 'upd');
    expect(upd).toHaveLength(1);
    expect(upd[0]).toMatchObject({ t: 'upd', prevI: 4, entries: [] });
    expect(r.rep!.acked.has('n3')).toBe(false);
    expect(sends(reorgReplica(s, r.rep!, true).step.out, 'handoff')).toEqual([]);
  });

  it('and its ACK of the tip then brings the handback', () => {
    const ack: Msg = { t: 'ack', svc: 0, epoch: e1, idx: 4, lastE: e1,
      lastTag: lastTag(writes(e1, 4)) };
    const r = replicaMessage(s, primary(), 'n3', ack);
    expect(sends(r.out, 'handoff')).toMatchObject([{ claim: { node: 'n3' } }]);
    expect(r.rep!.role).toBe('backup');
  });

  it('another member at the tip, or the top one under sticky, gets nothing', () => {
    expect(replicaMessage(s, primary(), 'n5', hb(4)).out).toEqual([]);
    expect(replicaMessage(sticky(s), primary(), 'n3', hb(4)).out).toEqual([]);
  });
});

/**
 * A fixture for the handback's unit tests: n1, primary of s0 at epoch 2.n1 since a failover at
 * 1 s, holding ten writes, with the recovered n3 first in the group (acked 8) and n5 at the tip.
 */
import { lastEpoch, lastIndex, lastTag } from '../../../protocol/optimistic/data.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Msg, Replica } from '../../../protocol/optimistic/types.js';
import { writes } from './three-members.js';

export const e1: Epoch = { c: 2, n: 'n1' };
export const now = 5_000_000;

export const primary: Replica = {
  ...newReplica(0, ['n3', 'n1', 'n5'], 0, 1_000_000, writes(e1, 10), e1),
  role: 'primary', primary: 'n1', heard: new Map([['n3', now], ['n5', now]]),
  acked: new Map([['n3', 8], ['n5', 10]]),
};

/** A member's ACK of the first `idx` writes. */
export const ackOf = (idx: number): Extract<Msg, { t: 'ack' }> => {
  const d = writes(e1, idx);
  return { t: 'ack', svc: 0, epoch: e1, idx: lastIndex(d), lastE: lastEpoch(d),
    lastTag: lastTag(d) };
};

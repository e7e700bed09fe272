/**
 * P2.10 #3 under steady writes: the role goes back to the recovered top-priority member on the
 * ACK that brings it to the primary's tip, not only at a reorganization tick, which almost never
 * finds it there while writes are in flight (explore seed 811021 of opb-failover-truncate: the
 * handback waited 3.6 s). With `balance` on the handback also waits for room, a decision of the
 * tick; a sticky group and a primary still in its cool-down do not hand back.
 */
import { describe, expect, it } from 'vitest';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import type { Msg, Replica, State } from '../../../protocol/optimistic/types.js';
import { state } from './three-members.js';
import { ackOf, now, primary } from './handback-fixture.js';

function handedBack(s: State, rep: Replica, from: string, idx: number): boolean {
  const r = replicaMessage(s, rep, from, ackOf(idx));
  return r.out.some((e) => e.kind === 'send' && (e.msg as Msg).t === 'handoff');
}

const s = state(now);
const withParams = (p: Partial<State['params']>): State =>
  ({ ...s, params: { ...s.params, ...p } });

describe('the handback on the top member\'s ack', () => {
  it('hands the role back on the ack that brings the top member to the tip', () => {
    expect(handedBack(s, primary, 'n3', 10)).toBe(true);
  });

  it('not on an ack short of the tip, nor on another member\'s', () => {
    expect(handedBack(s, primary, 'n3', 9)).toBe(false);
    expect(handedBack(s, { ...primary, acked: new Map([['n3', 10], ['n5', 9]]) }, 'n5', 10))
      .toBe(false);
  });

  it('not in its cool-down, in a sticky group, with balance on, or under the mutant', () => {
    expect(handedBack(s, { ...primary, lastMoveAt: now - 1000 }, 'n3', 10)).toBe(false);
    expect(handedBack(withParams({ sticky: true }), primary, 'n3', 10)).toBe(false);
    expect(handedBack(withParams({ balance: true }), primary, 'n3', 10)).toBe(false);
    expect(handedBack({ ...s, mutant: 'handback-at-tick' }, primary, 'n3', 10)).toBe(false);
  });
});

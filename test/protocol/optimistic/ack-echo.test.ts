/**
 * Explore trial 1110293 of opb-join-from-heartbeat (k=3 w=0 discard, 7-9 % duplication for a
 * second, 1 % loss): 1,208,070 events in 4 simulated seconds (~4 k for the scenario's own seeds),
 * 604,732 ACKs and 599,172 updates between the primary n1 and its backups. The primary re-sent
 * a backup's tail on every ACK that did not advance (a lost update, it assumes), and a backup
 * answers every update, a re-sent or duplicated one too, with its ACK, which does not advance
 * either: each duplicated message started one more Upd/ACK ping-pong that lasted as long as a
 * write was in flight. The primary now re-sends at once on the first such ACK at an index and
 * at most once per T_hb at that index after that (5,557 events for the trial). The run itself
 * (2.6 GB with its record before the fix) is too big for the suite: these cases pin the rule,
 * and `test/properties/opb-ack-echo.test.ts` the check that bounds the loop.
 */
import { describe, expect, it } from 'vitest';
import { lastEpoch, lastTag } from '../../../protocol/optimistic/data.js';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Out, Replica, State } from '../../../protocol/optimistic/types.js';
import { members, state, writes } from './three-members.js';

const e1: Epoch = { c: 1, n: 'n1' };
const full = writes(e1, 8);

/** n1, primary at 1.n1 with entries 1..8, n3 known to hold 1..6. */
function primary(): Replica {
  return { ...newReplica(0, members, 0, 0, full, e1), role: 'primary', primary: 'n1',
    acked: new Map([['n3', 6]]) };
}

/** n3's ACK of `idx` (on n1's log). */
const ack = (idx: number) => ({
  t: 'ack' as const, svc: 0, epoch: e1, idx, lastE: lastEpoch(writes(e1, idx)),
  lastTag: lastTag(writes(e1, idx)),
});

/** The indices n1 re-sends n3's tail from. */
const resends = (out: Out): number[] => out.flatMap((e) => (e.kind === 'send'
  && e.to === 'n3' && e.msg.t === 'upd' ? [e.msg.prevI] : []));

function steps(s: State, at: readonly [number, number][]): number[][] {
  let rep = primary();
  return at.map(([dt, idx]) => {
    const r = replicaMessage({ ...s, now: s.now + dt }, rep, 'n3', ack(idx));
    rep = r.rep!;
    return resends(r.out);
  });
}

describe('a primary and ACKs that do not advance', () => {
  it('re-sends at once on the first at an index, then at most once per T_hb there', () => {
    const s = state(1_000_000);
    // Three copies of n3's ACK of 6 within 20 ms draw one re-send; 50 ms (T_hb) on, another.
    expect(steps(s, [[0, 6], [10_000, 6], [20_000, 6], [50_000, 6]]))
      .toEqual([[6], [], [], [6]]);
    // A late ACK of 5 after the re-send from 6 draws none within T_hb (n3 held 6), after it one.
    expect(steps(s, [[0, 6], [10_000, 5], [50_000, 5]])).toEqual([[6], [], [5]]);
    // An ACK of 7 that does not advance draws its own at once.
    expect(steps(s, [[0, 6], [1_000, 7], [2_000, 7]])).toEqual([[6], [], [7]]);
  });

  it('re-sends on each under opb:resend-every-stall (the protocol before the fix)', () => {
    const s = { ...state(1_000_000), mutant: 'resend-every-stall' as const };
    expect(steps(s, [[0, 6], [10_000, 6], [20_000, 6]])).toEqual([[6], [6], [6]]);
  });
});

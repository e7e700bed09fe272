/**
 * P2.5 `discard`: a notice handed from one primary to another (a planned HANDOFF, a RESUBMIT of
 * a primary that steps down, the outbox joining two of them) keeps the client's newest request
 * the sender knew of (`Notice.newest`). Without it the receiver takes a stale copy of an older
 * request for the newest one, arms the drop on its reply, and the client's next request drops
 * the notice unseen (the mechanism of notice-stale-reply.test.ts, after a join). Stryker #3404
 * and #3415 of the seed-45 sample (`withNotices`: the joined `newest` lost or NaN) survived the
 * campaign, which never joins a notice holding `newest`.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import { onRequest, withNotices } from '../../../protocol/optimistic/primary.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Notice, Replica, State } from '../../../protocol/optimistic/types.js';
import { members, state } from './three-members.js';

const e2: Epoch = { c: 2, n: 'n1' };

/** c1's writes #16, #17 dropped by n3, which then answered c1's #125 (a reply since lost). */
const handed: ReadonlyMap<string, Notice> =
  new Map([['c1', { seqs: [16, 17], upTo: 125, newest: 125 }]]);

/** n1, primary of s0 under 2.n1, after n3's RESUBMIT handed it c1's notice. */
function receiver(): State {
  const s = state(1_000_000);
  const rep: Replica = { ...newReplica(0, members, 0, 0, undefined, e2), role: 'primary',
    primary: 'n1' };
  const n1 = { ...s, reps: new Map(s.reps).set(0, rep) };
  return opb.step(n1, { kind: 'message', now: 1_000_000, from: 'n3', msg: {
    t: 'resubmit', svc: 0, epoch: e2, reqs: [], discard: true, id: 1, notices: handed } }).state;
}

/** c1's get numbered `seq` at n1: the replica after it and the reply's discarded list. */
function get(s: State, rep: Replica, seq: number) {
  const step = onRequest(s, rep, { client: 'c1', seq, op: { type: 'get', key: 'k0' } });
  const reply = step.out.find((e) => e.kind === 'reply');
  const told = reply?.kind === 'reply' && reply.outcome.type === 'done'
    ? reply.outcome.discarded ?? [] : [];
  return { rep: step.rep!, told };
}

describe('a joined discard notice keeps the client\'s newest known request', () => {
  it('the join keeps the larger newest of both sides and re-arms nothing', () => {
    const mine: ReadonlyMap<string, Notice> =
      new Map([['c1', { seqs: [18], upTo: 130, newest: 130 }]]);
    expect(withNotices(new Map(), handed).get('c1'))
      .toEqual({ seqs: [16, 17], upTo: -1, newest: 125 });
    expect(withNotices(mine, handed).get('c1'))
      .toEqual({ seqs: [16, 17, 18], upTo: -1, newest: 130 });
    expect(withNotices(handed, new Map([['c1', { seqs: [18], upTo: -1 }]])).get('c1'))
      .toEqual({ seqs: [16, 17, 18], upTo: -1, newest: 125 });
  });

  it('a stale copy of an older request at the receiver leaves the notice pending', () => {
    const s = receiver();
    const stale = get(s, s.reps.get(0)!, 120); // A forwarded copy, held since before #125.
    const retry = get(s, stale.rep, 125); // c1 never saw #125's reply: it retries here.
    // Under the mutants the stale reply armed the drop, and #125's reply lacks the notice.
    expect([stale.told, retry.told]).toEqual([[16, 17], [16, 17]]);
    expect(retry.rep.notices.get('c1')).toEqual({ seqs: [16, 17], upTo: 125, newest: 125 });
  });
});

/**
 * Explore seed 810959 of opb-zone-disasters (`discard`): the primary n5 and its only acking
 * backup n7 crashed with their disks in a zone disaster; restarted, they heard (by gossip) the
 * claim of n9, of a newer epoch generation, whose membership (version 2, below their 5) left
 * them out. Following it adopted that membership with the epoch, so they left the group, and
 * the hand-over judged by the claim's version alone sent nothing: three acked writes vanished
 * and their client was never told (C6). Then n9, holding the notices for the writes it dropped,
 * lost to n11 and left; its notices went with it. A leaver now hands over whenever following
 * leaves it outside the membership, and a losing primary carries its pending notices along.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import { onClaim } from '../../../protocol/optimistic/conflict.js';
import { withRep } from '../../../protocol/optimistic/node.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type {
  Claim, Msg, Notice, Out, Replica, State,
} from '../../../protocol/optimistic/types.js';
import { members, state, writes } from './three-members.js';

/** Node n1 at 1 s, under policy `discard`. */
function discarding(): State {
  const s = state(1_000_000);
  return { ...s, params: { ...s.params, policy: 'discard' } };
}

type Resubmit = Extract<Msg, { t: 'resubmit' }>;
const resubmits = (out: readonly unknown[]): Resubmit[] =>
  out.flatMap((e) => {
    const x = e as { kind: string; msg?: Msg };
    return x.kind === 'send' && x.msg?.t === 'resubmit' ? [x.msg] : [];
  });

// A newer generation's claim whose (older-versioned) membership leaves n1 out.
const newer: Claim = { node: 'n3', epoch: { g: 1, c: 1, n: 'n3' }, mver: 2,
  members: ['n3', 'n5'] };

describe('a holder back from a crash that leaves for a newer epoch', () => {
  it('hands its writes over though the claim\'s membership version is below its own', () => {
    const s = discarding();
    const rep: Replica = { ...newReplica(0, members, 5, 0, writes({ c: 2, n: 'n1' }, 3)),
      role: 'backup', primary: null, epoch: { c: 2, n: 'n1' }, pclaim: null };
    const step = onClaim(s, rep, newer, 'n9');
    expect(step.rep!.members).not.toContain('n1');
    const sent = resubmits(step.out);
    expect(sent.map((m) => [m.discard, m.reqs.map((r) => r.seq)])).toEqual([[true, [1, 2, 3]]]);
  });
});

describe('a losing primary outside the winner\'s membership', () => {
  const pending: ReadonlyMap<string, Notice> = new Map([['c1', { seqs: [26, 27], upTo: -1 }]]);

  it('carries its pending discard notices to the winner, who adopts them', () => {
    const s0 = discarding();
    const rep: Replica = { ...newReplica(0, members, 0, 0, writes({ c: 1, n: 'n1' }, 2),
      { c: 1, n: 'n1' }), role: 'primary', primary: 'n1', notices: pending };
    const s = { ...s0, reps: new Map(s0.reps).set(0, rep) };
    const winner: Claim = { node: 'n3', epoch: { c: 5, n: 'n3' }, mver: 3,
      members: ['n3', 'n5'] };
    const out: Out = [];
    withRep(s, 0, onClaim(s, rep, winner, 'n3'), out);
    const sent = resubmits(out);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.notices).toEqual(pending);
    // The winner takes the notices with the RESUBMIT, to tell c1 at its next reply.
    const w0 = opb.init('n3', { nodes: [...s.nodes],
      replicas: members, params: { ...opb.defaults, policy: 'discard' }, mutant: null });
    const w1 = opb.step(w0, { kind: 'restart', now: 0, durable: null }).state;
    const wrep: Replica = { ...w1.reps.get(0)!, role: 'primary', primary: 'n3',
      epoch: winner.epoch };
    const w = { ...w1, now: 1_000_100, reps: new Map(w1.reps).set(0, wrep) };
    const after = opb.step(w, { kind: 'message', now: 1_000_100, from: 'n1', msg: sent[0]! });
    expect(after.state.reps.get(0)!.notices.get('c1')?.seqs).toEqual([26, 27]);
  });
});

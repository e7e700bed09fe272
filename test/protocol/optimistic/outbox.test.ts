/**
 * Orphans handed to a winner survive a lost RESUBMIT (P2.5: `merge` re-executes every orphan;
 * explore seed 1667: a loser left its group and re-submitted once over the cut direction of a
 * one-way partition, and 52 acknowledged writes were gone). The node keeps them until a primary
 * of the service confirms, re-sending every heartbeat.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import { onClaim } from '../../../protocol/optimistic/conflict.js';
import { executeWrite, emptyData } from '../../../protocol/optimistic/data.js';
import { withRep } from '../../../protocol/optimistic/node.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Claim, Msg, Out, Replica, State } from '../../../protocol/optimistic/types.js';
import type { NodePlacement } from '../../../protocol/types.js';

const nodes: NodePlacement[] = [['n1', 'a1', 'za'], ['n3', 'b1', 'zb'], ['n5', 'c1', 'zc'],
  ['n6', 'c2', 'zc']].map(([id, dc, zone]) => ({ id: id!, dc: dc!, zone: zone! }));
const members = ['n1', 'n3', 'n5'];

function booted(): State {
  const s = opb.init('n1', { nodes, replicas: members,
    params: { ...opb.defaults, policy: 'merge' }, mutant: null });
  return opb.step(s, { kind: 'restart', now: 0, durable: null }).state;
}

type Resubmit = Extract<Msg, { t: 'resubmit' }>;
const resubmits = (effects: readonly unknown[]): { to: string; msg: Resubmit }[] =>
  effects.flatMap((e) => {
    const x = e as { kind: string; to?: string; msg?: Msg };
    return x.kind === 'send' && x.msg!.t === 'resubmit'
      ? [{ to: x.to!, msg: x.msg as Resubmit }] : [];
  });

/** n1, primary of s0 with two writes, loses to n6 whose repaired membership excludes it. */
function loserLeaves(now: number): { s: State; sent: Out } {
  const s0 = { ...booted(), now };
  let data = emptyData;
  for (const seq of [1, 2]) {
    data = executeWrite(data, { c: 1, n: 'n1' },
      { client: 'c0', seq, op: { type: 'put', key: 'k0', value: `v${seq}` } }).data;
  }
  const rep: Replica = { ...newReplica(0, members, 0, 0, data, { c: 1, n: 'n1' }),
    role: 'primary', primary: 'n1' };
  const s = { ...s0, reps: new Map(s0.reps).set(0, rep) };
  const winner: Claim = { node: 'n6', epoch: { c: 5, n: 'n6' }, mver: 3,
    members: ['n6', 'n3', 'n5'] };
  const out: Out = [];
  const next = withRep(s, 0, onClaim(s, rep, winner, 'n6'), out);
  return { s: next, sent: out };
}

describe('orphans outbox', () => {
  it('a loser that leaves keeps its orphans until a primary confirms them', () => {
    const { s, sent } = loserLeaves(1_000_000);
    expect(s.reps.has(0)).toBe(false);
    const first = resubmits(sent);
    expect(first.map((m) => [m.to, m.msg.reqs.length, m.msg.id])).toEqual([['n6', 2, 1_000_000]]);
    // The RESUBMIT was lost: every heartbeat sends the orphans again.
    const hb = opb.step(s, { kind: 'timer', now: 1_050_000, timer: 'hb' });
    const again = resubmits(hb.effects);
    expect(again.map((m) => [m.to, m.msg.reqs.length, m.msg.id])).toEqual([['n6', 2, 1_000_000]]);
    // A confirmation of an older hand-over clears nothing; the right one clears them.
    const stale = opb.step(hb.state, { kind: 'message', now: 1_060_000, from: 'n6',
      msg: { t: 'resubmitted', svc: 0, id: 999_000 } });
    expect(resubmits(opb.step(stale.state,
      { kind: 'timer', now: 1_100_000, timer: 'hb' }).effects)).toHaveLength(1);
    const ok = opb.step(stale.state, { kind: 'message', now: 1_070_000, from: 'n6',
      msg: { t: 'resubmitted', svc: 0, id: 1_000_000 } });
    expect(resubmits(opb.step(ok.state,
      { kind: 'timer', now: 1_100_000, timer: 'hb' }).effects)).toEqual([]);
  });

  it('the orphans survive a crash with the disk, not amnesia', () => {
    const { s } = loserLeaves(1_000_000);
    const disk = opb.durable(s);
    const back = opb.step(s, { kind: 'restart', now: 2_000_000, durable: disk }).state;
    expect(back.outbox.get(0)?.reqs.length).toBe(2);
    const blank = opb.step(s, { kind: 'restart', now: 2_000_000, durable: null }).state;
    expect(blank.outbox.size).toBe(0);
  });

  it('a primary confirms the orphans it took; a non-primary does not', () => {
    const s0 = { ...booted(), now: 1_000_000 };
    const msg: Msg = { t: 'resubmit', svc: 0, epoch: { c: 1, n: 'n1' }, discard: false,
      id: 77, reqs: [{ client: 'c0', seq: 1, op: { type: 'put', key: 'k0', value: 'v' } }] };
    const confirms = (st: State): unknown[] =>
      opb.step(st, { kind: 'message', now: 1_000_000, from: 'n3', msg }).effects
        .filter((e) => e.kind === 'send' && e.msg.t === 'resubmitted');
    expect(confirms(s0)).toEqual([]);
    const rep: Replica = { ...s0.reps.get(0)!, role: 'primary', primary: 'n1',
      epoch: { c: 1, n: 'n1' } };
    const primary = { ...s0, reps: new Map(s0.reps).set(0, rep) };
    expect(confirms(primary)).toEqual([{ kind: 'send', to: 'n3',
      msg: { t: 'resubmitted', svc: 0, id: 77 } }]);
  });
});

/**
 * P2.5 `discard`: a loser's orphans are dropped and their clients told at their next access. The
 * notices used to live with the primary that dropped them alone, so a planned HANDOFF lost them:
 * explore seed 880141 (opb-night-disasters), where the amnesiac n13 won the heal, dropped 22
 * orphans, then handed s0 to n7 within 0.5 s, and 24 acked writes' clients were never told
 * (`opb-c6-no-loss-without-fork`). The HANDOFF now carries them to the successor.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import { handoff } from '../../../protocol/optimistic/reorg.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Epoch, Msg, Notice, Replica } from '../../../protocol/optimistic/types.js';
import { members, nodes, state } from './three-members.js';

const e1: Epoch = { c: 1, n: 'n1' };
const pending: ReadonlyMap<string, Notice> = new Map([['c0', { seqs: [2, 3], upTo: 7 }]]);

/** n1, primary of s0 with a pending notice for client c0. */
const primary = (): Replica => ({
  ...newReplica(0, members, 0, 0, undefined, e1), role: 'primary', primary: 'n1',
  notices: pending,
});

/** n3 as booted, its clock at 1 s: a backup of s0. */
function bootN3(): ReturnType<typeof opb.init> {
  const s = opb.init('n3', { nodes, replicas: members, params: opb.defaults, mutant: null });
  return { ...opb.step(s, { kind: 'restart', now: 0, durable: null }).state, now: 1_000_000 };
}

/** The HANDOFF n1 sends n3. */
function handoffMsg(): Extract<Msg, { t: 'handoff' }> {
  const step = handoff(state(1_000_000), primary(), 'n3', true, 'balance');
  return step.out.flatMap((e) => (e.kind === 'send' ? [e.msg] : []))
    .find((m) => m.t === 'handoff') as Extract<Msg, { t: 'handoff' }>;
}

describe('a planned handoff carries the pending discard notices', () => {
  it('the HANDOFF holds the predecessor\'s notices', () => {
    expect(handoffMsg().notices).toEqual(pending);
  });

  it('the successor adopts them as its own, to be carried on its next replies', () => {
    const r = opb.step(bootN3(),
      { kind: 'message', now: 1_000_100, from: 'n1', msg: handoffMsg() });
    const rep = r.state.reps.get(0)!;
    expect(rep.role).toBe('primary');
    // Not yet carried by any reply of the successor: upTo starts again.
    expect(rep.notices.get('c0')).toEqual({ seqs: [2, 3], upTo: -1 });
  });

  it('joins them with the successor\'s own notices for the same client', () => {
    const n3 = bootN3();
    const own = { ...n3, reps: new Map([[0, { ...n3.reps.get(0)!,
      notices: new Map([['c0', { seqs: [1, 3], upTo: 4 }]]) }]]) };
    const rep = opb.step(own, { kind: 'message', now: 1_000_100, from: 'n1', msg: handoffMsg() })
      .state.reps.get(0)!;
    expect(rep.notices.get('c0')).toEqual({ seqs: [1, 2, 3], upTo: -1 });
  });
});

/**
 * takeOver (replica.ts): the epoch a predecessor chose for its successor may already be the
 * successor's own, when the HANDOFF comes again after the successor took over with it and came
 * back as a backup (a duplicate delivered after a crash and restart: the epoch is on its disk).
 * Claiming that epoch again would give two primary terms one epoch (C7: an epoch per primary is
 * unique), so the successor takes over above it. Mutation #4074 of the seed-47 sample (`<= 0`
 * → `< 0`) re-claimed it, and the step failed its own check that a claim raises the epoch.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import { cmpEpoch } from '../../../protocol/optimistic/epoch.js';
import { handoff } from '../../../protocol/optimistic/reorg.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Msg, State } from '../../../protocol/optimistic/types.js';
import { members, nodes, state } from './three-members.js';

/** n3 as booted, its clock at `now`: a backup of s0. */
function bootN3(now: number): State {
  const s = opb.init('n3', { nodes, replicas: members, params: opb.defaults, mutant: null });
  return { ...opb.step(s, { kind: 'restart', now: 0, durable: null }).state, now };
}

/** The HANDOFF n1, primary of s0 at epoch 1.n1, sends n3. */
function handoffMsg(): Extract<Msg, { t: 'handoff' }> {
  const primary = { ...newReplica(0, members, 0, 0, undefined, { c: 1, n: 'n1' }),
    role: 'primary' as const, primary: 'n1' };
  const step = handoff(state(1_000_000), primary, 'n3', true, 'balance');
  return step.out.flatMap((e) => (e.kind === 'send' ? [e.msg] : []))
    .find((m) => m.t === 'handoff') as Extract<Msg, { t: 'handoff' }>;
}

describe('a HANDOFF naming an epoch the successor already holds', () => {
  it('is taken over above that epoch, not re-claimed', () => {
    const msg = handoffMsg();
    const first = opb.step(bootN3(1_000_000),
      { kind: 'message', now: 1_000_100, from: 'n1', msg }).state;
    expect(first.reps.get(0)!.role).toBe('primary');
    expect(first.reps.get(0)!.epoch).toEqual(msg.claim.epoch);
    // n3 crashes and restarts from its disk: a backup at the handed-off epoch.
    const fresh = opb.init('n3', { nodes, replicas: members, params: opb.defaults, mutant: null });
    const back = opb.step(fresh,
      { kind: 'restart', now: 2_000_000, durable: opb.durable(first) }).state;
    expect(back.reps.get(0)!.role).toBe('backup');
    expect(back.reps.get(0)!.epoch).toEqual(msg.claim.epoch);
    // The duplicate of the same HANDOFF arrives.
    const again = opb.step(back, { kind: 'message', now: 2_000_100, from: 'n1', msg }).state;
    const rep = again.reps.get(0)!;
    expect(rep.role).toBe('primary');
    expect(cmpEpoch(rep.epoch, msg.claim.epoch)).toBeGreaterThan(0);
    expect(rep.epoch.n).toBe('n3');
  });

  it('after amnesia is taken over above the machine\'s claim floor (explore trial 1454310 of ' +
    'opb-amnesiac-reclaim: a name claimed before the disk was lost, minted again by a ' +
    'predecessor that never heard of it)', () => {
    const msg = handoffMsg();
    const first = opb.step(bootN3(1_000_000),
      { kind: 'message', now: 1_000_100, from: 'n1', msg }).state;
    expect(first.reps.get(0)!.epoch).toEqual(msg.claim.epoch);
    // n3 loses its disk and boots at 1.5 s: it forgot 2.n3; its claims restart above 1500.
    const fresh = opb.init('n3', { nodes, replicas: members, params: opb.defaults, mutant: null });
    const back = opb.step(fresh, { kind: 'restart', now: 1_500_000, durable: null }).state;
    expect(back.reps.get(0)!.epoch).toEqual({ c: 0, n: '' });
    expect(back.epochTop).toEqual({ c: 1500, n: '' });
    // The same HANDOFF again: its epoch is above the replica's but below the floor.
    const again = opb.step(back, { kind: 'message', now: 1_500_100, from: 'n1', msg }).state;
    const rep = again.reps.get(0)!;
    expect(rep.role).toBe('primary');
    expect(rep.epoch).toEqual({ c: 1501, n: 'n3' });
  });
});

/**
 * Two repairs explore found on corrupted OPB groups (opb-corruption, small epochLimit): a
 * follower holding a claim above its own epoch, and a new primary whose replies wait on a
 * backup that never acknowledged to it and lags behind its tip.
 */
import { describe, expect, it } from 'vitest';
import { epochOf, tagAt } from '../../../protocol/optimistic/data.js';
import { onClaim } from '../../../protocol/optimistic/conflict.js';
import { onSync } from '../../../protocol/optimistic/primary.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import { tickReplica } from '../../../protocol/optimistic/tick.js';
import type {
  Claim, Epoch, Msg, Replica,
} from '../../../protocol/optimistic/types.js';
import { members, state, writes } from './three-members.js';


const sends = (out: readonly unknown[]): { to: string; msg: Msg }[] =>
  out.flatMap((e) => {
    const x = e as { kind: string; to?: string; msg?: Msg };
    return x.kind === 'send' ? [{ to: x.to!, msg: x.msg! }] : [];
  });

describe('self-stabilization of a follower (tick sanitize)', () => {
  it('drops a claim above its own epoch, then follows that primary (explore seed 3330)', () => {
    // Just booted (the recovery guard holds), so the tick does not promote it meanwhile.
    const s = state(100_000);
    const theirs: Claim = { node: 'n3', epoch: { c: 1, n: 'n3', g: 5 }, mver: 0, members };
    // Corrupted: reconciling towards n3, holding n3's claim, with an epoch below it.
    const rep: Replica = { ...newReplica(0, members, 0, 0), role: 'reconciling', primary: 'n3',
      epoch: { c: 1, n: 'n1', g: 5 }, pclaim: theirs, claimAt: s.now };
    const ticked = tickReplica(s, rep).rep!;
    expect(ticked.pclaim).toBeNull();
    // The claim, heard again, is now followed: its epoch adopted, so its updates apply.
    const after = onClaim(s, ticked, theirs, 'n3').rep!;
    expect(after.epoch).toEqual(theirs.epoch);
    expect(after.primary).toBe('n3');
  });
});

describe('catch-up of a backup that never acknowledged to this primary', () => {
  it('a heartbeat from behind the tip gets the missing tail (explore seed 3512)', () => {
    const s = state(1_000_000);
    const old: Epoch = { c: 1, n: 'n3' };
    const data = writes(old, 4);
    // n1 took over at 2.n1 holding entries 1..4; a retried write of entry 4 waits; n5 never
    // acked to n1 and sits at entry 2, so no ack of it would ever come without a new write.
    const rep: Replica = { ...newReplica(0, members, 0, 0, data, { c: 2, n: 'n1' }),
      role: 'primary', primary: 'n1', waiting: [{ i: 4, client: 'c0', seq: 4 }] };
    const out = onSync(s, rep, 'n5', 2, epochOf(data, 2), tagAt(data, 2), false).out;
    const upd = sends(out).find((m) => m.to === 'n5' && m.msg.t === 'upd');
    expect(upd).toBeDefined();
    const m = upd!.msg as Extract<Msg, { t: 'upd' }>;
    expect(m.prevI).toBe(2);
    expect(m.entries.map((e) => e.i)).toEqual([3, 4]);
  });

  // With nothing waiting, a member behind the tip gets its tail too, one at the tip nothing:
  // idle-catch-up.test.ts (explore seed 960056).
});

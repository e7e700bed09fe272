/**
 * P2.5: a followed primary is kept only while its claims arrive directly within T_fd, and a
 * relay says no more than its relayer saw. Explore trial 1710645 of opb-one-way-relayed-primary:
 * n5, paused 0.12-0.933 s, ran its backlog on resume, took the heartbeats of n1 (primary, then
 * crashed at 0.3 s) for fresh and relayed n1's rank-0 claim to n9, primary since 0.532 s, which
 * lost to it; in sticky mode the recovered n1 then took the role (opb-handback). A CLAIM now
 * carries the age of its relayer's last direct sighting (`ageUs`), a relayed claim older than
 * T_fd deposes nobody, and a stall's backlog dates its sightings from the tick before the stall.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Claim, Epoch, Msg, State } from '../../../protocol/optimistic/types.js';
import type { Effect } from '../../../protocol/types.js';
import { state } from './three-members.js';

type ClaimMsg = Extract<Msg, { t: 'claim' }>;
const FD = opb.defaults['fdUs'] as number;
/** Priority order of the group in these tests: n3 first, then n5, then n1 (the node tested). */
const group = ['n3', 'n5', 'n1'];
const e1n3: Epoch = { c: 1, n: 'n3' };
const e2n1: Epoch = { c: 2, n: 'n1' };
const e2n5: Epoch = { c: 2, n: 'n5' };
const claimN3: Claim = { node: 'n3', epoch: e1n3, mver: 0, members: group };

/** Node n1 with one replica of s0 in `group`, its clock at `now`, its last tick at `tickAt`. */
function node(now: number, tickAt: number, rep: Partial<ReturnType<typeof newReplica>>): State {
  const s = state(now);
  const r = { ...newReplica(0, group, 0, 0, undefined, e1n3), ...rep };
  return { ...s, tickAt, reps: new Map([[0, r]]) };
}

function hb(role: 'primary' | 'backup', primary: string, epoch: Epoch): Msg {
  return {
    t: 'hb', svc: 0, role, primary, epoch, members: group, mver: 0, idx: 0, lastE: null,
    lastTag: '', pAgeUs: role === 'primary' ? -1 : 1000, stable: role === 'primary' ? 0 : -1,
  };
}

function deliver(s: State, now: number, from: string, msg: Msg, mutant: string | null = null) {
  const m = mutant === null ? s : { ...s, mutant: mutant as State['mutant'] };
  return opb.step(m, { kind: 'message', now, from, msg });
}

const claimsSent = (effects: readonly Effect<Msg>[]): { to: string; msg: ClaimMsg }[] =>
  effects.flatMap((e) => (e.kind === 'send' && e.msg.t === 'claim'
    ? [{ to: e.to, msg: e.msg }] : []));

describe('a primary hearing a relayed claim that dominates its own', () => {
  /** n1, primary of s0 under 2.n1 (rank 2), hears n3's rank-0 claim relayed by n5. */
  const primary = (): State => node(1_000_000, 1_000_000,
    { role: 'primary', primary: 'n1', epoch: e2n1 });
  const relayed = (ageUs: number): Msg => ({ t: 'claim', svc: 0, claim: claimN3, ageUs });

  it('stays primary when the relayer last heard it T_fd ago or more', () => {
    for (const age of [FD, 833_000, -1]) {
      const r = deliver(primary(), 1_000_100, 'n5', relayed(age));
      expect(r.state.reps.get(0)!.role).toBe('primary');
      expect(claimsSent(r.effects)).toEqual([]);
    }
  });

  it('loses to it when the sighting is fresh, and to the claimant itself whatever the age', () => {
    expect(deliver(primary(), 1_000_100, 'n5', relayed(FD - 1)).state.reps.get(0)!.role)
      .toBe('reconciling');
    expect(deliver(primary(), 1_000_100, 'n3', relayed(833_000)).state.reps.get(0)!.role)
      .toBe('reconciling');
  });

  it('loses to a stale one under the declared mutant opb:relayed-claim-no-age', () => {
    const r = deliver(primary(), 1_000_100, 'n5', relayed(833_000), 'relayed-claim-no-age');
    expect(r.state.reps.get(0)!.role).toBe('reconciling');
  });
});

describe('a backup back from a pause relays its primary with the age of its backlog', () => {
  // n1 follows n3 (1.n3); its last tick ran at 0.1 s, then it was paused until 0.933 s. Its
  // backlog holds n3's heartbeats (n3 crashed meanwhile) and those of n5, primary at 2.n5.
  const paused = (): State => node(933_000, 100_000,
    { primary: 'n3', pclaim: claimN3, claimAt: 90_000 });

  it('dates n3\'s claim from its last tick while that tick is overdue', () => {
    let s = deliver(paused(), 933_000, 'n3', hb('primary', 'n3', e1n3)).state;
    const r = deliver(s, 933_000, 'n5', hb('primary', 'n5', e2n5));
    s = r.state;
    expect(claimsSent(r.effects)).toEqual([
      { to: 'n5', msg: { t: 'claim', svc: 0, claim: claimN3, ageUs: 833_000 } },
    ]);
    // n5 ignores it: the sighting is older than T_fd.
    expect(claimsSent(r.effects)[0]!.msg.ageUs).toBeGreaterThanOrEqual(FD);
  });

  it('and after the late tick, for the rest of the backlog handled in the same instant', () => {
    let s = deliver(paused(), 933_000, 'n3', hb('primary', 'n3', e1n3)).state;
    s = deliver(s, 933_000, 'n5', hb('backup', 'n3', e1n3)).state;
    s = opb.step(s, { kind: 'timer', now: 933_000, timer: 'hb' }).state;
    expect([s.stallAt, s.stallSince]).toEqual([933_000, 100_000]);
    s = deliver(s, 933_000, 'n3', hb('primary', 'n3', e1n3)).state;
    const r = deliver(s, 933_000, 'n5', hb('primary', 'n5', e2n5));
    expect(claimsSent(r.effects).map((c) => c.msg.ageUs)).toEqual([833_000]);
    // A claim heard after that instant is fresh again.
    const later = deliver(r.state, 940_000, 'n3', hb('primary', 'n3', e1n3)).state;
    const again = deliver(later, 941_000, 'n5', hb('primary', 'n5', e2n5));
    expect(claimsSent(again.effects).map((c) => c.msg.ageUs)).toEqual([1000]);
  });

  it('as fresh under the declared mutant opb:stall-blind', () => {
    const s = deliver(paused(), 933_000, 'n3', hb('primary', 'n3', e1n3),
      'stall-blind').state;
    const r = deliver(s, 933_000, 'n5', hb('primary', 'n5', e2n5));
    expect(claimsSent(r.effects).map((c) => c.msg.ageUs)).toEqual([0]);
  });
});

/**
 * The recovery guard's shortcut (P2.5, P2.10 #3; replica.ts `guardOk`): a restarted replica may
 * promote before its full wait only on heartbeats, since its boot, of members that were not
 * themselves recovering. Explore trial 1671635 of opb-night-disasters: n10 and n1 came back
 * together holding an old membership, heard each other and n10 claimed at once over the healthy
 * primary of a newer one; explore trial 1681633 of opb-initial-placement: a primary back within
 * T_fd among members that were up all along must still promote at once.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import { durableOf } from '../../../protocol/optimistic/node.js';
import { EPOCH_ZERO } from '../../../protocol/optimistic/epoch.js';
import type { Msg, State } from '../../../protocol/optimistic/types.js';
import type { NodePlacement } from '../../../protocol/types.js';

const nodes: NodePlacement[] = [['n1', 'a1', 'za'], ['n3', 'b1', 'zb'], ['n5', 'c1', 'zc']]
  .map(([id, dc, zone]) => ({ id: id!, dc: dc!, zone: zone! }));
const members = ['n1', 'n3', 'n5'];
const BACK = 2_000_000;

function boot(id: string, mutant: string | null = null): State {
  const config = { nodes, replicas: members, params: opb.defaults, mutant };
  return opb.step(opb.init(id, config), { kind: 'restart', now: 0, durable: null }).state;
}

/** n1 crashed and is back at BACK with its disk (rank 0, nothing newer than its peers). */
function restarted(mutant: string | null = null): State {
  const s = boot('n1', mutant);
  return opb.step(s, { kind: 'restart', now: BACK, durable: durableOf(s) }).state;
}

type Hb = Extract<Msg, { t: 'hb' }>;

/** A heading-less backup's heartbeat, as a member that follows no primary sends it. */
const hb = (recovering: boolean): Hb => ({
  t: 'hb', svc: 0, role: 'backup', primary: null, epoch: EPOCH_ZERO, members, mver: 0, idx: 0,
  lastE: null, lastTag: '', pAgeUs: -1, stable: -1, ...(recovering ? { recovering: true } : {}),
});

/** n1 hears n3 and n5 10 ms after its boot, then ticks 10 ms later: its role then. */
function roleAfter(s0: State, recovering: boolean): string {
  let s = s0;
  for (const from of ['n3', 'n5']) {
    s = opb.step(s, { kind: 'message', now: BACK + 10_000, from, msg: hb(recovering) }).state;
  }
  return opb.step(s, { kind: 'timer', now: BACK + 20_000, timer: 'hb' }).state.reps.get(0)!.role;
}

function sentHb(s: State, now: number): Hb {
  const e = opb.step(s, { kind: 'timer', now, timer: 'hb' }).effects
    .find((x) => x.kind === 'send' && x.to === 'n3' && x.msg.t === 'hb');
  return (e as { msg: Hb }).msg;
}

describe('recovery guard shortcut (P2.5, P2.10 #3)', () => {
  it('members back from the same outage do not let a restarted replica promote at once', () => {
    expect(roleAfter(restarted(), true)).toBe('backup');
    // The declared mutant restores the rule before the fix: every member heard counts.
    expect(roleAfter(restarted('opb:restart-guard-shortcut'), true)).toBe('primary');
  });
  it('members that were up still do (a primary back within T_fd is not left headless)', () => {
    expect(roleAfter(restarted(), false)).toBe('primary');
  });
  it('after the full wait the restarted replica promotes whatever it heard', () => {
    let s = restarted();
    for (const from of ['n3', 'n5']) {
      s = opb.step(s, { kind: 'message', now: BACK + 10_000, from, msg: hb(true) }).state;
    }
    const wait = Math.max(s.params.fdUs, 2 * s.params.gossipUs);
    // The tick runs every T_hb, as on a running node: one that came only at the end of the wait
    // would be more than a T_hb late, a stall, and a node back from a stall suspects nobody for
    // T_fd (replica.ts `stallGuard`, the fix of explore trial 1710645), which is not the rule
    // under test here.
    for (let at = BACK + 20_000; at < BACK + wait; at += s.params.hbUs) {
      s = opb.step(s, { kind: 'timer', now: at, timer: 'hb' }).state;
      expect(s.reps.get(0)!.role).toBe('backup');
      // Still heard within T_fd, so only the guard holds it back.
      for (const from of ['n3', 'n5']) {
        s = opb.step(s, { kind: 'message', now: at + 1000, from, msg: hb(true) }).state;
      }
    }
    expect(s.stallAt).toBe(-1);
    expect(opb.step(s, { kind: 'timer', now: BACK + wait, timer: 'hb' }).state.reps.get(0)!.role)
      .toBe('primary');
  });
  it('a heartbeat says recovering only after a restart, within the guard, following nobody', () => {
    const wait = Math.max(opb.defaults.fdUs as number, 2 * (opb.defaults.gossipUs as number));
    expect(sentHb(restarted(), BACK + 1000).recovering).toBe(true);
    expect(sentHb(restarted(), BACK + wait).recovering).toBeUndefined();
    // The first boot is no recovery.
    expect(sentHb(boot('n1'), 1000).recovering).toBeUndefined();
    // Following a primary, it knows of the group what that primary says.
    const primaryHb: Hb = { ...hb(false), role: 'primary', primary: 'n3',
      epoch: { c: 1, n: 'n3' }, stable: 0 };
    const following = opb.step(restarted(),
      { kind: 'message', now: BACK + 500, from: 'n3', msg: primaryHb }).state;
    expect(following.reps.get(0)!.primary).toBe('n3');
    expect(sentHb(following, BACK + 1000).recovering).toBeUndefined();
    // The mutant sends what the protocol sent before the flag.
    expect(sentHb(restarted('opb:restart-guard-shortcut'), BACK + 1000).recovering)
      .toBeUndefined();
  });
});

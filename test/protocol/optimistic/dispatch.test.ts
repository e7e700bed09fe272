/** OPB's closed dispatch (protocol/optimistic/dispatch.ts): unions, one door, no-op steps. */
import { describe, expect, it } from 'vitest';
import { AssertionFailure } from '../../../protocol/assert.js';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Msg, State } from '../../../protocol/optimistic/types.js';
import type { NodePlacement, ProtocolEvent } from '../../../protocol/types.js';

const nodes: NodePlacement[] = [['n1', 'a1', 'za'], ['n3', 'b1', 'zb'], ['n5', 'c1', 'zc']]
  .map(([id, dc, zone]) => ({ id: id!, dc: dc!, zone: zone! }));

function boot(id: string): State {
  const config = { nodes, replicas: ['n1', 'n3', 'n5'], params: opb.defaults, mutant: null };
  return opb.step(opb.init(id, config), { kind: 'restart', now: 0, durable: null }).state;
}

/** Node `id` booted at 0 whose heartbeat tick ran on schedule until `now` (not a stall). */
const ticking = (id: string, now: number): State =>
  ({ ...boot(id), tickAt: now - (opb.defaults['hbUs'] as number) });

const step = (s: State, ev: ProtocolEvent<Msg, never>): ReturnType<typeof opb.step> =>
  opb.step(s, ev);

describe('OPB dispatch', () => {
  it('asserts on a timer it never set', () => {
    expect(() => step(boot('n1'), { kind: 'timer', now: 10, timer: 'hb:0' }))
      .toThrow(new AssertionFailure('opb: unknown timer hb:0'));
  });
  it('asserts on a message outside its union', () => {
    const bogus = { t: 'bogus', svc: 0 } as unknown as Msg;
    expect(() => step(boot('n1'), { kind: 'message', now: 10, from: 'n3', msg: bogus }))
      .toThrow(/unexpected opb replica message/);
  });
  it('returns the same state object from a step that changes nothing', () => {
    const s = boot('n3');
    // A backup forwards a client request: effects, but no state change.
    const fwd = step(s, { kind: 'clientRequest', now: 500,
      request: { client: 'c0', seq: 1, op: { type: 'get', key: 'k0' } } });
    expect(fwd.effects.length).toBe(1);
    expect(fwd.state).toBe(s);
    // A join answer for a service this node does not host.
    const late = step(s, { kind: 'message', now: 600, from: 'n1',
      msg: { t: 'joinAck', svc: 7, ok: true } });
    expect(late).toEqual({ state: s, effects: [] });
    expect(late.state).toBe(s);
    // A heartbeat tick that finds nothing to do (no suspicion yet) notes only its time (a late
    // tick is how a node learns it was stalled: replica.ts `sightedAt`)...
    const idle = step(s, { kind: 'timer', now: 700, timer: 'hb' }).state;
    expect(idle).toEqual({ ...s, now: 700, tickAt: 700 });
    expect(idle.reps).toBe(s.reps);
    // ...while a step that changes something (the sender is heard) returns a new one.
    const p = boot('n1');
    const hb = step(p, { kind: 'timer', now: 700, timer: 'hb' }).effects
      .find((e) => e.kind === 'send' && e.to === 'n3');
    expect(hb?.kind).toBe('send');
    const heard = step(s, { kind: 'message', now: 800, from: 'n1',
      msg: (hb as { msg: Msg }).msg });
    expect(heard.state).not.toBe(s);
  });
  it('a planned handoff enters the primary role through the one door (role reported)', () => {
    const s = boot('n3');
    const claim = { node: 'n3', epoch: { c: 5, n: 'n3' }, mver: 1, members: ['n3', 'n1', 'n5'] };
    const r = step(s, { kind: 'message', now: 900, from: 'n1',
      msg: { t: 'handoff', svc: 0, claim, tip: null, notices: new Map() } });
    const rep = r.state.reps.get(0)!;
    expect(rep).toMatchObject({ role: 'primary', primary: 'n3', epoch: claim.epoch, mver: 1 });
    const labels = r.effects.flatMap((e) => (e.kind === 'observe' ? [e.label] : []));
    expect(labels).toEqual(['opb.epoch', 'opb.role', 'role']);
    // The claim to both members, and the note to itself that comes back once it is on disk.
    const sends = r.effects.flatMap((e) => (e.kind === 'send' ? [`${e.to} ${e.msg.t}`] : []));
    expect(sends).toEqual(['n3 synced', 'n1 hb', 'n5 hb']);
    // A claim naming us outside the membership is refused by the door's precondition.
    const outside = { ...claim, members: ['n1', 'n5'], mver: 2 };
    expect(() => step(s, { kind: 'message', now: 900, from: 'n1',
      msg: { t: 'handoff', svc: 0, claim: outside, tip: null, notices: new Map() } }))
      .toThrow('opb: a non-member cannot become primary');
  });
  it('a planned successor refuses a handoff whose tip it does not hold (P2.6 #2)', () => {
    // Explore trial 960300 of opb-stale-transfer: n2 came back without its disk 1 µs before n3
    // handed it s1 at 88@17.n3, took over and wrote index 1 anew.
    const s = boot('n3');
    const claim = { node: 'n3', epoch: { c: 5, n: 'n3' }, mver: 1, members: ['n3', 'n1', 'n5'] };
    const handoff = (tip: { i: number; e: { c: number; n: string } | null } | null, mutant =
    false): State => {
      const at = mutant ? { ...s, mutant: 'takeover-without-tip' } as State : s;
      return step(at, { kind: 'message', now: 900, from: 'n1',
        msg: { t: 'handoff', svc: 0, claim, tip, notices: new Map() } }).state;
    };
    const behind = { i: 88, e: { c: 4, n: 'n1' } };
    expect(handoff(behind)).toBe(s);
    expect(handoff(behind, true).reps.get(0)?.role).toBe('primary');
    // An empty tip is held by anyone; an operator's order (no tip) asks for no catch-up.
    expect(handoff({ i: 0, e: null }).reps.get(0)?.role).toBe('primary');
    expect(handoff(null).reps.get(0)?.role).toBe('primary');
  });
  it('the predecessor\'s heartbeat carrying a handoff claim is the handoff (it may overtake it)',
    () => {
      // n3 follows n1, which hands the role to n3 (epoch 5.n3, n3 first, mver 1): n1's backup
      // heartbeat reaches n3 before the HANDOFF (explore seed 102427, a spurious failover).
      const p = step(ticking('n1', 600_000), { kind: 'timer', now: 600_000, timer: 'hb' });
      const claimHb = p.effects.find((e) => e.kind === 'send' && e.to === 'n3') as { msg: Msg };
      expect(claimHb.msg).toMatchObject({ t: 'hb', role: 'primary', primary: 'n1' });
      const s = step(boot('n3'), { kind: 'message', now: 600_010, from: 'n1', msg: claimHb.msg })
        .state;
      expect(s.reps.get(0)).toMatchObject({ role: 'backup', primary: 'n1' });
      const handed = { ...claimHb.msg, role: 'backup', primary: 'n3', epoch: { c: 5, n: 'n3' },
        mver: 1, members: ['n3', 'n1', 'n5'], pAgeUs: 0 } as Msg;
      const r = step(s, { kind: 'message', now: 600_020, from: 'n1', msg: handed });
      expect(r.state.reps.get(0)).toMatchObject(
        { role: 'primary', primary: 'n3', epoch: { c: 5, n: 'n3' }, mver: 1 });
      const reasons = r.effects.flatMap((e) => (e.kind === 'observe' && e.label === 'opb.role'
        ? [(e.data as { reason: string }).reason] : []));
      expect(reasons).toEqual(['handoff']);
      // The HANDOFF arriving after it changes nothing.
      const claim = { node: 'n3', epoch: { c: 5, n: 'n3' }, mver: 1, members: ['n3', 'n1', 'n5'] };
      const late = step(r.state, { kind: 'message', now: 600_030, from: 'n1',
        msg: { t: 'handoff', svc: 0, claim, tip: null, notices: new Map() } });
      expect(late.state).toBe(r.state);
      // A heartbeat from another member, or one whose claim we are already past, is no handoff.
      const other = step(s, { kind: 'message', now: 600_020, from: 'n5', msg: handed });
      expect(other.state.reps.get(0)?.role).toBe('backup');
      const past = { ...claimHb.msg, epoch: { c: 6, n: 'n1' } } as Msg;
      const s6 = step(boot('n3'), { kind: 'message', now: 600_010, from: 'n1', msg: past }).state;
      expect(s6.reps.get(0)).toMatchObject({ primary: 'n1', epoch: { c: 6, n: 'n1' } });
      expect(step(s6, { kind: 'message', now: 600_020, from: 'n1', msg: handed })
        .state.reps.get(0)?.role).toBe('backup');
    });
  it('a primary adopts a newer membership its backup holds, and hands back to its top', () => {
    // n1, primary of s0 under m0 [n1, n3, n5]; n3 follows it but holds m1 [n5, n1, n3]: the
    // membership of a handoff to n5 that was lost (explore seed 703484: n1, keeping m0, later
    // handed back under it to a member that refused, and nobody was primary until a suspicion).
    const p = step(ticking('n1', 600_000), { kind: 'timer', now: 600_000, timer: 'hb' });
    const own = (p.effects.find((e) => e.kind === 'send' && e.to === 'n3') as { msg: Msg }).msg;
    expect(p.state.reps.get(0)).toMatchObject({ role: 'primary', mver: 0 });
    const from3 = (members: string[], mver: number): Msg =>
      ({ ...own, role: 'backup', primary: 'n1', members, mver, pAgeUs: -1, stable: -1 }) as Msg;
    const hb = (s: State, now: number, from: string, msg: Msg): State =>
      step(s, { kind: 'message', now, from, msg }).state;
    const lost = ['n5', 'n1', 'n3'];
    // A move under way, planned on m0, is abandoned with the membership it was planned on.
    const rep = p.state.reps.get(0)!;
    const moving: State = { ...p.state, reps: new Map([[0, { ...rep,
      move: { add: 'n3', drop: 'n5', kind: 'spread', at: 600_000, members: rep.members } }]]) };
    const adopted = step(moving,
      { kind: 'message', now: 600_010, from: 'n3', msg: from3(lost, 1) });
    const a = adopted.state;
    expect(a.reps.get(0)).toMatchObject({ role: 'primary', members: lost, mver: 1, move: null });
    expect(adopted.effects.filter((e) => e.kind === 'observe' && e.label === 'opb.move'))
      .toMatchObject([{ data: { phase: 'abort', add: 'n3', drop: 'n5' } }]);
    // Never an older or equal version, nor one that leaves us out (claims settle those).
    expect(hb(a, 600_020, 'n3', from3(['n3', 'n1', 'n5'], 1)).reps.get(0)?.members).toEqual(lost);
    expect(hb(p.state, 600_020, 'n3', from3(['n5', 'n3'], 2)).reps.get(0)?.mver).toBe(0);
    // Once the cool-down is over, n5's ack of our tip hands the role to the top member, n5, in
    // that step (the handback on the top member's ack); n3's ack before it does not.
    if (own.t !== 'hb') throw new Error('a heartbeat');
    const ack: Msg = { t: 'ack', svc: 0, epoch: own.epoch, idx: own.idx, lastE: own.lastE,
      lastTag: own.lastTag };
    const b = hb(a, 2_150_000, 'n3', ack);
    expect(b.reps.get(0)).toMatchObject({ role: 'primary' });
    const t = step(b, { kind: 'message', now: 2_150_010, from: 'n5', msg: ack });
    expect(t.state.reps.get(0)).toMatchObject({ role: 'backup', primary: 'n5', members: lost });
    const handoff = t.effects.find((e) => e.kind === 'send' && e.msg.t === 'handoff');
    expect(handoff).toMatchObject({ to: 'n5' });
  });
});

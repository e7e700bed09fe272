/** Replica basics: creation, failure detector, claims and role transitions. */
import { assert } from '../assert.js';
import { EPOCH_ZERO, aboveFloor, cmpEpoch, eqEpoch, genOf, nextEpoch } from './epoch.js';
import { emptyData, epochOf, lastEpoch, lastIndex, lastTag } from './data.js';
import { epochObs, observe, persist, roleObs, send, sendAll } from './effects.js';
import type { RoleReason } from './observations.js';
import type {
  Claim, Epoch, Msg, Out, Position, Replica, RepStep, State, SvcData,
} from './types.js';
import type { NodeId } from '../types.js';
import { mapWith } from '../map-with.js';
import { repWith } from './records.js';

export function newReplica(svc: number, members: readonly NodeId[], mver: number, now: number,
  data: SvcData = emptyData, epoch: Epoch = EPOCH_ZERO): Replica {
  return {
    svc, members, mver, role: 'backup', primary: null, epoch, pclaim: null, claimAt: -1, data,
    heard: new Map(), settled: new Map(), pos: new Map(), relay: new Map(), acked: new Map(),
    ackAt: new Map(), sent: new Map(),
    resent: new Map(), xferAt: new Map(), waiting: [], since: now,
    lastMoveAt: now, move: null, refused: new Map(), aborted: new Map(),
    count: 0, rps: 0, notices: new Map(),
    asked: new Map(), epochSynced: true, joining: false, drain: null,
  };
}

/** Failure detector: heard directly (or, for a primary, via a third party) within T_fd. */
export function alive(s: State, rep: Replica, m: NodeId): boolean {
  if (m === s.id) return true;
  const h = rep.heard.get(m);
  if (h !== undefined && s.now - h < s.params.fdUs) return true;
  const r = rep.relay.get(m);
  return r !== undefined && s.now - r < s.params.fdUs;
}

/** T_fd, and at least two gossip rounds since boot: a recovery guard's full wait. */
function guardOver(s: State): boolean {
  // A machine back with an old membership learns of the current primary only from gossip
  // (explore: it deposed a healthy primary it could not see).
  return s.now - s.bootAt >= Math.max(s.params.fdUs, 2 * s.params.gossipUs);
}

/**
 * Back from a restart, within its guard and following no primary: what this replica says of its
 * group is only what its disk held (the heartbeat's `recovering`). The first boot is no recovery.
 */
export function recovering(s: State, rep: Replica): boolean {
  return s.bootAt > 0 && rep.primary === null && !guardOver(s);
}

/**
 * A recovering replica never promotes itself before hearing its group (P2.5, P2.10 #3): before
 * the full wait, only if every member has sent a heartbeat since our boot that did not say
 * `recovering`. A member back from the same outage knows no more than we do: explore trial
 * 1671635 of opb-night-disasters, where n10 and n1 came back together with their old membership,
 * heard each other, and n10 claimed at once over n14, the healthy primary of a newer membership
 * whose gossip came 2.4 ms later (opb-c3-closure). A member that was up, or follows a primary,
 * still lets us promote at once: a primary back within T_fd, whose members defer to it as the
 * freshest, must not leave the group headless for the whole wait (explore trial 1681633 of
 * opb-initial-placement). A whole group back from a total outage waits it out. The declared
 * mutant opb:restart-guard-shortcut counts every member heard (the rule before the fix).
 */
export function guardOk(s: State, rep: Replica): boolean {
  if (s.mutant === 'self-promote-on-recovery' && s.bootAt > 0) return true;
  if (guardOver(s)) return true;
  const since = s.mutant === 'restart-guard-shortcut' ? rep.heard : rep.settled;
  return rep.members.every((m) => m === s.id || (since.get(m) ?? -1) >= s.bootAt);
}

export function myClaim(s: State, rep: Replica): Claim {
  return { node: s.id, epoch: rep.epoch, mver: rep.mver, members: rep.members };
}

/**
 * Whether the heartbeat tick is overdue: it comes every T_hb, so coming more than a T_hb late means
 * the node could not run (a pause; a clock jump forward reads the same), a stall.
 */
export function tickOverdue(s: State): boolean {
  return s.now - s.tickAt > 2 * s.params.hbUs;
}

/**
 * When a claim handled in this step was sighted, for the failure detector (`claimAt`): now,
 * unless the step handles a stall's backlog, which may date from the tick before the stall. A
 * paused node runs its backlog on resume: the claims of a primary that crashed during the pause
 * counted as heard then, and the node relayed them as fresh to the primary that had replaced it,
 * which lost to them (explore trial 1710645 of opb-one-way-relayed-primary). The tick is overdue
 * (it comes every T_hb) before the late tick runs; in the instant it ran, the rest of the backlog
 * follows it (the simulator hands a resumed node its backlog at one instant). The declared mutant
 * opb:stall-blind takes every sighting as of now.
 */
export function sightedAt(s: State): number {
  if (s.mutant === 'stall-blind') return s.now;
  if (tickOverdue(s)) return s.tickAt;
  return s.now === s.stallAt ? s.stallSince : s.now;
}

/**
 * Whether this node came back from a stall less than T_fd ago: it has not heard its group for
 * as long, a silence of its own making, so it suspects nobody until it has heard it for T_fd
 * (tick.ts). A paused n5 whose late tick came first in its backlog took every member for dead
 * and claimed the primary role at once, and its rank-1 claim deposed n9, primary since the crash
 * of n1 during the pause (seed 24 of opb-paused-stale-claim). The declared mutant opb:stall-blind
 * suspects at once.
 */
export function stallGuard(s: State): boolean {
  return s.mutant !== 'stall-blind' && s.stallAt >= 0 && s.now - s.stallAt < s.params.fdUs;
}

/**
 * A CLAIM telling `to` of the claim we stand by: ours (age 0), or the followed primary's with the
 * age of our last direct sighting of it, as a heartbeat relays it (`pAgeUs`; -1: none).
 */
export function claimMsg(s: State, rep: Replica, claim: Claim): Msg {
  const ageUs = claim.node === s.id ? 0 : rep.claimAt < 0 ? -1 : Math.max(0, s.now - rep.claimAt);
  return { t: 'claim', svc: rep.svc, claim, ageUs };
}

/** What every member holds (so none of it can be an orphan within this membership). */
export function stableIndex(s: State, rep: Replica): number {
  let min = lastIndex(rep.data);
  for (const m of rep.members) if (m !== s.id) min = Math.min(min, rep.acked.get(m) ?? 0);
  for (const w of rep.waiting) min = Math.min(min, w.i - 1);
  return min;
}

export function hbMsg(s: State, rep: Replica): Msg {
  const p = rep.primary;
  const h = p === null || p === s.id || rep.pclaim === null || rep.claimAt < 0
    ? undefined
    : rep.claimAt;
  return {
    t: 'hb', svc: rep.svc, role: rep.role, primary: p, epoch: rep.epoch, members: rep.members,
    mver: rep.mver, idx: lastIndex(rep.data), lastE: lastEpoch(rep.data),
    lastTag: lastTag(rep.data),
    // The declared mutant opb:relay-age-zero relays every sighting as fresh.
    pAgeUs: h === undefined ? -1 : s.mutant === 'relay-age-zero' ? 0 : Math.max(0, s.now - h),
    stable: rep.role === 'primary' ? stableIndex(s, rep) : -1,
    // Only when set, so a group without restarts sends what it did before the flag.
    ...(recovering(s, rep) && s.mutant !== 'restart-guard-shortcut' ? { recovering: true } : {}),
  };
}

/**
 * A replica's epoch is on its disk before anything follows from it (C7: an epoch never goes
 * back and a primary never claims one twice): a claim or adoption lost in a crash would let the
 * restarted replica claim the same epoch again, or adopt a lower one it had already passed. The
 * write comes first, so the announcement, the acks and the fact itself wait for it; and until
 * the node hears from itself that the write landed (`synced`, listed after it, so it arrives
 * only then and never after a crash that lost it), every later step waits behind its disk too
 * (index.ts). Without that, a slow disk let a primary heartbeat its claim and execute a write
 * under it before the claim landed; a crash lost both and the restarted node claimed the same
 * epoch again with another write at the same index (explore seed 7033).
 */
export function withEpoch(s: State, rep: Replica, epoch: Epoch, out: Out): Replica {
  if (eqEpoch(rep.epoch, epoch)) return repWith(rep, { epoch });
  out.push(persist(`${rep.svc}:epoch`), epochObs(rep.svc, epoch),
    send(s.id, { t: 'synced', svc: rep.svc, epoch }));
  return repWith(rep, { epoch, epochSynced: s.mutant === 'claim-before-persist' });
}

/** Claims a fresh epoch above everything known; also used to re-claim after a conflict. */
export function becomePrimary(
  s: State, rep: Replica, reason: RoleReason, above: Epoch,
): RepStep {
  const epoch = nextEpoch([s.epochTop, rep.epoch, above], s.id, s.params.epochLimit);
  return claimPrimary(s, rep, epoch, reason);
}

/**
 * The one door into the primary role: claims `epoch` (chosen above everything known, or by a
 * predecessor's handoff), reports the role change and announces it to the members.
 */
export function claimPrimary(s: State, rep: Replica, epoch: Epoch, reason: RoleReason): RepStep {
  assert(rep.members.includes(s.id), 'opb: a non-member cannot become primary');
  const out: Out = [];
  if (genOf(epoch) !== genOf(rep.epoch) && epoch.c === 1) {
    out.push(observe('opb.epoch-reset', { service: rep.svc, generation: genOf(epoch) }));
  }
  const next: Replica = repWith(withEpoch(s, rep, epoch, out), {
    role: 'primary', primary: s.id, pclaim: null,
    acked: reason === 'reclaim' ? rep.acked : new Map(),
    waiting: reason === 'reclaim' ? rep.waiting : [],
    xferAt: new Map(), resent: new Map(), since: s.now, joining: false,
    drain: reason === 'reclaim' ? rep.drain : null,
    // A new primary starts its cool-down: its predecessor may have just moved the group.
    lastMoveAt: reason === 'reclaim' ? rep.lastMoveAt : s.now,
  });
  out.push(...roleObs(s.id, next, 'primary', epoch, reason));
  out.push(...sendAll(next.members, s.id, hbMsg(s, next)));
  assert(
    next.epoch.n === s.id && cmpEpoch(next.epoch, rep.epoch) > 0,
    'opb: a claim must raise the epoch',
  );
  return { rep: next, out };
}

/** Whether `d` holds the entry at `p` (log matching: same index, same entry epoch). */
const holds = (d: SvcData, p: Position): boolean => p.i === 0 || eqEpoch(epochOf(d, p.i), p.e);

/**
 * A planned successor takes over with the epoch its predecessor chose for it (HANDOFF, or the
 * predecessor's heartbeat that carries the same claim: messages.ts).
 */
export function takeOver(s: State, rep: Replica, c: Claim, tip: Position | null): RepStep {
  if (c.node !== s.id || rep.role === 'primary' || c.mver < rep.mver) return { rep, out: [] };
  // A planned successor holds every update (P2.6 #2): its predecessor counted our ACKs, but we
  // may have lost our disk since (explore trial 960300 of opb-stale-transfer: n2 came back empty
  // 1 µs before n3 handed it s1 at index 88, took over and wrote index 1 anew). Refused, the
  // claim lapses and failover picks the freshest live member (tick.ts). The declared mutant
  // opb:takeover-without-tip takes over whatever it holds.
  if (tip !== null && !holds(rep.data, tip) && s.mutant !== 'takeover-without-tip') {
    return { rep, out: [] };
  }
  // The epoch chosen for us is already taken (we follow a newer one), or lies below our own
  // claim floor: take over above it. The predecessor chose it from what it knew; after amnesia
  // this machine may have claimed that very name before its disk was lost (explore trial
  // 1454310: n3, in generation 0, handed s0 to n1 as 1:1.n1, a name n1 had claimed on another
  // history before it lost its disk; its floor after the boot was far above). The floor keeps
  // only a counter, so a name at its counter is taken too: explore trial 1891280 of
  // opb-diurnal-four, where n1 claimed 3.n1 on its side of a one-way partition, lost to n10's
  // 2.n10 at the heal and left, rejoined, and n10, which never heard of 3.n1, handed it s0 as
  // 3.n1 on another history. The declared mutant opb:handoff-at-floor takes it.
  const taken = s.mutant === 'handoff-at-floor' ? cmpEpoch(c.epoch, s.epochTop) < 0
    : !aboveFloor(c.epoch, s.epochTop);
  if (cmpEpoch(c.epoch, rep.epoch) <= 0 || taken) {
    return becomePrimary(s, repWith(rep, { members: c.members, mver: c.mver }), 'handoff', c.epoch);
  }
  // The predecessor chose our epoch; a planned takeover starts with no move under way.
  return claimPrimary(s, repWith(rep, { members: c.members, mver: c.mver, move: null }), c.epoch,
    'handoff');
}

/** The `opb.move` abort of a move under way, planned on a membership no longer in force. */
export function moveAborted(s: State, rep: Replica): Out {
  const mv = rep.move;
  if (mv === null) return [];
  return [observe('opb.move', {
    service: rep.svc, kind: mv.kind, add: mv.add, drop: mv.drop, phase: 'abort',
    coolUs: s.params.coolUs,
  })];
}

/** Follows a primary's claim: adopts its epoch and membership, then asks to be synced. */
export function follow(s: State, rep: Replica, claim: Claim, role: 'backup' | 'reconciling',
  reason: RoleReason, direct: boolean): RepStep {
  const out: Out = [];
  const wasPrimary = rep.role === 'primary';
  const epoch = cmpEpoch(claim.epoch, rep.epoch) > 0 || s.mutant === 'accept-stale-epoch'
    ? claim.epoch
    : rep.epoch;
  let next: Replica = withEpoch(s, rep, epoch, out);
  // The declared mutant opb:keep-own-members adopts a newer membership only at an equal epoch.
  const newer = claim.mver >= rep.mver && s.mutant !== 'keep-own-members';
  const adopt = newer || eqEpoch(epoch, claim.epoch);
  next = repWith(next, {
    role, primary: claim.node, pclaim: claim, acked: new Map(), waiting: [], move: null,
    drain: null,
    members: adopt ? claim.members : rep.members, mver: adopt ? claim.mver : rep.mver,
    heard: direct ? mapWith(rep.heard, claim.node, s.now) : rep.heard,
    claimAt: direct ? sightedAt(s) : rep.claimAt,
  });
  assert(s.mutant === 'accept-stale-epoch' || cmpEpoch(next.epoch, rep.epoch) >= 0,
    'opb: following a claim never lowers the epoch');
  // The declared mutant opb:silent-follow reports no role change here.
  const report = (wasPrimary || rep.role !== role) && s.mutant !== 'silent-follow';
  if (report) out.push(...roleObs(s.id, next, role, epoch, reason));
  out.push(...moveAborted(s, rep));
  // A primary stepping down hands its pending discard notices to the one it follows now: P2.5
  // tells those clients at their next access, whoever is primary then, and no backup replies
  // (explore trial 982770: n3, losing to n1 as a member, kept c0's notice where nothing read
  // it). They ride in the outbox (outbox.ts), re-sent until that primary confirms them.
  // The declared mutant opb:notices-kept-on-step-down keeps them where nothing reads them.
  if (wasPrimary && rep.notices.size > 0 && s.mutant !== 'notices-kept-on-step-down') {
    out.push(send(claim.node, {
      t: 'resubmit', svc: rep.svc, epoch: claim.epoch, reqs: [], discard: true, id: s.now,
      notices: rep.notices,
    }));
    next = repWith(next, { notices: new Map() });
  }
  const d = next.data;
  out.push(send(claim.node, {
    t: 'ack', svc: rep.svc, epoch, idx: lastIndex(d), lastE: lastEpoch(d), lastTag: lastTag(d),
  }));
  return { rep: next, out };
}

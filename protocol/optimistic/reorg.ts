/**
 * Reorganization by each group's primary (P2.6): repair (restore k replicas and zone
 * diversity), planned handoff, load balancing (handoff first, then make-before-break moves),
 * power saving (consolidate under the low watermark), all with a cool-down per group.
 */
import type { NodeId } from '../types.js';
import { lastEpoch, lastIndex } from './data.js';
import { epochText, nextEpoch } from './epoch.js';
import { observe, roleObs, send } from './effects.js';
import {
  fits, lessMisplaced, misplacement, placementOf, placementOk,
} from './placement.js';
import { alive, withEpoch } from './replica.js';
import { baseRps, freshPeer, permille } from './agent.js';
import type { MoveFactKind, MovePhase } from './observations.js';
import type { Claim, MoveKind, Out, Replica, RepStep, State } from './types.js';
import { mapWith } from '../map-with.js';
import { repWith } from './records.js';

const without = (xs: readonly NodeId[], x: NodeId | null): NodeId[] => xs.filter((m) => m !== x);

/** `members`: the membership the step leaves (C8 judges load/power moves by it). */
function moveObs(
  s: State, rep: Replica, kind: MoveFactKind, add: NodeId | null, drop: NodeId | null,
  phase: MovePhase,
  members: readonly NodeId[] = rep.members,
): Out[number] {
  return observe('opb.move', {
    service: rep.svc, kind, add, drop, phase, coolUs: s.params.coolUs, members: [...members],
  });
}

/** Starts a move: `add` joins now; `drop` leaves now (dead) or once `add` caught up. */
export function startMove(
  s: State, rep: Replica, add: NodeId, drop: NodeId | null, kind: MoveKind, removeNow: boolean,
): RepStep {
  const members = [...without(rep.members, removeNow ? drop : null), add];
  const mver = rep.mver + 1;
  const claim: Claim = { node: s.id, epoch: rep.epoch, mver, members };
  const lastMoveAt = kind === 'repair' ? rep.lastMoveAt : s.now;
  const move = { add, drop: removeNow ? null : drop, kind, at: s.now, members };
  const next: Replica = repWith(rep, { members, mver, lastMoveAt, move });
  return { rep: next, out: [
    moveObs(s, rep, kind, add, drop, 'start'), send(add, { t: 'join', svc: rep.svc, claim }),
  ] };
}

/**
 * The new member has caught up when it holds what every live backup holds (at least the oldest
 * of their acknowledgements; all of the log when none has acked to us): under a steady stream
 * of writes no backup's ack is ever at the tip when it lands, and a move that waited for that
 * chased the tip until it aborted after 20 T_fd (opb-join-refused seed 0: the node that took
 * s0's JOIN acked two entries behind for 3 s and lost its reservation). A member that never
 * acked to us has caught up with nothing, and a backup that never acked sets no floor (taken
 * as -1, it let a new member that had acked nothing complete its move).
 */
function caughtUp(s: State, rep: Replica, add: NodeId, joined: readonly NodeId[]): boolean {
  const mine = rep.acked.get(add);
  if (mine === undefined) return false;
  // Only members of the JOIN's membership set a floor: one merged in on a heal since is still
  // installing our state, and its lagging ACK let a new member 1 entry behind complete its
  // move (explore trial 1861541 of opb-notice-step-down: n5's repair adding n11 was done at
  // 1.75 s with n11 at 39 and n9 at 40, on the floor of n1 and n7, merged in at 1.56 s). The
  // declared mutant opb:done-floor-merged takes every live member's floor.
  const merged = s.mutant === 'done-floor-merged';
  // The declared mutant opb:no-ack-floor takes no backup's ack as a floor (Stryker #3390 of the
  // seed-39 sample): only the tip counts, and under steady writes the move aborts. The declared
  // mutant opb:done-on-any-ack takes the new member's own ack for a floor (Stryker #3633 of the
  // seed-48 sample): any ack is caught up.
  const own = s.mutant === 'done-on-any-ack';
  const floors = rep.members.filter((m) => m !== s.id && (m !== add || own) && alive(s, rep, m)
    && (merged || joined.includes(m)) && s.mutant !== 'no-ack-floor')
    .flatMap((m) => { const a = rep.acked.get(m); return a === undefined ? [] : [a]; });
  return mine >= Math.min(lastIndex(rep.data), ...floors);
}

function progressMove(s: State, rep: Replica): RepStep {
  const mv = rep.move;
  if (mv === null) return { rep, out: [] };
  if (caughtUp(s, rep, mv.add, mv.members)) {
    const members = mv.drop === null || mv.drop === s.id
      ? rep.members
      : without(rep.members, mv.drop);
    const next: Replica = repWith(rep, { members, mver: rep.mver + 1, move: null });
    return { rep: next, out: [moveObs(s, rep, mv.kind, mv.add, mv.drop, 'done', members)] };
  }
  // A move gives its new member 20 T_fd to catch up; the declared mutant opb:early-abort
  // divides instead (mutation #3398 of the seed-37 sample), aborting at the next round.
  const wait = s.mutant === 'early-abort' ? 20 / s.params.fdUs : 20 * s.params.fdUs;
  if (s.now - mv.at < wait) return { rep, out: [] };
  const next: Replica = repWith(rep, {
    members: without(rep.members, mv.add), mver: rep.mver + 1, move: null,
    aborted: mapWith(rep.aborted, mv.add, s.now),
  });
  return { rep: next, out: [moveObs(s, rep, mv.kind, mv.add, mv.drop, 'abort')] };
}

export function onJoinAck(s: State, rep: Replica, from: NodeId, ok: boolean): RepStep {
  const mv = rep.move;
  if (ok || rep.role !== 'primary') return { rep, out: [] };
  // The declared mutant opb:refusal-keeps-move takes the move's own new member for one we never
  // asked (Stryker #3704 of the seed-48 sample): the move stays open until its abort.
  if (mv === null || mv.add !== from || s.mutant === 'refusal-keeps-move') {
    // A member we never asked (a merge took it from the loser) refused our heartbeat's
    // reservation: it is no member; the repair finds another node (adoptMissing).
    if (!rep.members.includes(from) || from === s.id) return { rep, out: [] };
    const next: Replica = repWith(rep, { members: without(rep.members, from), mver: rep.mver + 1,
      refused: mapWith(rep.refused, from, s.now) });
    return { rep: next, out: [] };
  }
  const next: Replica = repWith(rep, {
    members: without(rep.members, from), mver: rep.mver + 1, move: null,
    refused: mapWith(rep.refused, from, s.now),
  });
  return { rep: next, out: [moveObs(s, rep, mv.kind, mv.add, mv.drop, 'refused')] };
}

/** Candidate targets keeping distinct DCs (and the zone cap if possible), best first. */
function candidates(
  s: State, rep: Replica, keep: readonly NodeId[], near: NodeId | null, needPm: number,
): NodeId[] {
  const nearDc = near === null ? null : placementOf(s.nodes, near)?.dc ?? null;
  const usable = s.nodes.filter((n) => {
    const p = freshPeer(s, n.id);
    // Refused our JOIN or dropped by an aborted move: both cool down for T_cool.
    const refusedAt = Math.max(rep.refused.get(n.id) ?? -Infinity,
      rep.aborted.get(n.id) ?? -Infinity);
    return n.id !== s.id && p !== undefined && !rep.members.includes(n.id)
      && p.load + needPm <= s.params.cmaxPct * 10
      && (s.now - refusedAt > s.params.coolUs
        // The declared mutant opb:retry-refused asks a node that refused at once again.
        || s.mutant === 'retry-refused');
  });
  for (const zones of [true, false]) {
    const ok = usable.filter((n) => fits(s.nodes, keep, n.id, s.params.k, zones));
    if (ok.length === 0) continue;
    const key = (id: NodeId): [number, number, number] => {
      const p = freshPeer(s, id)!;
      return [placementOf(s.nodes, id)?.dc === nearDc ? 0 : 1, p.on ? 0 : 1, p.load];
    };
    return ok.map((n) => n.id).sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || (a < b ? -1 : 1);
    });
  }
  return [];
}

/**
 * More than k members and no move in progress: drop a dead one (unheard for T_fd), else the last
 * whose removal keeps the placement valid, else the last (P2.10 #4; `opb-trim-order`).
 */
function trim(s: State, rep: Replica): RepStep | null {
  // Down to k in one round (a merge on heal can add several): one per round left the
  // placement fix that follows no time before the run ended (explore).
  let next = rep;
  const out: Out = [];
  while (next.members.length > s.params.k) {
    const others = next.members.filter((m) => m !== s.id);
    // The declared mutant opb:trim-live-first takes the first live member instead.
    const live = s.mutant === 'trim-live-first';
    const dead = others.find((m) => alive(s, next, m) === live);
    const misplaced = [...others].reverse()
      .find((m) => placementOk(s.nodes, without(next.members, m), s.params.k));
    const victim = dead ?? misplaced ?? others[others.length - 1];
    if (victim === undefined) break;
    out.push(moveObs(s, next, 'repair', null, victim, 'trim'));
    next = repWith(next, { members: without(next.members, victim), mver: next.mver + 1 });
  }
  return next === rep ? null : { rep: next, out };
}

/** Repair: trim to k, replace dead members, restore k, restore placement diversity. */
function repair(s: State, rep: Replica): RepStep | null {
  const trimmed = trim(s, rep);
  if (trimmed !== null) return trimmed;
  const need = permille(s, baseRps(s));
  // Unheard since the later of its last word and the group's start; the declared mutant
  // opb:early-repair takes the earlier, so a member is replaced soon after T_fd.
  const since = s.mutant === 'early-repair' ? Math.min : Math.max;
  const dead = rep.members.find((m) => m !== s.id && !alive(s, rep, m)
    && s.now - since(rep.heard.get(m) ?? -1, rep.since) >= s.params.repairUs);
  if (dead !== undefined) {
    const to = candidates(s, rep, without(rep.members, dead), dead, need)[0];
    return to === undefined ? null : startMove(s, rep, to, dead, 'repair', true);
  }
  if (rep.members.length < s.params.k) {
    const to = candidates(s, rep, rep.members, null, need)[0];
    return to === undefined ? null : startMove(s, rep, to, null, 'repair', false);
  }
  if (!placementOk(s.nodes, rep.members, s.params.k)) {
    const fix = placementFix(s, rep, need);
    // Make before break: the misplaced member is live; the declared mutant
    // opb:placement-break-first drops it at once (mutation #3575 of the seed-35 sample).
    const breakFirst = s.mutant === 'placement-break-first';
    return fix === null ? null : startMove(s, rep, fix.to, fix.bad, 'repair', breakFirst);
  }
  return null;
}

/**
 * The swap that best restores the placement: a member (not ourselves; the last first on ties)
 * and a candidate to replace it, whose group is the least misplaced and better placed than now.
 * One swap may not fix everything: after zone disasters repair put all of s2 in zone zc, two
 * members in one DC, and no single swap could meet both rules, so none was made and balance
 * and consolidation moves went on for 2.5 s after the zones came back (explore trials 1852111
 * of opb-restart-stale-members, 1861409 of opb-removed-member-returns). Each swap lowers the
 * misplacement, the shared DC first, so a second one finishes the job. The declared mutant
 * opb:placement-fix-or-nothing takes only a swap that fixes it all (the rule before the fix).
 */
function placementFix(
  s: State, rep: Replica, need: number,
): { bad: NodeId; to: NodeId } | null {
  const k = s.params.k;
  const all = s.mutant === 'placement-fix-or-nothing';
  // `bar`: the misplacement to beat, the best swap's once there is one.
  let best: { bad: NodeId; to: NodeId } | null = null;
  let bar = all ? [0, 1] : misplacement(s.nodes, rep.members, k);
  for (const bad of [...rep.members].reverse()) {
    if (bad === s.id) continue;
    const keep = without(rep.members, bad);
    for (const to of candidates(s, rep, keep, null, need)) {
      const score = misplacement(s.nodes, [...keep, to], k);
      if (!lessMisplaced(score, bar)) continue;
      best = { bad, to };
      bar = score;
    }
  }
  return best;
}

/** Planned primary transfer (HANDOFF): the successor gets epoch+1 and, if `first`, rank 0. */
export function handoff(
  s: State, rep: Replica, to: NodeId, first: boolean,
  kind: 'balance' | 'consolidate' | 'handback' | 'operator',
): RepStep {
  const members = first ? [to, ...without(rep.members, to)] : rep.members;
  const mver = first ? rep.mver + 1 : rep.mver;
  const epoch = nextEpoch([s.epochTop, rep.epoch], to, s.params.epochLimit);
  const claim: Claim = { node: to, epoch, mver, members };
  // What the successor must hold to take over (an operator's order asks for no catch-up).
  const tip = kind === 'operator' ? null : { i: lastIndex(rep.data), e: lastEpoch(rep.data) };
  const out: Out = [moveObs(s, rep, kind, to, s.id, 'start')];
  const next: Replica = repWith(withEpoch(s, rep, epoch, out), {
    role: 'backup', primary: to, pclaim: claim, claimAt: s.now, members, mver,
    waiting: [], acked: new Map(), lastMoveAt: s.now, move: null, drain: null,
  });
  // Writes a handback's drain held go to the successor, behind the HANDOFF.
  const held = (rep.drain?.held ?? [])
    .map((req) => send(to, { t: 'fwd', svc: rep.svc, req, hops: 1 }));
  return { rep: next, out: [
    ...out,
    ...roleObs(s.id, next, 'backup', epoch, 'handoff'),
    observe('opb.handoff', { service: rep.svc, to, epoch: epochText(epoch), membershipVersion: mver,
      members: [...members] }),
    send(to, { t: 'handoff', svc: rep.svc, claim, tip, notices: rep.notices }),
    ...held,
  ] };
}

export { repair, progressMove, candidates, without };

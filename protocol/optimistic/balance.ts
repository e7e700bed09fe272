/** Load balancing and power saving decisions of a primary (P2.6 #2–#4), with hysteresis. */
import type { NodeId } from '../types.js';
import { lastIndex } from './data.js';
import { alive } from './replica.js';
import { freshPeer, permille } from './agent.js';
import { candidates, handoff, progressMove, repair, startMove, without } from './reorg.js';
import { fitsConsolidation } from './consolidate.js';
import type { Out, Replica, RepStep, State } from './types.js';
import { repWith } from './records.js';

/**
 * Whether member `m` acked the primary's tip: a planned handoff's successor must hold every
 * update (P2.6 #2). The declared mutant opb:handoff-to-unacked takes a member that never acked
 * for one at index 1 (Stryker #443 of the seed-43 sample).
 */
function caughtUp(s: State, rep: Replica, m: NodeId): boolean {
  const never = s.mutant === 'handoff-to-unacked' ? 1 : -1;
  return (rep.acked.get(m) ?? never) >= lastIndex(rep.data);
}

/**
 * Overloaded (load > H): hand the primary role to a caught-up backup whose node stays under
 * Cmax with it, else move the most loaded backup to a node with room (make-before-break), so a
 * later handoff can go there. `opb:no-hysteresis` accepts any less loaded backup instead.
 */
function balance(s: State, rep: Replica): RepStep | null {
  const svcPm = permille(s, rep.rps);
  const noGap = s.mutant === 'no-hysteresis';
  const room = (m: NodeId): boolean => {
    const p = freshPeer(s, m);
    if (p === undefined) return false;
    if (noGap) return p.load < s.agent.load;
    // The declared mutant opb:balance-no-room takes the service's load off instead of adding it.
    const after = s.mutant === 'balance-no-room' ? p.load - svcPm : p.load + svcPm;
    return after <= s.params.cmaxPct * 10;
  };
  const backups = rep.members.filter(
    (m) => m !== s.id && alive(s, rep, m) && caughtUp(s, rep, m) && room(m),
  );
  const light = backups.sort(
    (a, b) => freshPeer(s, a)!.load - freshPeer(s, b)!.load || (a < b ? -1 : 1),
  );
  if (light[0] !== undefined) return handoff(s, rep, light[0], true, 'balance');
  if (noGap) return null;
  const heavy = rep.members.filter((m) => m !== s.id)
    .sort((a, b) => (freshPeer(s, b)?.load ?? 0) - (freshPeer(s, a)?.load ?? 0)
      || (a < b ? -1 : 1))[0];
  if (heavy === undefined) return null;
  const to = candidates(s, rep, without(rep.members, heavy), null, svcPm)[0];
  return to === undefined ? null : startMove(s, rep, to, heavy, 'spread', false);
}

/** Power saving for the primary role itself: hand it to a backup on a fuller node with room. */
function gatherPrimary(s: State, rep: Replica): RepStep | null {
  // The declared mutant opb:gather-at-lw gathers at exactly Lw too.
  const atLw = s.mutant === 'gather-at-lw' && s.agent.load === s.params.lowPct * 10;
  if (s.agent.load >= s.params.lowPct * 10 && !atLw) return null;
  const need = permille(s, rep.rps);
  const mine = s.reps.size;
  const to = rep.members.filter((b) => {
    const p = freshPeer(s, b);
    if (b === s.id || p === undefined || !p.on || !alive(s, rep, b) || !caughtUp(s, rep, b)) {
      return false;
    }
    return p.load + need <= s.params.cmaxPct * 10 && p.hosted > mine;
  }).sort((a, b) => freshPeer(s, b)!.hosted - freshPeer(s, a)!.hosted || (a < b ? -1 : 1))[0];
  return to === undefined ? null : handoff(s, rep, to, true, 'consolidate');
}

/** Power saving (load < Lw on a backup's node): gather that backup onto a fuller node. */
function consolidate(s: State, rep: Replica): RepStep | null {
  const gathered = gatherPrimary(s, rep);
  if (gathered !== null) return gathered;
  const low = s.params.lowPct * 10;
  for (const x of rep.members) {
    const px = x === s.id ? undefined : freshPeer(s, x);
    if (px === undefined || px.load >= low) continue;
    const target = s.nodes.map((n) => n.id)
      .filter((t) => fitsConsolidation(s, rep, x, t, px.hosted))
      .sort((a, b) => freshPeer(s, b)!.hosted - freshPeer(s, a)!.hosted || (a < b ? -1 : 1))[0];
    if (target !== undefined) return startMove(s, rep, target, x, 'consolidate', false);
  }
  return null;
}

/**
 * The top-priority member a handback would go to, caught up or not (non-sticky mode), if any:
 * live and not ourselves. `opb:no-handback` never hands back.
 */
function handbackTarget(s: State, rep: Replica): NodeId | null {
  const top = rep.members[0];
  const sticky = s.params.sticky && s.mutant !== 'ignore-sticky';
  if (sticky || s.mutant === 'no-handback' || top === undefined || top === s.id
    || !alive(s, rep, top)) {
    return null;
  }
  return top;
}

/** Hands the primary back to the top-priority member once it is caught up. */
function handback(s: State, rep: Replica): RepStep | null {
  const top = handbackTarget(s, rep);
  if (top === null || !caughtUp(s, rep, top)) return null;
  const p = freshPeer(s, top);
  // The declared mutant opb:handback-no-room hands back without looking for room.
  if (s.params.balance && s.mutant !== 'handback-no-room'
    && (p === undefined || p.load + permille(s, rep.rps) > s.params.cmaxPct * 10)) {
    return null;
  }
  return handoff(s, rep, top, false, 'handback');
}

/**
 * Starts a handback's drain on an ACK of the top-priority member that trails our tip by at most
 * one update's worth (the rest is in flight to it): new writes are held (primary.ts `onRequest`)
 * so its ACK of the tip can arrive, and that ACK hands the role back (P2.10 #3). Without it, a
 * write stream faster than the round trip to that member kept every one of its ACKs behind the
 * tip: explore trial 1664970 of opb-handback-steady-writes (k=3), where 599 ACKs of n1 in 2.4 s
 * all trailed n5's tip by 1 to 11 entries and the role stayed with n5. This is the planned
 * leadership transfer's usual rule: the leader stops taking writes until its successor's log
 * matches (Raft, Ongaro's thesis §3.10). An expired drain runs its writes here (`drainExpired`).
 */
function drainForHandback(s: State, rep: Replica): RepStep | null {
  // The declared mutant opb:handback-without-drain never drains (the rule before the fix).
  if (s.mutant === 'handback-without-drain') return null;
  const top = handbackTarget(s, rep);
  const acked = top === null ? undefined : rep.acked.get(top);
  if (acked === undefined || lastIndex(rep.data) - acked > s.params.batch) return null;
  return { rep: repWith(rep, { drain: { at: s.now, held: [] } }), out: [] };
}

/**
 * The handback on the ACK that brings the top-priority member to our tip. The reorganization
 * tick looks only at its own instant, and under steady writes an ack is almost never at the tip
 * then (writes in flight): the role stayed away from n1 for 3.6 s (explore seed 811021 of
 * opb-failover-truncate). Same conditions as the tick's: no move under way, the cool-down over.
 * An ACK short of the tip starts a drain instead (`drainForHandback`).
 * Not with `balance` on: the handback then also waits for room on the top member's node, a
 * balancing decision made, like every other, as a load window closes (the tick), on that window.
 */
export function handbackOnAck(s: State, rep: Replica, from: NodeId): RepStep | null {
  // The declared mutant opb:handback-at-tick hands back only from the tick, and
  // opb:handback-on-other-ack on any member's ACK but the top one's.
  const notTop = s.mutant === 'handback-on-other-ack' ? from === rep.members[0]
    : from !== rep.members[0];
  if (!s.params.reorg || s.params.balance || rep.role !== 'primary' || rep.move !== null
    || notTop || s.now - rep.lastMoveAt < s.params.coolUs
    || s.mutant === 'handback-at-tick') {
    return null;
  }
  const back = handback(s, rep);
  return back !== null || rep.drain !== null ? back : drainForHandback(s, rep);
}

function chain(out: Out, step: RepStep, used: boolean): { step: RepStep; used: boolean } {
  return { step: { rep: step.rep, out: [...out, ...step.out] }, used };
}

/** One reorganization round for a primary; `budget` allows one load/power move per node. */
export function reorgReplica(
  s: State, rep0: Replica, budget: boolean,
): { step: RepStep; used: boolean } {
  if (!s.params.reorg || rep0.role !== 'primary') {
    return { step: { rep: rep0, out: [] }, used: false };
  }
  const prog = progressMove(s, rep0);
  const rep = prog.rep!;
  if (rep.move !== null) return { step: prog, used: false };
  const fixed = repair(s, rep);
  if (fixed !== null) return chain(prog.out, fixed, false);
  const cool = s.mutant === 'no-hysteresis' || s.now - rep.lastMoveAt >= s.params.coolUs;
  if (!cool) return { step: prog, used: false };
  const back = handback(s, rep);
  if (back !== null) return chain(prog.out, back, true);
  if (!budget) return { step: prog, used: false };
  let move: RepStep | null = null;
  if (s.params.balance && s.agent.load > s.params.highPct * 10) move = balance(s, rep);
  else if (s.params.power && (s.agent.load < s.params.cmaxPct * 10
    || s.mutant === 'consolidate-busy')) move = consolidate(s, rep); // The mutant: any load.
  return move === null ? { step: prog, used: false } : chain(prog.out, move, true);
}

/**
 * Conflict detection and the dominance rule in action (P2.5): what a replica does on hearing a
 * primary's claim, whether from a heartbeat, an update, a transfer or a relayed CLAIM message.
 */
import { claimBeats, cmpEpoch, eqEpoch } from './epoch.js';
import { lastEpoch, lastIndex, lastTag, orphansOf } from './data.js';
import { observe, send } from './effects.js';
import { fits } from './placement.js';
import { alive, becomePrimary, claimMsg, follow, myClaim, sightedAt } from './replica.js';
import type { Claim, Out, Replica, RepStep, State } from './types.js';
import type { NodeId } from '../types.js';
import { mapWith } from '../map-with.js';
import { repWith } from './records.js';

/** Tells a claimant about the primary we follow, so a stale or dominated primary learns. */
function relayTo(s: State, rep: Replica, to: string): RepStep {
  const claim = rep.role === 'primary' ? myClaim(s, rep) : rep.pclaim;
  if (claim === null || to === s.id || claim.node === to) return { rep, out: [] };
  return { rep, out: [send(to, claimMsg(s, rep, claim))] };
}

/**
 * Membership merge on heal (P2.10 #4): the winner takes the union of both memberships (its own
 * order first) under a version above both; its repair then trims back to k by the placement
 * policy — dead members first, then those whose removal keeps the placement valid, last first,
 * so the loser's replacements go unless they are the better placed. The hard rule, distinct
 * DCs, applies at once: a loser's member in a DC the union already holds is left out (the trim
 * only runs above k; found by explore after a zone disaster). New members count as heard now,
 * so the trim does not take them for dead before they could answer. A node that refused our
 * JOIN within T_cool is left out too: first reservation wins (P2.6), and the loser may still
 * list it from a heartbeat sent before the refusal (explore-drawn trial 3074 of
 * opb-join-refused: n10 refused s1 for lack of room, the merge took it back from the loser's
 * stale membership, and n10 hosted the group it had no room for, with no JOIN). A node whose
 * move we aborted after 20 T_fd refused nothing (`rep.aborted`, kept apart from `rep.refused`):
 * it is taken, as the live member of the loser's group it is (explore trial 1492408 of
 * opb-clients-asleep: n10's move adding n18 to s2 aborted at 7.5 s across a cut, and at 7.76 s
 * n10 won over n9's [n9,n13,n18,n12] with [n10,n13,n8], so n18 left and n10 joined n16 instead).
 */
function mergeMembers(s: State, rep: Replica, claim: Claim): RepStep {
  const members = [...rep.members];
  const refused = (m: NodeId): boolean => {
    const at = rep.refused.get(m);
    return at !== undefined && s.now - at <= s.params.coolUs;
  };
  // The declared mutant opb:no-merge-union takes none of the loser's members (Stryker #848).
  const union = s.mutant !== 'no-merge-union';
  // The declared mutant opb:merge-takes-refused takes a refuser back too (Stryker #864 of the
  // seed-51 sample).
  const takeRefused = s.mutant === 'merge-takes-refused';
  for (const m of claim.members) {
    if (union && (takeRefused || !refused(m)) && fits(s.nodes, members, m, s.params.k, false)) {
      members.push(m);
    }
  }
  const extra = members.slice(rep.members.length);
  if (!s.params.reorg || extra.length === 0) return { rep, out: [] };
  const mver = Math.max(rep.mver, claim.mver) + 1;
  const heard = new Map(rep.heard);
  for (const m of extra) heard.set(m, Math.max(heard.get(m) ?? -1, s.now));
  const out = [
    observe('opb.merge-members', {
      service: rep.svc, loser: claim.node, added: extra, membershipVersion: mver,
    }),
  ];
  return { rep: repWith(rep, { members, mver, heard }), out };
}

/** A primary hears another primary: the dominated one steps down, the winner re-claims above. */
function primaryHears(s: State, rep: Replica, claim: Claim, direct: boolean): RepStep {
  if (s.mutant === 'no-dominance') return { rep, out: [] };
  const mine = myClaim(s, rep);
  if (claimBeats(mine, claim)) {
    const merged = mergeMembers(s, rep, claim);
    const above = cmpEpoch(claim.epoch, rep.epoch) >= 0;
    const step = above ? becomePrimary(s, merged.rep!, 'reclaim', claim.epoch) : merged;
    if (above) step.out.unshift(...merged.out);
    const r = step.rep!;
    return {
      rep: r,
      out: [...step.out, send(claim.node, claimMsg(s, r, myClaim(s, r)))],
    };
  }
  // We lost: reconcile towards the winner. If our epoch is higher, the winner must first
  // re-claim above it (epochs never decrease), so tell it about us.
  const step = follow(s, rep, claim, 'reconciling', 'lost', direct);
  const out = [...step.out];
  if (!claim.members.includes(s.id)) {
    // Not in the winner's membership: no state transfer will come, so hand over every write we
    // hold now; the winner's dedup skips those it already has (P2.10 #4).
    const reqs = orphansOf(rep.data, 0);
    const merge = s.params.policy === 'merge';
    if (reqs.length > 0) {
      out.push(send(claim.node, {
        t: 'resubmit', svc: rep.svc, epoch: claim.epoch, reqs, discard: !merge, id: s.now,
      }));
    }
    out.push(observe('opb.install', {
      service: rep.svc, from: claim.node, fork: 0, orphans: reqs.length, truncated: rep.data.base,
      resubmitted: merge, reconciling: true,
      mine: '', theirs: '',
    }));
    return { rep: step.rep, out };
  }
  if (cmpEpoch(claim.epoch, rep.epoch) > 0) return step;
  return {
    rep: step.rep,
    out: [...out, send(claim.node, claimMsg(s, rep, mine))],
  };
}

/** A backup hears a claim: follow it if it is newer and dominates what we follow. */
function backupHears(s: State, rep: Replica, claim: Claim, direct: boolean): RepStep {
  const stale = s.mutant === 'accept-stale-epoch';
  if (claim.node === rep.primary) {
    const e = cmpEpoch(claim.epoch, rep.epoch);
    const role = rep.role === 'primary' ? 'backup' : rep.role;
    if (e > 0 || (stale && e < 0)) {
      // Its re-claim above a conflict may carry a membership its repair made without us: we
      // leave with it, so hand over what it may lack, as at an equal epoch (explore seeds
      // 810101, 810917 of opb-bridge-loser-leaves: the loser n13, reconciling towards n1, left
      // on n1's re-claim with no RESUBMIT, and its acked writes vanished under `merge`).
      const step = follow(s, rep, claim, role, 'reclaim', direct);
      if (!unsynced(rep)) return step;
      return { rep: step.rep, out: [...step.out, ...handOver(s, rep, claim, step.rep)] };
    }
    if (e === 0) {
      const r = heardFrom(s, rep, claim, direct);
      if (claim.mver <= rep.mver) return { rep: repWith(r, { pclaim: claim }), out: [] };
      const next = repWith(r, { members: claim.members, mver: claim.mver, pclaim: claim });
      return { rep: next, out: unsynced(rep) ? handOver(s, rep, claim, next) : [] };
    }
    return direct ? reportEpoch(rep, claim.node) : relayTo(s, rep, claim.node);
  }
  const cmp = cmpEpoch(claim.epoch, rep.epoch);
  // Equal epoch from its owner while we follow nobody: the rightful primary of our epoch.
  const newer = cmp > 0 || (cmp === 0 && rep.primary === null && claim.epoch.n === claim.node);
  // The declared mutant opb:no-epoch-report relays instead (P2.5 self-stabilization off).
  if (!newer && !stale && rep.pclaim === null && direct && s.mutant !== 'no-epoch-report') {
    // Removed by a repair while away: leave with the claim (`removed`). Following keeps our
    // higher epoch (epochs never go back) and adopts its membership, so the node drops the
    // replica, handing over every write we hold, as a losing primary outside its winner's
    // membership does.
    if (removed(s, rep, claim)) return followHandingOver(s, rep, claim, 'backup', direct);
    // Self-stabilization: nobody to follow and the claimant is behind our (maybe corrupted)
    // epoch. Report it; the claimant re-claims above it instead of both waiting forever.
    return reportEpoch(rep, claim.node);
  }
  if (!newer && !stale) return relayTo(s, rep, claim.node);
  if (outranked(s, rep, claim)) return relayTo(s, rep, claim.node);
  const current = rep.pclaim;
  if (current !== null && rep.primary !== null && alive(s, rep, rep.primary)
    && claimBeats(current, claim)) {
    return relayTo(s, rep, claim.node);
  }
  return followHandingOver(
    s, rep, claim, rep.role === 'reconciling' ? 'reconciling' : 'backup', direct,
  );
}

/**
 * Whether a claim's membership is newer than ours and leaves us out: a repair removed us while
 * we were away. Its primary hears only its members, so reporting our epoch to it (below) moved
 * nothing, and once our recovery guard was over we claimed our old membership over it (explore
 * trial 1810605 of opb-restart-stale-members: n10, back at the heal with s3's m1 at 2:1.n10,
 * above n13's 1:1.n13 in m4 without n10, ACKed each of n13's claims for 0.5 s, then claimed
 * s3 at 3:1.n10 after convergence). The declared mutant opb:removed-backup-reports keeps
 * reporting.
 */
function removed(s: State, rep: Replica, claim: Claim): boolean {
  return claim.mver > rep.mver && !claim.members.includes(s.id)
    && s.mutant !== 'removed-backup-reports';
}

/**
 * Whether a claim comes from a group that never saw a repair we saw: its membership lists us
 * at an older version. By the dominance rule (newer membership first) our group wins, whether
 * its primary lives or its next-priority member is about to take over; that claimant hears us
 * as its member and steps down when we, or the primary we relay, claim. Following it went back
 * to its membership and its history: explore trial 1850535 of opb-repair-same-dc (`discard`):
 * n5, whose primary n3 of m1[n3,n5,n10] had just crashed, followed the higher epoch of n9's
 * minority claim in m0[n3,n5,n9] and installed its empty state, dropping 31 acked entries,
 * and no member of m1 took over within the failover bound. A claim that leaves us out is
 * followed as before: it may come from a group rebuilt after amnesia (restarted-holder-leaves),
 * and it never hears us. The declared mutant opb:follow-older-membership follows it.
 */
function outranked(s: State, rep: Replica, claim: Claim): boolean {
  return claim.mver < rep.mver && claim.members.includes(s.id)
    && s.mutant !== 'follow-older-membership';
}

/** Follows a claim and, if that leaves us outside its membership, hands our log over. */
function followHandingOver(s: State, rep: Replica, claim: Claim,
  role: 'backup' | 'reconciling', direct: boolean): RepStep {
  const step = follow(s, rep, claim, role, 'follow', direct);
  return { rep: step.rep, out: [...step.out, ...handOver(s, rep, claim, step.rep)] };
}

/**
 * A backup leaving for a winner whose membership excludes it (both sides repaired during a
 * partition) takes with it writes no other replica may hold: those of a primary that handed
 * its role over just before the heal, whose successor never claimed (explore). Like a loser
 * primary outside the winner's membership, it hands its retained log over; dedup skips copies.
 * Whether it leaves is what following made of its membership (`next`): a newer epoch brings
 * its membership along even at a lower version, so judging by the claim's version alone let a
 * primary and its only acking backup, back from a zone crash, leave for a newer generation's
 * claim (version 2 below their 5) with no RESUBMIT, and their acked writes vanished untold
 * (explore seed 810959 of opb-zone-disasters, `discard`).
 */
function handOver(s: State, rep: Replica, claim: Claim, next: Replica | null): Out {
  if (next === null || next.members.includes(s.id) || lastIndex(rep.data) === 0) return [];
  const reqs = orphansOf(rep.data, 0);
  const merge = s.params.policy === 'merge';
  return [
    send(claim.node,
      { t: 'resubmit', svc: rep.svc, epoch: claim.epoch, reqs, discard: !merge, id: s.now }),
    observe('opb.handover', { service: rep.svc, to: claim.node, requests: reqs.length }),
  ];
}

/**
 * Whether our log may hold writes the primary we follow lacks: we are reconciling (the orphans
 * are handed over only when its state is installed), or our last entry is not of its epoch.
 * An entry of the followed epoch at our tip proves, by log matching, that it holds all of ours.
 * A member its own primary's repair drops before the install leaves with them otherwise (explore
 * seed 102971: a loser cut off one way, dropped by the winner's repair, lost 9 acked writes).
 */
function unsynced(rep: Replica): boolean {
  return rep.role === 'reconciling' || !eqEpoch(lastEpoch(rep.data), rep.epoch);
}

/** Tells a primary that we hold a higher epoch than its claim, so it re-claims above it. */
function reportEpoch(rep: Replica, to: string): RepStep {
  return { rep, out: [send(to, { t: 'ack', svc: rep.svc, epoch: rep.epoch, idx: lastIndex(rep.data),
    lastE: lastEpoch(rep.data), lastTag: lastTag(rep.data) })] };
}

function heardFrom(s: State, rep: Replica, claim: Claim, direct: boolean): Replica {
  if (!direct) return rep;
  const claimAt = claim.node === rep.primary ? sightedAt(s) : rep.claimAt;
  return repWith(rep, { heard: mapWith(rep.heard, claim.node, s.now), claimAt });
}

/**
 * Whether a claim relayed `ageUs` ago (on the relayer's clock) may still be a live primary's:
 * a followed primary is kept only while its claims arrive within T_fd, and a relay says no more
 * than its relayer saw. The declared mutant opb:relayed-claim-no-age takes any relayed claim.
 */
function freshRelay(s: State, ageUs: number): boolean {
  return s.mutant === 'relayed-claim-no-age' || (ageUs >= 0 && ageUs < s.params.fdUs);
}

/**
 * Handles a claim received from `from`: the claimant itself, or a third party relaying it, who
 * heard it directly `ageUs` ago. A relayed sighting older than T_fd deposes and moves nobody:
 * a backup paused 0.8 s relayed its primary's claim from before the pause, though that primary
 * had crashed and come back as a backup, to the primary that replaced it; rank first, the stale
 * claim won, and the recovered top member took the role in sticky mode (explore trial 1710645 of
 * opb-one-way-relayed-primary, opb-handback).
 */
export function onClaim(
  s: State, rep: Replica, claim: Claim, from: string, ageUs = 0,
): RepStep {
  if (claim.node === s.id) return { rep, out: [] };
  if (!claim.members.includes(claim.node)) return { rep, out: [] };
  const direct = from === claim.node;
  if (!direct && !freshRelay(s, ageUs)) return { rep, out: [] };
  if (rep.role === 'primary') return primaryHears(s, rep, claim, direct);
  if (rep.pclaim !== null && eqEpoch(rep.pclaim.epoch, claim.epoch)
    && rep.pclaim.mver === claim.mver) {
    return { rep: heardFrom(s, rep, claim, direct), out: [] };
  }
  return backupHears(s, rep, claim, direct);
}

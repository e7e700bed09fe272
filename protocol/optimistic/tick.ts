/**
 * The per-replica heartbeat tick: local consistency checks (self-stabilization), failure
 * detection, optimistic primary determination (no majority), heartbeats, catch-up, digests.
 */
import { epochText, lineageText } from './epoch.js';
import { dataDigest, lastEpoch, lastIndex, lastTag } from './data.js';
import { EPOCH_ZERO, cmpEpoch, eqEpoch } from './epoch.js';
import { observe, roleObs, send, sendAll } from './effects.js';
import { serviceGroup } from './observations.js';
import { catchUp, drainExpired, maybeCheckpoint, release } from './primary.js';
import { alive, becomePrimary, guardOk, hbMsg, stallGuard } from './replica.js';
import type { Out, Position, Replica, RepStep, State } from './types.js';
import { repWith } from './records.js';

/** Repairs impossible combinations of local variables (P2.5 self-stabilization). */
function sanitize(s: State, rep: Replica, out: Out): Replica {
  let r = rep;
  // The declared mutant opb:keep-headless-primary keeps a primary that names no or another primary.
  const headless = r.primary !== s.id && s.mutant !== 'keep-headless-primary';
  if (r.role === 'primary' && (r.epoch.n !== s.id || headless)) {
    r = repWith(r, { role: 'backup', primary: null, pclaim: null, waiting: [], acked: new Map(),
      drain: null });
    out.push(...roleObs(s.id, r, 'backup', r.epoch, 'fix'));
  }
  if (r.role !== 'primary'
    && (r.primary === s.id || (r.primary !== null && !r.members.includes(r.primary)))) {
    r = repWith(r, { primary: null, pclaim: null });
  }
  if (r.pclaim !== null && r.pclaim.node !== r.primary) r = repWith(r, { pclaim: null });
  // Following a claim adopts its epoch, so a follower's epoch is never below its claim's. A
  // corrupted claim above it (explore seed 3330: the very epoch its primary later claimed) made
  // that claim look already followed forever, with updates of it never applied: drop it. The
  // declared mutant opb:keep-claim-above-epoch keeps it (Stryker #3967 of the seed-39 sample).
  if (r.role !== 'primary' && r.pclaim !== null && cmpEpoch(r.pclaim.epoch, r.epoch) > 0
    && s.mutant !== 'keep-claim-above-epoch') {
    r = repWith(r, { primary: null, pclaim: null });
  }
  // Only direct claims keep a followed primary: a live node that no longer claims is not one.
  if (r.primary !== null && r.primary !== s.id && s.now - r.claimAt >= s.params.fdUs) {
    r = repWith(r, { primary: null, pclaim: null });
    if (r.role === 'reconciling') {
      r = repWith(r, { role: 'backup' });
      out.push(...roleObs(s.id, r, 'backup', r.epoch, 'winner-lost'));
    }
  }
  return r;
}

/**
 * Position order: none, an empty history, then by last epoch and index. The declared mutant
 * opb:epoch-blind-freshness (`blind`) takes any other last epoch for a newer one, so the later
 * ranked of two members with different last epochs counts as the fresher (Stryker #4182 of the
 * seed-43 sample).
 */
function cmpPos(a: Position | undefined, b: Position | undefined, blind = false): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (a.e === null || b.e === null || blind) {
    return eqEpoch(a.e, b.e) ? a.i - b.i : a.e === null ? -1 : 1;
  }
  return cmpEpoch(a.e, b.e) || a.i - b.i;
}

/**
 * Optimistic consensus: promote if every higher-priority member is suspected — among the live
 * members whose history is the most recent, so a recovered replica with stale (or, after
 * amnesia, empty) state never takes over from a fresher one (P2.10 #3). A node back from a
 * stall suspects nobody for T_fd (replica.ts `stallGuard`).
 */
function determine(s: State, rep: Replica): RepStep {
  if (rep.role === 'primary' || rep.primary !== null || stallGuard(s)) return { rep, out: [] };
  const mine: Position = { i: lastIndex(rep.data), e: lastEpoch(rep.data) };
  const posOf = (m: string): Position | undefined => (m === s.id ? mine : rep.pos.get(m));
  const live = rep.members.filter((m) => (m === s.id ? guardOk(s, rep) : alive(s, rep, m)));
  const blind = s.mutant === 'epoch-blind-freshness';
  const best = live.reduce<Position | undefined>(
    (b, m) => (cmpPos(posOf(m), b, blind) > 0 ? posOf(m) : b),
    undefined,
  );
  // The mutant promotes by rank alone right after recovery, stale state or not.
  const byRank = s.mutant === 'self-promote-on-recovery' && s.bootAt > 0;
  const cand = byRank ? live[0] : live.find((m) => cmpPos(posOf(m), best, blind) === 0);
  if (cand !== s.id) return { rep, out: [] };
  // Someone still hears another primary's claims (relayed age): do not promote over it. The
  // declared mutant opb:promote-over-relayed ignores those sightings.
  const fresh = (p: string): boolean =>
    s.now - (rep.relay.get(p) ?? -s.params.fdUs) < s.params.fdUs;
  const other = s.mutant !== 'promote-over-relayed' && [...rep.relay.keys()].sort()
    .some((p) => p !== s.id && rep.members.includes(p) && fresh(p));
  if (other && !(s.mutant === 'self-promote-on-recovery' && s.bootAt > 0)) return { rep, out: [] };
  return becomePrimary(s, rep, 'suspect', EPOCH_ZERO);
}

/**
 * `opb.digest` for the OPB checkers, and the generic `state` observation (group = service). A
 * joiner that holds none of the group's state yet declares no `state`: its empty store is no
 * state of the service, only where a state transfer will land (P2.6 #1: MEMBERSHIP, STATE-XFER,
 * then a backup; explore seed 91: a replica added 14 ms before the end read as diverged). Its
 * digests go on, and OPB's C2 judges its catch-up from the join on (opb-convergence.ts).
 */
function digest(s: State, rep: Replica): Out {
  const state = dataDigest(rep.data);
  const idx = lastIndex(rep.data);
  const out: Out = [observe('opb.digest', {
    service: rep.svc, role: rep.role, primary: rep.primary, epoch: epochText(rep.epoch),
    index: idx, base: rep.data.base, state, members: [...rep.members],
    membershipVersion: rep.mver, lineage: lineageText(rep.data.lineage),
  })];
  if (!rep.joining) {
    out.push(observe('state', { digest: state, applied: idx, group: serviceGroup(rep.svc) }));
  }
  return out;
}

/**
 * One replica's share of a heartbeat tick. Its own writes (a lone replica's checkpoint, a
 * drain's held writes) go to `after`, which the caller lists after every heartbeat of the step:
 * effects listed after a log write wait for it, and heartbeats held behind a disk write can make
 * the group suspect a healthy primary (explore trial 1690950 of opb-lost-synced-note: drained
 * writes; 1770357 of opb-merge-refused: n1, alone in s0, checkpointed s0 at its tick and its s1
 * heartbeats, later in the step, left 140 ms late behind that write; opb-epoch-barrier). An
 * epoch write stays first: a heartbeat announcing a new epoch waits for it.
 */
export function tickReplica(s: State, rep0: Replica, after?: Out): RepStep {
  const out: Out = [];
  const tail = after ?? out;
  const rep1 = sanitize(s, rep0, out);
  const det = determine(s, rep1);
  out.push(...det.out);
  let rep = det.rep!;
  if (rep.role === 'primary') {
    rep = release(s, rep, out);
    for (const m of rep.members) {
      if (m !== s.id && alive(s, rep, m)) rep = catchUp(s, rep, m, true, out);
    }
  }
  // A loser still above its winner's epoch keeps asking it to re-claim (the first notice may be
  // lost).
  const w = rep.pclaim;
  if (rep.role === 'reconciling' && w !== null && rep.primary === w.node
    && cmpEpoch(rep.epoch, w.epoch) > 0) {
    const d = rep.data;
    out.push(send(w.node, {
      t: 'ack', svc: rep.svc, epoch: rep.epoch, idx: lastIndex(d), lastE: lastEpoch(d),
      lastTag: lastTag(d),
    }));
  }
  out.push(...sendAll(rep.members, s.id, hbMsg(s, rep)), ...digest(s, rep));
  // The tick's own writes, after the heartbeats (`after`). A handback's drain that lasted T_fd
  // runs its held writes (explore trial 1690950: n5's heartbeats of its 2.686 s tick left 20 ms
  // late, behind four drained writes). A primary checkpoints when an ACK raises its stable index
  // (onAck); a lone replica (k = 1) gets no ACK, so it checkpoints here, or its log grew without
  // bound (explore trials 1090008 and 1090136 of opb-lone-replica-restart with a small logKeep:
  // opb-log-bound). Only then: with backups the stable index rises with their ACKs.
  if (rep.role === 'primary' && rep.drain !== null) {
    rep = release(s, drainExpired(s, rep, tail), tail);
  }
  if (rep.role === 'primary' && rep.members.every((m) => m === s.id)) {
    rep = maybeCheckpoint(s, rep, tail);
  }
  // The note that the epoch landed may have been lost (a targeted fault): ask again, behind
  // this step's own write (index.ts), so it comes back once the disk has caught up. (An epoch
  // changed in this tick has just sent its own.) The declared mutant opb:synced-note-once never
  // asks again.
  if (s.mutant !== 'synced-note-once' && !rep0.epochSynced && !rep.epochSynced
    && eqEpoch(rep0.epoch, rep.epoch)) {
    out.push(send(s.id, { t: 'synced', svc: rep.svc, epoch: rep.epoch }));
  }
  return { rep, out };
}

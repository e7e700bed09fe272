/**
 * The follower side of a configuration-specific replica: logging proposals (persist before
 * LOGGED), learning decisions, following heartbeats, answering ELECT with its logged proposals,
 * and catching up by state transfer.
 */
import { assert, maybe } from '../assert.js';
import type { NodeId } from '../types.js';
import { addDecision, installCheckpoint, settleInflight } from './execution.js';
import { fetchState, lacksStartingState } from './fetch.js';
import { MAX_DECIDED_PER_STATE_REPLY } from './limits.js';
import { configGroup } from './observations.js';
import { asFollower } from './roles.js';
import type {
  Ctx, DecidedSlot, Decision, Flags, Follower, Leader, LogEntry, Msg, PollVote, Replica, State,
} from './types.js';
import { leaderWith, leadWith, replicaWith } from './update.js';
import {
  cmdKey, describeBallot, inRange, observe, persist, replicaList, reply, send, setTimer,
  withReplica,
} from './util.js';

/** Follows `leader` (null while an election is under way) at `ballot`. */
export function becomeFollower(r: Replica, ballot: number, leader: NodeId | null): Follower {
  assert(ballot >= r.promised, 'smart: a replica never lowers its promised ballot');
  if (r.role === 'follower' && r.promised === ballot && r.leader === leader) return r;
  return asFollower(r, ballot, leader);
}

/** `becomeFollower` that reports a lost leadership: a leader leaves its role only through here. */
function follow(s: State, r: Replica, ballot: number, leader: NodeId | null, ctx: Ctx): Follower {
  // The declared mutant smart:role-on-every-follow reports a step-down it never made.
  if (r.role === 'leader' || s.flags.roleOnEveryFollow) {
    observe(ctx, 'role', { group: configGroup(r.cfg), role: 'follower', node: s.id });
  }
  return becomeFollower(r, ballot, leader);
}

/** Releases requests held while campaigning: to the winner if known (else the client retries). */
export function releaseHeld<R extends Replica>(s: State, r: R, ctx: Ctx): R {
  if (r.held.length === 0 || r.role === 'candidate') return r;
  for (const q of r.held) {
    // The declared mutant smart:forget-held drops them all.
    if (r.leader === null || r.leader === s.id || s.flags.forgetHeld) continue;
    const redirect = { leader: r.leader, members: r.members, config: r.cfg };
    reply(ctx, q.client, q.seq, { type: 'redirect', ...redirect });
  }
  return replicaWith(r, { held: [] });
}

/** The suspicion deadline: later for members further from the current leader. */
export function suspicionAt(s: State, r: Replica, now: number): number {
  const n = r.members.length;
  const me = r.members.indexOf(s.id);
  const lead = r.leader === null ? -1 : r.members.indexOf(r.leader);
  const rank = (me - lead - 1 + 2 * n) % n;
  return now + s.params.leaderTimeoutUs + rank * s.params.staggerUs;
}

export function onPropose(
  s: State, from: NodeId, r: Replica, msg: Extract<Msg, { t: 'propose' }>, ctx: Ctx,
): State {
  if (msg.ballot < r.promised) return s; // A deposed leader.
  if (!inRange(s, r, msg.slot) || msg.slot <= r.trunc) return s;
  assert(msg.slot >= 1 && msg.ballot > 0, 'smart: a PROPOSE names a slot and a real ballot');
  const existing = r.log.get(msg.slot);
  maybe(existing !== undefined); // A retransmission, or a new leader re-proposing the slot.
  let next = releaseHeld(s, follow(s, r, msg.ballot, from, ctx), ctx);
  if (existing === undefined || !existing.decided) {
    const log = next.log.set(msg.slot, { ballot: msg.ballot, cmd: msg.cmd, decided: false });
    next = replicaWith(next, { log });
  }
  const ckpt = s.em.ckpt.index;
  const logged: Msg = { t: 'logged', cfg: r.cfg, ballot: msg.ballot, slot: msg.slot, ckpt };
  // LOGGED promises the entry survives a crash: it leaves only once the write is on disk.
  if (s.flags.ackBeforePersist) send(ctx, from, logged);
  persist(ctx, `log c=${r.cfg} s=${msg.slot} b=${describeBallot(msg.ballot)}`);
  if (!s.flags.ackBeforePersist) send(ctx, from, logged);
  const kept = next.log.get(msg.slot);
  observe(ctx, 'logged', { config: r.cfg, ballot: msg.ballot, slot: msg.slot,
    command: kept === undefined ? '' : cmdKey(kept.cmd), held: next.log.size });
  return withReplica(s, next);
}

/** Learns that `slot` was decided in this configuration; feeds the shared EM. */
export function learnDecision(
  s: State, r: Replica, slot: number, entry: LogEntry, ctx: Ctx,
): State {
  const existing = r.log.get(slot);
  if (existing !== undefined && existing.decided) return s;
  if (slot <= s.em.lastExec && existing === undefined) return s; // Known through a checkpoint.
  observe(ctx, 'decide', {
    config: r.cfg, slot, command: cmdKey(entry.cmd), ballot: entry.ballot,
  });
  let state = s;
  if (slot > r.trunc) {
    const log = r.log.set(slot, { ballot: entry.ballot, cmd: entry.cmd, decided: true });
    // A leader that learns a slot's decision another way (a catch-up DECIDED, a decided entry in
    // a POLL-REPLY) re-sends it no more, as `decide` does: left in its acknowledgement records,
    // it went out again every heartbeat at the entry's older ballot (found by smart-no-propose-
    // after-decided: a restarted leader re-proposed slot 51 at 1.0 while leading at 3.0).
    const keep = r.role !== 'leader' || s.flags.keepAcks || r.lead.acks.get(slot) === undefined;
    state = withReplica(state, keep ? replicaWith(r, { log })
      : leaderWith(r, { log, lead: leadWith(r.lead, { acks: r.lead.acks.delete(slot) }) }));
    // A deposed leader that has not heard so yet: the request it put here lost the slot.
    const lost = existing !== undefined && cmdKey(existing.cmd) !== cmdKey(entry.cmd);
    if (lost && r.role === 'leader') state = settleInflight(state);
  }
  return addDecision(state, slot, { cfg: r.cfg, ballot: entry.ballot, cmd: entry.cmd });
}

/**
 * A decided slot learned from DECIDED or a DECIDED-RANGE, which may reach a machine without the
 * replica that decided it (a catch-up across configurations): then only the EM learns it.
 */
function learnDecided(s: State, slot: number, dec: Decision, ctx: Ctx): State {
  const r = s.replicas.get(dec.cfg);
  const entry: LogEntry = { ballot: dec.ballot, cmd: dec.cmd, decided: true };
  if (r !== undefined && inRange(s, r, slot)) return learnDecision(s, r, slot, entry, ctx);
  return addDecision(s, slot, dec);
}

export function onDecided(s: State, msg: Extract<Msg, { t: 'decided' }>, ctx: Ctx): State {
  return learnDecided(s, msg.slot, msg, ctx);
}

/** An incremental state copy: each slot is learned as if its DECIDED had arrived. */
export function onDecidedRange(
  s: State, msg: Extract<Msg, { t: 'decidedRange' }>, ctx: Ctx,
): State {
  const lacked = msg.slots.filter((d) => d.slot > s.em.lastExec && !s.em.decided.has(d.slot));
  if (lacked.length > 0) {
    const [first, last] = [lacked[0]!.slot, lacked[lacked.length - 1]!.slot];
    observe(ctx, 'catchUp', { config: msg.cfg, first, last });
  }
  let state = s;
  for (const d of msg.slots) state = learnDecided(state, d.slot, d, ctx);
  return state;
}

export function onHeartbeat(
  s: State, from: NodeId, r: Replica, msg: Extract<Msg, { t: 'heartbeat' }>, ctx: Ctx,
): State {
  if (msg.ballot < r.promised) return s;
  const followed = releaseHeld(s, follow(s, r, msg.ballot, from, ctx), ctx);
  // Only up to our own checkpoint: a vote truncated past it tells a new leader that slots are
  // held by checkpoints this quorum may not have (smart-lost-leader-checkpoint). The declared
  // mutant smart:truncate-past-checkpoint takes the larger of the two.
  const upTo = s.flags.truncatePastCheckpoint ? Math.max(msg.stable, s.em.ckpt.index)
    : Math.min(msg.stable, s.em.ckpt.index);
  const next = truncate(followed, upTo, s.flags);
  setTimer(ctx, { kind: 'election', cfg: r.cfg }, suspicionAt(s, next, ctx.now));
  // Missing decisions (lost DECIDED, a restart, a new member without its starting state).
  let state = s;
  const missing = msg.commit > s.em.lastExec && !s.em.decided.has(s.em.lastExec + 1);
  if (missing || s.flags.fetchEveryBeat) { // The declared mutant asks at every beat.
    // A new member's starting state is a whole copy: one request at a time (fetch.ts). So is
    // any other request of the machine: a member that restarted empty asked the leader here
    // while its request for a newer configuration's starting state was out, two 400 kB copies
    // 7 ms apart (explore trial 46 of smart-leader-fetch-once, smart-fetch-one-at-a-time).
    // The declared mutant smart:heartbeat-fetch-at-once takes the leader for a preferred source.
    const unpreferred = lacksStartingState(s, r) && !s.flags.heartbeatFetchAtOnce;
    if (unpreferred) state = fetchState(s, from, r.cfg, false, ctx);
    else state = fetchState(s, from, r.cfg, true, ctx);
  }
  // The note counts toward the stable index, which truncates logs and collects configurations:
  // the checkpoint it names must survive a crash, and it may still be in flight, so a note
  // that can raise the stable index leaves after a write. One at or below it cannot move the
  // quorum-th highest and leaves at once, so a follower does not write on every heartbeat; it
  // is still sent every beat because it is also how a leader behind its followers learns to
  // fetch their state (onCkptNote): without it such a leader stalled for good
  // (smart-duplicate-across-configs seeds 276 and 278).
  const raises = s.em.ckpt.index > msg.stable || s.flags.noteAlwaysWrites; // The mutant: always.
  if (raises && !s.flags.noteBeforePersist) {
    persist(ctx, `sync before CKPT-NOTE c=${r.cfg}`);
  }
  send(ctx, from, { t: 'ckptNote', cfg: r.cfg, index: s.em.ckpt.index });
  return next === r ? state : withReplica(state, next);
}

/**
 * Discards logged proposals at or below `upTo` (a stable index this machine has checkpointed).
 * The declared mutant smart:truncation-keeps-cut keeps the entry at `upTo` itself (the defect
 * of Stryker #7260 and #7273 of the seed-51 sample, in SlotMap.above).
 */
export function truncate(r: Leader, upTo: number, flags: Flags): Leader;
export function truncate(r: Follower, upTo: number, flags: Flags): Follower;
export function truncate(r: Replica, upTo: number, flags: Flags): Replica {
  if (upTo <= r.trunc) return r;
  const log = r.log.above(flags.truncationKeepsCut ? upTo - 1 : upTo);
  if (r.role !== 'leader') return replicaWith(r, { log, trunc: upTo });
  // Slots at or below a stable checkpoint are decided: stop waiting for their LOGGED.
  const acks = r.lead.acks.above(upTo);
  return leaderWith(r, { log, trunc: upTo, lead: leadWith(r.lead, { acks }) });
}

/** ELECT (phase 1a): promise the ballot and report every logged proposal above the truncation. */
export function onElect(
  s: State, from: NodeId, r: Replica, msg: Extract<Msg, { t: 'elect' }>, ctx: Ctx,
): State {
  if (msg.ballot <= r.promised) {
    // A promise that no live leader holds (one made before a crash, or to a candidate that
    // since failed) would otherwise refuse the candidate in silence: it learns nothing and
    // loses a whole election timeout per such round, while its cohorts cannot elect anyone
    // either (opb-zone-disasters seed 100111). Tell it the ballot to beat [std-Paxos NACK].
    // Candidates and followers of a leader stay silent, so two candidates never chase each
    // other's ballots up.
    const leaderless = (r.role === 'follower' && r.leader === null) || s.flags.preemptFromAnyone;
    const answers = leaderless && !s.flags.noPreempt; // The declared mutant never answers.
    if (answers && msg.ballot < r.promised) {
      send(ctx, from, { t: 'preempt', cfg: r.cfg, ballot: r.promised });
    }
    return s;
  }
  const next = follow(s, r, msg.ballot, null, ctx);
  persist(ctx, `promise c=${r.cfg} b=${describeBallot(msg.ballot)}`);
  send(ctx, from, { t: 'pollReply', cfg: r.cfg, ballot: msg.ballot, vote: voteOf(s, next) });
  setTimer(ctx, { kind: 'election', cfg: r.cfg }, suspicionAt(s, next, ctx.now));
  return withReplica(s, next);
}

export function voteOf(s: State, r: Replica): PollVote {
  const entries = r.log.entries();
  // Pair assertion with truncate() and onPollReply(): a vote reports only what lies above it.
  assert((entries[0]?.[0] ?? Infinity) > r.trunc, 'smart: a vote holds no entry at or below ' +
    'its truncation');
  return { entries, trunc: r.trunc, exec: s.em.lastExec, ckpt: s.em.ckpt.index };
}

/**
 * Serves a lagging machine (P1.5; P1.6 step 5). One at most `incrementalSlots` behind our
 * execution, whose missing slots we still hold, gets an incremental state copy: those decided
 * slots in one DECIDED-RANGE. One further behind, or whose gap we no longer hold (our logs were
 * truncated and our record of executed slots does not reach back), gets a full copy of our
 * latest checkpoint and then the decided slots above it. Either range is one message, not one
 * DECIDED per slot: a lagging machine is caught up with one send, as a batched transfer would.
 */
export function onStateRequest(
  s: State, from: NodeId, msg: Extract<Msg, { t: 'stateRequest' }>, ctx: Ctx,
): State {
  const ckpt = s.em.ckpt;
  let slots = heldDecisions(s, msg.have);
  const close = s.em.lastExec - msg.have <= s.params.incrementalSlots;
  if (ckpt.index > msg.have && !(close && reaches(slots, msg.have, s.em.lastExec))) {
    send(ctx, from, { t: 'stateCopy', cfg: msg.cfg, ckpt, stateBytes: s.params.stateBytes });
    slots = heldDecisions(s, ckpt.index);
  }
  if (slots.length > 0) send(ctx, from, { t: 'decidedRange', cfg: msg.cfg, slots });
  return s;
}

/**
 * The decided slots above `above` this machine holds (executed ones it kept, decisions waiting
 * for execution, and decided entries of its replicas' logs), in slot order, at most
 * MAX_DECIDED_PER_STATE_REPLY of them.
 */
function heldDecisions(s: State, above: number): DecidedSlot[] {
  const found = new Map<number, DecidedSlot>();
  const add = (slot: number, d: Decision): void => {
    if (slot > above && !found.has(slot)) {
      found.set(slot, { slot, cfg: d.cfg, ballot: d.ballot, cmd: d.cmd });
    }
  };
  for (const [slot, d] of s.em.executed.entries()) add(slot, d);
  for (const [slot, d] of s.em.decided.entries()) add(slot, d);
  for (const r of replicaList(s)) {
    for (const [slot, e] of r.log.entries()) {
      if (e.decided) add(slot, { cfg: r.cfg, ballot: e.ballot, cmd: e.cmd });
    }
  }
  const sorted = [...found.values()].sort((a, b) => a.slot - b.slot);
  return sorted.slice(0, MAX_DECIDED_PER_STATE_REPLY);
}

/**
 * Whether `slots` (sorted, above `have`) run without a gap from have+1 to `upTo`, or fill a
 * whole reply on the way (the requester asks again for the rest).
 */
function reaches(slots: readonly DecidedSlot[], have: number, upTo: number): boolean {
  let reach = have;
  for (const d of slots) {
    if (d.slot !== reach + 1) break;
    reach = d.slot;
  }
  return reach >= upTo || reach - have === MAX_DECIDED_PER_STATE_REPLY;
}

export function onStateCopy(s: State, msg: Extract<Msg, { t: 'stateCopy' }>, ctx: Ctx): State {
  return installCheckpoint(s, msg.ckpt, ctx);
}

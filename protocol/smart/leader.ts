/**
 * The leader side of a configuration's Paxos instance: suspicion and ELECT, the poll (re-propose
 * the highest-ballot value of every reported slot, null-fill the gaps), PROPOSE / LOGGED /
 * DECIDED under the three admission rules, heartbeats, retransmission and client admission.
 */
import { assert } from '../assert.js';
import { mapWith } from '../map-with.js';
import type { NodeId } from '../types.js';
import { fetchState, preferredSource } from './fetch.js';
import { MAX_HELD_REQUESTS } from './limits.js';
import { newestKnown, redirectClient } from './migration.js';
import { configGroup } from './observations.js';
import { learnDecision, truncate, voteOf } from './replica.js';
import { asCandidate, asLeader } from './roles.js';
import { SlotMap } from './slots.js';
import type {
  Candidate, Cmd, Ctx, Follower, Leader, Leadership, Msg, Replica, Request, State,
} from './types.js';
import {
  ballotOf, broadcast, cmdKey, describeBallot, lastSlotOf, MIGRATED, observe, persist, quorum,
  reply, roundOf, send, setTimer, withReplica,
} from './util.js';
import { leaderWith, leadWith, replicaWith } from './update.js';

const NULL_CMD: Cmd = { t: 'null' };

/** The suspicion timer: a follower that heard no heartbeat campaigns; it always re-arms. */
export function onElectionTimer(s: State, cfg: number, ctx: Ctx): State {
  const r = s.replicas.get(cfg);
  if (r === undefined) return s;
  setTimer(ctx, { kind: 'election', cfg }, ctx.now + s.params.leaderTimeoutUs);
  if (r.role === 'leader' || r.finished) return s;
  return becomeCandidate(s, r, ctx);
}

/** PREEMPT: a cohort refused our ELECT for a higher promise; campaign again above it at once. */
export function onPreempt(
  s: State, r: Replica, msg: Extract<Msg, { t: 'preempt' }>, ctx: Ctx,
): State {
  if (r.role === 'leader' || s.flags.ignorePreempt) return s; // smart:ignore-preempt: always.
  // The declared mutant smart:preempt-anytime also acts on a stale PREEMPT, and
  // smart:stale-preempt at a candidate (Stryker #5005 of the seed-48 sample: `<=` → false).
  const stale = msg.ballot <= r.promised && !s.flags.stalePreempt;
  if ((r.role !== 'candidate' || stale) && !s.flags.preemptAnytime) return s;
  return becomeCandidate(s, r, ctx, msg.ballot);
}

export function becomeCandidate(
  s: State, r: Follower | Candidate, ctx: Ctx, above: number = r.promised,
): State {
  const ballot = ballotOf(roundOf(Math.max(r.promised, above)) + 1, s.idx);
  assert(ballot > r.promised, 'smart: a new ballot exceeds every promise');
  // Our own vote counts at once although the promise is not yet on disk: ELECT leaves only
  // after that write, so no other vote (nor, with a quorum of one, any decision: see propose)
  // can be counted before the promise is durable.
  const votes = new Map([[s.id, voteOf(s, r)]]);
  const next = asCandidate(r, ballot, votes, s.flags.reaskKeptAcrossBallots);
  persist(ctx, `promise c=${r.cfg} b=${describeBallot(ballot)}`);
  observe(ctx, 'elect', { config: r.cfg, ballot });
  broadcast(ctx, s.id, r.members, { t: 'elect', cfg: r.cfg, ballot });
  const state = withReplica(s, next);
  if (votes.size < quorum(s, r.members.length)) return state;
  return becomeLeader(state, next, ctx);
}

export function onPollReply(
  s: State, from: NodeId, r: Replica, msg: Extract<Msg, { t: 'pollReply' }>, ctx: Ctx,
): State {
  if (r.role !== 'candidate' || msg.ballot !== r.promised) return s;
  if (!r.members.includes(from) || r.votes.has(from)) return s;
  assert(msg.vote.trunc >= r.first - 1, 'smart: a vote never truncates below the range');
  // Pair assertion with voteOf(): entries ascend, and none lies at or below the truncation.
  assert((msg.vote.entries[0]?.[0] ?? Infinity) > msg.vote.trunc,
    'smart: a vote reports only entries above its truncation');
  const votes = new Map(r.votes);
  votes.set(from, msg.vote);
  // The declared mutant smart:reask-forgotten-at-vote forgets the re-asks here (Stryker #7056).
  const next = s.flags.reaskForgottenAtVote ? { ...asCandidate(r, r.promised, votes), reasked: [] }
    : asCandidate(r, r.promised, votes);
  const state = withReplica(s, next);
  if (votes.size < quorum(s, r.members.length)) return state;
  return becomeLeader(state, next, ctx);
}

/** Phase 2 setup from a quorum of votes: what to re-propose and where to start. */
export function becomeLeader(s: State, r: Candidate, ctx: Ctx): State {
  assert(r.votes.size >= quorum(s, r.members.length), 'smart: a leader needs a quorum of votes');
  const voters = [...r.votes.keys()].sort();
  assert(voters.every((v) => r.members.includes(v)), 'smart: only members vote for a leader');
  const trunc = Math.max(...voters.map((v) => r.votes.get(v)!.trunc));
  const start = Math.max(r.first, trunc + 1, s.em.lastExec + 1);
  const best = new Map<number, { ballot: number; cmd: Cmd }>();
  let catchFrom: NodeId | null = null;
  let catchTo = s.em.lastExec;
  for (const v of voters) {
    const vote = r.votes.get(v)!;
    if (vote.exec > catchTo) [catchFrom, catchTo] = [v, vote.exec];
    for (const [slot, e] of vote.entries) {
      // The poll-ignores-accepted mutant trusts only values known to be decided.
      if (slot < start || (s.flags.pollIgnoresAccepted && !e.decided)) continue;
      const prev = best.get(slot);
      // The declared mutant smart:poll-last-voter lets a later voter's lower ballot win.
      if (prev !== undefined && e.ballot <= prev.ballot && !s.flags.pollLastVoter) continue;
      best.set(slot, { ballot: e.ballot, cmd: e.cmd });
    }
  }
  const repro = new Map([...best].map(([slot, e]) => [slot, e.cmd] as const));
  const pollMax = Math.max(start - 1, ...best.keys());
  const cohort = new Map(voters.map((v) => [v, r.votes.get(v)!.ckpt] as const));
  const lead: Leadership = {
    nextSlot: start, repro, pollMax, acks: SlotMap.empty(), queue: [], inflight: new Set(),
    cohort, stable: 0, catchFrom, catchTo, retryBelow: start,
  };
  const next = withStable(s, asLeader(r, s.id, lead));
  const { alpha, maxLogSize } = s.params;
  observe(ctx, 'leader', { config: r.cfg, ballot: r.promised, start, pollMax, alpha, maxLogSize });
  observe(ctx, 'role', { group: configGroup(r.cfg), role: 'leader', node: s.id });
  setTimer(ctx, { kind: 'heartbeat', cfg: r.cfg }, ctx.now);
  const repoAt = ctx.now + s.params.repoWriteUs;
  if (s.params.repoNode !== null) setTimer(ctx, { kind: 'repository', cfg: r.cfg }, repoAt);
  // Catching up with the most advanced voter goes through the fetch discipline (fetch.ts: one
  // request at a time with fetchRetryUs), as every other state request does.
  let state = withReplica(s, next);
  if (catchFrom !== null) state = fetchState(state, catchFrom, r.cfg, true, ctx);
  for (const q of r.held) state = onLeaderRequest(state, leaderIn(state, r.cfg), q, ctx);
  return state;
}

/**
 * A client request while campaigning, or while no leader is known, waits for the outcome (a
 * few round trips; released by the new leader or redirected by releaseHeld).
 */
export function holdRequest(s: State, r: Candidate | Follower, q: Request): State {
  if (r.held.length >= MAX_HELD_REQUESTS) return s;
  // The declared mutant smart:hold-retries holds every retry of a request again.
  if (isHeld(r, q) && !s.flags.holdRetries) return s;
  if (s.flags.dropAtCandidate) return s; // The declared mutant: nothing is held.
  return withReplica(s, replicaWith(r, { held: [...r.held, q] }));
}

/** Whether leader `r` has proposed every slot of its configuration's range (P1.6 step 4). */
export function rangeFull(s: State, r: Leader): boolean {
  const last = lastSlotOf(s.em.table, r.cfg);
  return last !== null && r.lead.nextSlot > last;
}

/** Whether `q` (the same client and sequence number) already waits in `r.held`. */
export function isHeld(r: Candidate | Follower, q: Request): boolean {
  return r.held.some((h) => h.client === q.client && h.seq === q.seq);
}

/** The stable index: the quorum-th highest checkpoint among the members (P1.4 step 8). */
function withStable(s: State, r: Leader): Leader {
  const points = r.members.map((m) => (m === s.id ? s.em.ckpt.index : r.lead.cohort.get(m) ?? 0));
  points.sort((a, b) => b - a);
  const stable = Math.max(r.lead.stable, points[quorum(s, r.members.length) - 1] ?? 0);
  const next = stable === r.lead.stable ? r : leaderWith(r, { lead: leadWith(r.lead, { stable }) });
  return truncate(next, Math.min(stable, s.em.ckpt.index), s.flags);
}

/** Whether slot `slot` may be proposed now: the three admission rules plus the starting state. */
export function admissible(s: State, r: Leader, slot: number): boolean {
  const lead = r.lead;
  const last = lastSlotOf(s.em.table, r.cfg);
  if (slot < r.first || (last !== null && slot > last)) return false;
  // No starting state yet (P1.6 step 5).
  if (s.em.lastExec < r.first - 1 && !s.flags.proposeWithoutState) return false;
  if (!s.flags.noAlphaCheck && slot > s.em.lastExec + s.params.alpha) return false;
  return slot - s.params.maxLogSize <= lead.stable;
}

/** Proposes as many slots as the admission rules allow. */
export function pump(s: State, cfg: number, ctx: Ctx): State {
  let state = s;
  for (;;) {
    const r = state.replicas.get(cfg);
    if (r === undefined || r.role !== 'leader') return state;
    const lead = r.lead;
    if (lead.nextSlot <= state.em.lastExec) {
      // Executed slots are decided (learned by catch-up): never propose them again.
      const nextSlot = state.em.lastExec + 1;
      state = withReplica(state, leaderWith(r, { lead: leadWith(lead, { nextSlot }) }));
      continue;
    }
    const slot = lead.nextSlot;
    const last = lastSlotOf(state.em.table, cfg);
    if (last !== null && slot > last) return flushQueue(state, r, ctx);
    if (!admissible(state, r, slot)) return state;
    const choice = chooseCmd(state, r, slot, last);
    if (choice === null) return state;
    state = propose(choice.state, leaderIn(choice.state, cfg), slot, choice.cmd, ctx);
  }
}

function chooseCmd(
  s: State, r: Leader, slot: number, last: number | null,
): { state: State; cmd: Cmd } | null {
  const lead = r.lead;
  if (slot <= lead.pollMax) return { state: s, cmd: lead.repro.get(slot) ?? NULL_CMD };
  // Requests in arrival order: a MIGRATE takes whichever slot the admission rules give it.
  const head = lead.queue[0];
  if (head !== undefined) {
    const queue = lead.queue.slice(1);
    const rest = withReplica(s, leaderWith(r, { lead: leadWith(lead, { queue }) }));
    return { state: rest, cmd: head };
  }
  // P1.6 step 4: once LastSlot is known, fill the rest of the range with null requests.
  if (last !== null && !s.flags.noNullFill) return { state: s, cmd: NULL_CMD };
  return null;
}

/** Every slot of the range is proposed: queued clients learn of the new configuration. */
function flushQueue(s: State, r: Leader, ctx: Ctx): State {
  const lead = r.lead;
  if (lead.queue.length === 0) return s;
  const info = newestKnown(s);
  const target = info.num > r.cfg ? info : null;
  for (const q of lead.queue) redirectClient(s, q.client, q.seq, target, ctx);
  // No longer inflight here: a retry of one of them (its redirect lost) is redirected again.
  const inflight = new Set(lead.inflight);
  for (const q of lead.queue) inflight.delete(cmdKey(q));
  return withReplica(s, leaderWith(r, { lead: leadWith(lead, { queue: [], inflight }) }));
}

function propose(s: State, r: Leader, slot: number, cmd: Cmd, ctx: Ctx): State {
  const lead = r.lead;
  assert(slot === lead.nextSlot, 'smart: a leader proposes its slots in order');
  // Pair assertions with admissible(): range and α window hold for every proposal we send.
  assert(slot >= r.first, 'smart: no proposal below FirstSlot');
  assert(s.flags.noAlphaCheck || slot <= s.em.lastExec + s.params.alpha, 'smart: α window');
  // Pair assertion with the amnesia fix: a (ballot, slot) is proposed at most once.
  const reused = r.log.get(slot)?.ballot === r.promised;
  assert(s.flags.leaderAmnesia || !reused, 'smart: (ballot, slot) reused');
  const log = r.log.set(slot, { ballot: r.promised, cmd, decided: false });
  // No ack yet, not even ours: the leader's own LOGGED counts only once its write is on disk.
  const acks = lead.acks.set(slot, []);
  const inflight = cmd.t === 'null' ? lead.inflight : new Set(lead.inflight).add(cmdKey(cmd));
  const next = leaderWith(r, { log, lead: leadWith(lead, { nextSlot: slot + 1, acks, inflight }) });
  observe(ctx, 'propose', { config: r.cfg, ballot: r.promised, slot, command: cmdKey(cmd),
    executed: s.em.lastExec, stable: lead.stable });
  broadcast(ctx, s.id, r.members, { t: 'propose', cfg: r.cfg, ballot: r.promised, slot, cmd });
  persist(ctx, `log c=${r.cfg} s=${slot} b=${describeBallot(r.promised)}`);
  // Like a follower's, it leaves after the write (a message to ourselves): counted at once, a
  // crash before the write lands would lose an entry the decision relied on.
  const logged: Msg = { t: 'logged', cfg: r.cfg, ballot: r.promised, slot, ckpt: s.em.ckpt.index };
  send(ctx, s.id, logged);
  return withReplica(s, next);
}

export function onLogged(
  s: State, from: NodeId, r: Replica, msg: Extract<Msg, { t: 'logged' }>, ctx: Ctx,
): State {
  if (r.role !== 'leader' || msg.ballot !== r.promised || !r.members.includes(from)) return s;
  const lead = withCohortPoint(s, r, from, msg.ckpt);
  const l = lead.lead;
  const acks = l.acks.get(msg.slot);
  if (acks === undefined || acks.includes(from)) return withReplica(s, lead);
  const all = l.acks.set(msg.slot, [...acks, from]);
  const next = leaderWith(lead, { lead: leadWith(l, { acks: all }) });
  const state = withReplica(s, next);
  if (acks.length + 1 < quorum(s, r.members.length)) return state;
  return decide(state, next, msg.slot, ctx);
}

function decide(s: State, r: Leader, slot: number, ctx: Ctx): State {
  const entry = r.log.get(slot);
  assert(entry !== undefined, 'smart: a slot being decided is in the log');
  const l = r.lead;
  // The declared mutant smart:keep-acks keeps the records, so decided slots are re-sent.
  const acks = s.flags.keepAcks ? l.acks : l.acks.delete(slot);
  const next = leaderWith(r, { lead: leadWith(l, { acks }) });
  // Learned meanwhile through a catch-up DECIDED: nothing left to announce.
  if (entry.decided) return withReplica(s, next);
  assert(entry.ballot === r.promised, 'smart: a decided slot was proposed by us');
  const msg: Msg = { t: 'decided', cfg: r.cfg, ballot: entry.ballot, slot, cmd: entry.cmd };
  broadcast(ctx, s.id, r.members, msg);
  return learnDecision(withReplica(s, next), next, slot, entry, ctx);
}

function withCohortPoint(s: State, r: Leader, from: NodeId, index: number): Leader {
  const lead = r.lead;
  if ((lead.cohort.get(from) ?? -1) >= index) return r;
  const cohort = mapWith(lead.cohort, from, index);
  return withStable(s, leaderWith(r, { lead: leadWith(lead, { cohort }) }));
}

export function onCkptNote(s: State, from: NodeId, r: Replica, index: number, ctx: Ctx): State {
  if (r.role !== 'leader' || !r.members.includes(from)) return s;
  // A cohort checkpointed beyond our execution (we lack the starting state, or lost DECIDED
  // messages and our predecessor replica was retired meanwhile): fetch it from that cohort,
  // one request at a time like any fetch (with fetchRetryUs, each member's CKPT-NOTE used to
  // send its own request: five 400 kB copies in 8 ms, explore-drawn trial 5235 of
  // smart-costed-migration, smart-fetch-one-at-a-time).
  let state = s;
  if (index > s.em.lastExec && !s.em.decided.has(s.em.lastExec + 1)) {
    state = fetchState(s, from, r.cfg, preferredSource(s, r, from), ctx);
  }
  const next = withCohortPoint(state, r, from, index);
  return next === r ? state : withReplica(state, next);
}

/** Heartbeats, retransmission of unacknowledged proposals, and a lagging leader's catch-up. */
export function onHeartbeatTimer(s: State, cfg: number, ctx: Ctx): State {
  const r = s.replicas.get(cfg);
  if (r === undefined || r.role !== 'leader') return s;
  const beatAt = ctx.now + s.params.heartbeatUs;
  if (!s.flags.heartbeatStops) setTimer(ctx, { kind: 'heartbeat', cfg }, beatAt);
  const next = withStable(s, r);
  const lead = next.lead;
  const commit = s.em.lastExec;
  const beat: Msg = { t: 'heartbeat', cfg, ballot: r.promised, commit, stable: lead.stable };
  broadcast(ctx, s.id, r.members, beat);
  for (const [slot, acked] of lead.acks.entries()) {
    if (slot >= lead.retryBelow) break; // Sent less than a heartbeat ago.
    const e = next.log.get(slot)!;
    const msg: Msg = { t: 'propose', cfg, ballot: e.ballot, slot, cmd: e.cmd };
    // Not to ourselves: our own LOGGED is already on its way behind our write.
    for (const m of r.members) if (m !== s.id && !acked.includes(m)) send(ctx, m, msg);
  }
  const retryBelow = lead.nextSlot;
  const state = withReplica(s, leaderWith(next, { lead: leadWith(lead, { retryBelow }) }));
  if (lead.catchFrom === null) return state;
  // The declared mutant smart:fetch-while-caught-up keeps asking once caught up;
  // smart:fetch-at-catch-point while it has executed exactly the cohort's point.
  const caughtUp = s.flags.fetchAtCatchPoint ? s.em.lastExec > lead.catchTo
    : s.em.lastExec >= lead.catchTo;
  if (caughtUp && !s.flags.fetchWhileCaughtUp) return state;
  return fetchState(state, lead.catchFrom, cfg, true, ctx);
}

/**
 * A request at the leader: a client's duplicate answered from the reply cache, an executed
 * MIGRATE answered at once, others queued.
 */
export function onLeaderRequest(s: State, r: Leader, q: Request, ctx: Ctx): State {
  const lead = r.lead;
  if (q.t === 'op') {
    const cached = s.em.cache.get(q.client);
    if (cached !== undefined && cached.seq >= q.seq && !s.flags.noReplyCache) {
      const done = { type: 'done' as const, result: cached.result };
      // The declared mutant smart:stale-cached-answer answers an older request as well.
      if (cached.seq === q.seq || s.flags.staleCachedAnswer) reply(ctx, q.client, q.seq, done);
      return s;
    }
  } else if (s.em.migrations.includes(q.id)) {
    reply(ctx, q.client, q.seq, MIGRATED);
    return s;
  }
  const key = cmdKey(q);
  if (lead.inflight.has(key)) return s;
  if (rangeFull(s, r)) {
    const info = newestKnown(s);
    redirectClient(s, q.client, q.seq, info.num > r.cfg ? info : null, ctx);
    return s;
  }
  const inflight = new Set(lead.inflight).add(key);
  if (q.t === 'migrate') {
    observe(ctx, 'migrateRequested', { id: q.id, members: [...q.members] });
  }
  const queue = [...lead.queue, q];
  return withReplica(s, leaderWith(r, { lead: leadWith(lead, { queue, inflight }) }));
}

/** The replica of `cfg`, which the caller knows to be leading (it led a moment ago). */
function leaderIn(s: State, cfg: number): Leader {
  const r = s.replicas.get(cfg);
  assert(r !== undefined && r.role === 'leader', 'smart: the replica still leads');
  return r;
}

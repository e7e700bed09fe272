/**
 * The one way SMART updates its state objects: `xWith(old, { field: value })` builds a copy with
 * the named fields replaced. Each helper lists every field in one fixed order (the order the
 * object is first created in), so all copies share one hidden class and a step's hot path stays
 * monomorphic; object spread was measurably slower here. Role changes are not updates: they go
 * through roles.ts, which builds the replica of the new role from scratch.
 */
import type { Candidate, Em, Follower, Leader, Leadership, Replica, State } from './types.js';

export type StateUpdate = Partial<State>;
export type EmUpdate = Partial<Em>;
export type LeadUpdate = Partial<Leadership>;
/** Fields every role has; the role itself and its own fields (votes, lead) ride along. */
export type ReplicaUpdate = Partial<Omit<Follower, 'role'>>;
export type LeaderUpdate = Partial<Omit<Leader, 'role'>>;

export function stateWith(s: State, u: StateUpdate): State {
  const {
    id = s.id, idx = s.idx, initial = s.initial, params = s.params, flags = s.flags, d = s.d,
    succ = s.succ, replicas = s.replicas, em = s.em, repo = s.repo,
  } = u;
  return { id, idx, initial, params, flags, d, succ, replicas, em, repo };
}

export function emWith(em: Em, u: EmUpdate): Em {
  const {
    lastExec = em.lastExec, store = em.store, table = em.table, cache = em.cache,
    migrations = em.migrations, decided = em.decided, executed = em.executed, ckpt = em.ckpt,
    busyUntil = em.busyUntil, sinceCkpt = em.sinceCkpt, fetch = em.fetch,
  } = u;
  return {
    lastExec, store, table, cache, migrations, decided, executed, ckpt, busyUntil, sinceCkpt, fetch,
  };
}

export function leadWith(l: Leadership, u: LeadUpdate): Leadership {
  const {
    nextSlot = l.nextSlot, repro = l.repro, pollMax = l.pollMax, acks = l.acks, queue = l.queue,
    inflight = l.inflight, cohort = l.cohort, stable = l.stable, catchFrom = l.catchFrom,
    catchTo = l.catchTo, retryBelow = l.retryBelow,
  } = u;
  return {
    nextSlot, repro, pollMax, acks, queue, inflight, cohort, stable, catchFrom, catchTo,
    retryBelow,
  };
}

export function leaderWith(r: Leader, u: LeaderUpdate): Leader {
  const {
    cfg = r.cfg, members = r.members, first = r.first, promised = r.promised, leader = r.leader,
    log = r.log, trunc = r.trunc, finished = r.finished, readyFrom = r.readyFrom, held = r.held,
    lead = r.lead,
  } = u;
  return {
    cfg, members, first, role: 'leader', promised, leader, log, trunc, finished, readyFrom, held,
    lead,
  };
}

/** A candidate that has now sent its ELECT again behind a JOIN to `member` (onJoinRequest). */
export function reaskedWith(r: Candidate, member: string): Candidate {
  return {
    cfg: r.cfg, members: r.members, first: r.first, role: 'candidate', promised: r.promised,
    leader: r.leader, log: r.log, trunc: r.trunc, finished: r.finished, readyFrom: r.readyFrom,
    held: r.held, votes: r.votes, reasked: [...r.reasked, member],
  };
}

/** A copy of `r` in the same role (its votes or leadership unchanged). */
export function replicaWith<R extends Replica>(r: R, u: ReplicaUpdate): R;
export function replicaWith(r: Replica, u: ReplicaUpdate): Replica {
  const {
    cfg = r.cfg, members = r.members, first = r.first, promised = r.promised, leader = r.leader,
    log = r.log, trunc = r.trunc, finished = r.finished, readyFrom = r.readyFrom, held = r.held,
  } = u;
  switch (r.role) {
    case 'follower':
      return {
        cfg, members, first, role: 'follower', promised, leader, log, trunc, finished, readyFrom,
        held,
      };
    case 'candidate':
      return {
        cfg, members, first, role: 'candidate', promised, leader, log, trunc, finished, readyFrom,
        held, votes: r.votes, reasked: promised === r.promised ? r.reasked : [],
      };
    case 'leader':
      return {
        cfg, members, first, role: 'leader', promised, leader, log, trunc, finished, readyFrom,
        held, lead: r.lead,
      };
  }
}

/**
 * The one way SMART updates its state objects: `xWith(old, { field: value })` builds a copy with
 * the named fields replaced. Each helper lists every field in one fixed order (the order the
 * object is first created in), so all copies share one hidden class and a step's hot path stays
 * monomorphic; object spread was measurably slower here. Role changes are not updates: they go
 * through roles.ts, which builds the replica of the new role from scratch.
 *
 * Within a step, a record built by one of these helpers is owned by the step (protocol/owned.ts)
 * and later updates of it mutate it in place instead of copying it again.
 */
import { own, owns } from '../owned.js';
import type { Em, Follower, Leader, Leadership, Replica, State } from './types.js';

export type StateUpdate = Partial<State>;
export type EmUpdate = Partial<Em>;
export type LeadUpdate = Partial<Leadership>;
/** Fields every role has; the role itself and its own fields (votes, lead) ride along. */
export type ReplicaUpdate = Partial<Omit<Follower, 'role'>>;
export type LeaderUpdate = Partial<Omit<Leader, 'role'>>;

/**
 * A record this step owns, open for writing. Every field is written back (unchanged ones too):
 * plain stores on the record's own hidden class cost less than Object.assign(record, u), which
 * was slower than a copy here.
 */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

export function stateWith(s: State, u: StateUpdate): State {
  const {
    id = s.id, idx = s.idx, initial = s.initial, params = s.params, flags = s.flags, d = s.d,
    succ = s.succ, replicas = s.replicas, em = s.em, repo = s.repo,
  } = u;
  if (!owns(s)) return own({ id, idx, initial, params, flags, d, succ, replicas, em, repo });
  const w = s as Writable<State>;
  w.id = id; w.idx = idx; w.initial = initial; w.params = params; w.flags = flags; w.d = d;
  w.succ = succ; w.replicas = replicas; w.em = em; w.repo = repo;
  return s;
}

export function emWith(em: Em, u: EmUpdate): Em {
  const {
    lastExec = em.lastExec, store = em.store, table = em.table, cache = em.cache,
    migrations = em.migrations, decided = em.decided, executed = em.executed, ckpt = em.ckpt,
    busyUntil = em.busyUntil, sinceCkpt = em.sinceCkpt, fetch = em.fetch,
  } = u;
  if (!owns(em)) {
    return own({
      lastExec, store, table, cache, migrations, decided, executed, ckpt, busyUntil, sinceCkpt,
      fetch,
    });
  }
  const w = em as Writable<Em>;
  w.lastExec = lastExec; w.store = store; w.table = table; w.cache = cache;
  w.migrations = migrations; w.decided = decided; w.executed = executed; w.ckpt = ckpt;
  w.busyUntil = busyUntil; w.sinceCkpt = sinceCkpt; w.fetch = fetch;
  return em;
}

export function leadWith(l: Leadership, u: LeadUpdate): Leadership {
  const {
    nextSlot = l.nextSlot, repro = l.repro, pollMax = l.pollMax, acks = l.acks, queue = l.queue,
    inflight = l.inflight, cohort = l.cohort, stable = l.stable, catchFrom = l.catchFrom,
    catchTo = l.catchTo, retryBelow = l.retryBelow,
  } = u;
  if (!owns(l)) {
    return own({
      nextSlot, repro, pollMax, acks, queue, inflight, cohort, stable, catchFrom, catchTo,
      retryBelow,
    });
  }
  const w = l as Writable<Leadership>;
  w.nextSlot = nextSlot; w.repro = repro; w.pollMax = pollMax; w.acks = acks; w.queue = queue;
  w.inflight = inflight; w.cohort = cohort; w.stable = stable; w.catchFrom = catchFrom;
  w.catchTo = catchTo; w.retryBelow = retryBelow;
  return l;
}

export function leaderWith(r: Leader, u: LeaderUpdate): Leader {
  const {
    cfg = r.cfg, members = r.members, first = r.first, promised = r.promised, leader = r.leader,
    log = r.log, trunc = r.trunc, finished = r.finished, readyFrom = r.readyFrom, held = r.held,
    lead = r.lead,
  } = u;
  if (!owns(r)) {
    return own({
      cfg, members, first, role: 'leader', promised, leader, log, trunc, finished, readyFrom,
      held, lead,
    });
  }
  const w = r as Writable<Leader>;
  w.cfg = cfg; w.members = members; w.first = first; w.promised = promised; w.leader = leader;
  w.log = log; w.trunc = trunc; w.finished = finished; w.readyFrom = readyFrom; w.held = held;
  w.lead = lead;
  return r;
}

/** A copy of `r` in the same role (its votes or leadership unchanged). */
export function replicaWith<R extends Replica>(r: R, u: ReplicaUpdate): R;
export function replicaWith(r: Replica, u: ReplicaUpdate): Replica {
  const {
    cfg = r.cfg, members = r.members, first = r.first, promised = r.promised, leader = r.leader,
    log = r.log, trunc = r.trunc, finished = r.finished, readyFrom = r.readyFrom, held = r.held,
  } = u;
  if (owns(r)) {
    // The role and its own field (votes, lead) stay as they are.
    const w = r as Writable<Follower>;
    w.cfg = cfg; w.members = members; w.first = first; w.promised = promised; w.leader = leader;
    w.log = log; w.trunc = trunc; w.finished = finished; w.readyFrom = readyFrom; w.held = held;
    return r;
  }
  switch (r.role) {
    case 'follower':
      return own({
        cfg, members, first, role: 'follower', promised, leader, log, trunc, finished, readyFrom,
        held,
      });
    case 'candidate':
      return own({
        cfg, members, first, role: 'candidate', promised, leader, log, trunc, finished, readyFrom,
        held, votes: r.votes,
      });
    case 'leader':
      return own({
        cfg, members, first, role: 'leader', promised, leader, log, trunc, finished, readyFrom,
        held, lead: r.lead,
      });
  }
}

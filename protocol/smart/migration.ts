/**
 * Migration (P1.6): JOIN / JOIN-REQUEST to start replicas of new configurations, FINISHED /
 * READY / DEFUNCT to retire old ones only after their successor is established, parsing the
 * operator's MIGRATE request, and the weakly consistent configuration repository.
 */
import { assert } from '../assert.js';
import type { Json, NodeId, OperatorRequester } from '../types.js';
import { configGroup } from './observations.js';
import { fetchState, preferredSource } from './fetch.js';
import { MAX_ELECTS_BEHIND_JOIN } from './limits.js';
import { newReplica } from './roles.js';
import type { CfgEntry, Ctx, MigrateCmd, Msg, Replica, State, SuccInfo } from './types.js';
import {
  broadcast, cancelTimer, entryOf, lastSlotOf, latestEntry, observe, persist, quorum, replicaList,
  reply, send, setTimer, withReplica,
} from './util.js';
import { reaskedWith, replicaWith, stateWith } from './update.js';

/** Starts the replica of `cfg` on this machine if it is a member and the configuration is live. */
export function ensureReplica(
  s: State, cfg: number, members: readonly NodeId[], first: number, ctx: Ctx,
): State {
  if (cfg <= s.d || s.replicas.has(cfg) || !members.includes(s.id)) return s;
  assert(first >= 1, 'smart: a configuration starts at slot 1 or later');
  const r = newReplica(cfg, members, first);
  persist(ctx, `replica ${cfg}`);
  observe(ctx, 'replica', { config: cfg, first });
  // The configuration's first member campaigns at once so that a new configuration gets a
  // leader quickly; the others wait for the suspicion timeout, staggered by rank.
  // The declared mutant smart:stagger-subtracted subtracts the stagger (Stryker #6764).
  const rank = members.indexOf(s.id);
  const stagger = (s.flags.staggerSubtracted ? -rank : rank) * s.params.staggerUs;
  const at = rank === 0 ? ctx.now : ctx.now + s.params.leaderTimeoutUs + stagger;
  setTimer(ctx, { kind: 'election', cfg }, at);
  return withReplica(s, r);
}

/** P1.6 step 3: every replica that executes the MIGRATE sends JOIN to the new members. */
export function onMigrationExecuted(s: State, cfg: number, created: CfgEntry, ctx: Ctx): State {
  const join: Msg = { t: 'join', cfg: created.num, members: created.members, first: created.first };
  if (s.replicas.has(cfg)) broadcast(ctx, s.id, created.members, join);
  return ensureReplica(s, created.num, created.members, created.first, ctx);
}

export function onJoin(s: State, msg: Extract<Msg, { t: 'join' }>, ctx: Ctx): State {
  return ensureReplica(s, msg.cfg, msg.members, msg.first, ctx);
}

/** Answers a machine that saw traffic for a configuration it has no replica of. */
export function onJoinRequest(s: State, from: NodeId, cfg: number, ctx: Ctx): State {
  const entry = entryOf(s.em.table, cfg);
  const r = s.replicas.get(cfg);
  const members = entry?.members ?? r?.members;
  const first = entry?.first ?? r?.first;
  if (members === undefined || first === undefined) return s;
  send(ctx, from, { t: 'join', cfg, members, first });
  // Our ELECT beat the JOIN there and was dropped: ask again behind the JOIN rather than wait a
  // whole election timeout. After a write, so the promise it names is on disk before it leaves.
  // A few times per member and ballot (MAX_ELECTS_BEHIND_JOIN): a member whose JOINs are lost
  // answers each such ELECT with another JOIN-REQUEST, and the pair would loop.
  // The declared mutant smart:elect-cap-counts-others counts the other members' (Stryker #6292).
  const counted = (m: NodeId): boolean => (s.flags.electCapCountsOthers ? m !== from : m === from);
  if (r?.role === 'candidate' && r.members.includes(from) && !s.flags.noElectBehindJoin
    && r.reasked.filter(counted).length < MAX_ELECTS_BEHIND_JOIN) {
    persist(ctx, `sync before ELECT c=${cfg}`);
    send(ctx, from, { t: 'elect', cfg, ballot: r.promised });
    return withReplica(s, reaskedWith(r, from));
  }
  return s;
}

/** Marks replicas whose LastSlot has been executed as finished (P1.6 step 6). */
export function checkFinished(s: State, ctx: Ctx): State {
  let state = s;
  for (const r of replicaList(s)) {
    if (r.finished) continue;
    const last = lastSlotOf(state.em.table, r.cfg);
    if (last === null || state.em.lastExec < last) continue;
    const current = state.replicas.get(r.cfg);
    if (current === undefined) continue;
    state = withReplica(state, replicaWith(current, { finished: true }));
    observe(ctx, 'finished', { config: r.cfg, last });
    // The retire-early mutant destroys the replica as soon as its range is executed (#2, #8).
    if (s.flags.retireEarly) {
      state = learnDefunct(state, r.cfg, 'early', ctx);
      continue;
    }
    setTimer(ctx, { kind: 'finished', cfg: r.cfg }, ctx.now);
  }
  return state;
}

/** A finished replica keeps telling its successor until it learns it is defunct. */
export function onFinishedTimer(s: State, cfg: number, ctx: Ctx): State {
  const r = s.replicas.get(cfg);
  if (r === undefined || !r.finished) return s;
  const succ = entryOf(s.em.table, cfg + 1);
  if (succ === undefined) return s;
  setTimer(ctx, { kind: 'finished', cfg }, ctx.now + s.params.finishedUs);
  broadcast(ctx, s.id, succ.members, { t: 'finished', cfg });
  if (!succ.members.includes(s.id)) return s;
  // A colocated successor shares our execution module; its READY, like a remote one, counts
  // only once the checkpoint is on disk, so it reaches us as a message after a write.
  const local = s.replicas.get(cfg + 1);
  if (local === undefined || s.em.ckpt.index < local.first - 1) return s;
  if (s.flags.noSelfReady) return s; // The declared mutant: no READY to ourselves.
  persist(ctx, `sync before READY c=${cfg}`);
  send(ctx, s.id, { t: 'ready', cfg });
  return s;
}

/** P1.6 step 7: the successor answers READY once it holds a checkpoint of its starting state. */
export function onFinished(s: State, from: NodeId, cfg: number, ctx: Ctx): State {
  const r = s.replicas.get(cfg + 1);
  assert(r !== undefined, 'smart: FINISHED is routed to an existing successor replica');
  if (s.em.ckpt.index >= r.first - 1) {
    // READY vouches that the starting state survives a crash here: the predecessor retires on
    // a quorum of them. The checkpoint may still be in flight, so it leaves after a write.
    persist(ctx, `sync before READY c=${cfg}`);
    send(ctx, from, { t: 'ready', cfg });
    return s;
  }
  const pred = s.replicas.get(cfg);
  // A colocated predecessor will leave the shared EM in exactly the starting state.
  if (pred !== undefined && !pred.finished) return s;
  return fetchState(s, from, cfg, preferredSource(s, r, from), ctx);
}

/** P1.6 step 9: a quorum of READY from the successor makes this configuration defunct. */
export function onReady(s: State, from: NodeId, cfg: number, ctx: Ctx): State {
  const r = s.replicas.get(cfg);
  const succ = entryOf(s.em.table, cfg + 1);
  if (r === undefined || succ === undefined || !r.finished) return s;
  if (!succ.members.includes(from) || r.readyFrom.includes(from)) return s;
  const readyFrom = [...r.readyFrom, from];
  const state = withReplica(s, replicaWith(r, { readyFrom }));
  if (readyFrom.length < quorum(s, succ.members.length)) return state;
  return learnDefunct(state, cfg, 'ready', ctx);
}

/** Sets d, destroys every replica of configuration ≤ d and keeps the successor information. */
export function learnDefunct(s: State, cfg: number, why: string, ctx: Ctx): State {
  if (cfg <= s.d) return s;
  const later = s.em.table.filter((e) => e.num > cfg);
  const info = later.length > 0 ? later[later.length - 1]! : null;
  const succ: SuccInfo | null = info === null ? s.succ
    : { num: info.num, members: info.members, first: info.first };
  let replicas = s.replicas;
  for (const r of replicaList(s)) {
    if (r.cfg > cfg) continue;
    replicas = replicas.without(r.cfg);
    // The repository timer stays: it finds no leading replica and lapses.
    for (const kind of ['heartbeat', 'election', 'finished'] as const) {
      cancelTimer(ctx, { kind, cfg: r.cfg });
    }
    if (r.role === 'leader') {
      observe(ctx, 'role', { group: configGroup(r.cfg), role: 'follower', node: s.id });
    }
    observe(ctx, 'retire', { config: r.cfg, why, executed: s.em.lastExec });
    redirectQueue(s, r, succ, ctx);
  }
  persist(ctx, `defunct ${cfg}`);
  observe(ctx, 'defunct', { config: cfg });
  if (replicas.size === 0) observe(ctx, 'retired', {});
  return stateWith(s, { d: cfg, succ, replicas });
}

function redirectQueue(s: State, r: Replica, succ: SuccInfo | null, ctx: Ctx): void {
  if (r.role !== 'leader') return;
  for (const q of r.lead.queue) redirectClient(s, q.client, q.seq, succ, ctx);
}

/**
 * NEW-CONFIGURATION for a client: the members of a newer configuration, its first member, and
 * its number (a client that already follows a newer one ignores it).
 */
export function redirectClient(
  s: State, client: string, seq: number, info: SuccInfo | null, ctx: Ctx,
): void {
  if (info === null) return;
  if (!answered(ctx, client, seq, s.flags.answeredBySeq) || s.flags.redirectEveryQueue) {
    const leader = info.members[0];
    const news = { type: 'redirect' as const, members: info.members, config: info.num };
    reply(ctx, client, seq, leader === undefined ? news : { ...news, leader });
  }
  // Pair assertion with `answered`: either way the request has its answer in this step (Stryker
  // #6992 of the seed-54 sample matched another client's reply of the same number, and a queued
  // client went untold until its timeout while every check held).
  assert(ctx.out.some((e) => e.kind === 'reply' && e.to === client && e.seq === seq),
    `smart: request #${seq} of ${client} is told the newer configuration in this step`);
}

/**
 * Whether this step already answered the request: a machine answers it at most once a step. Two
 * local leaders may queue one request (an older one that held it while campaigning, a newer
 * one that held its retry), and when one step fills both ranges each flushed it: explore trial
 * 1630420 of smart-join-request-forgotten, where n1's leaders of configurations 13 and 12 both
 * redirected operator #9, to 14 and, after its MIGRATE executed and was answered, to 18. The
 * declared mutant smart:redirect-every-queue redirects from every queue, and
 * smart:answered-by-seq takes a reply of the same number to any client (`bySeq`) for one.
 */
function answered(ctx: Ctx, client: string, seq: number, bySeq: boolean): boolean {
  return ctx.out.some((e) => e.kind === 'reply' && (e.to === client || bySeq) && e.seq === seq);
}

/** The newest configuration this machine has heard of (table, defunct successor, repository). */
export function newestKnown(s: State): SuccInfo {
  const latest = latestEntry(s.em.table);
  let best: SuccInfo = { num: latest.num, members: latest.members, first: latest.first };
  if (s.succ !== null && s.succ.num > best.num) best = s.succ;
  if (s.repo !== null && s.repo.num > best.num) best = s.repo;
  return best;
}

/** MIGRATE from the operator client `from`: args {id, members}. */
export function parseMigrate(args: Json, from: OperatorRequester): MigrateCmd {
  const isObject = args !== null && typeof args === 'object' && !Array.isArray(args);
  assert(isObject, 'smart: migrate needs {id, members}');
  const obj = args as { readonly [k: string]: Json };
  const members = obj['members'];
  const id = obj['id'];
  assert(Array.isArray(members) && members.length > 0, 'smart: migrate needs a members list');
  assert(typeof id === 'string' && id.length > 0, 'smart: migrate needs a string id');
  const list = members.map((m) => String(m));
  assert(new Set(list).size === list.length, 'smart: migrate members must be distinct');
  return { t: 'migrate', id, members: list, client: from.client, seq: from.seq };
}

// ---- configuration repository (P1.6 step 12) ---------------------------------------------

/** The leader of an established configuration writes it to the repository periodically. */
export function onRepoTimer(s: State, cfg: number, ctx: Ctx): State {
  const r = s.replicas.get(cfg);
  if (r === undefined || r.role !== 'leader' || s.params.repoNode === null) return s;
  setTimer(ctx, { kind: 'repository', cfg }, ctx.now + s.params.repoWriteUs);
  // Not established yet.
  if ((r.lead.stable < r.first - 1 && !s.flags.writeUnestablished) || s.flags.repoSilent) return s;
  const info = { num: cfg, members: r.members, first: r.first };
  // The stable index counts our own checkpoint, which may still be on its way to disk: the
  // write leaves after it, as DEFUNCT does, or a crash could leave the repository naming a
  // configuration only a minority can serve (explore-drawn trial 20020 of
  // smart-migrate-consecutive, smart-repository).
  persist(ctx, `sync before REPO-WRITE c=${cfg}`);
  send(ctx, s.params.repoNode, { t: 'repoWrite', info });
  return s;
}

export function onRepoMessage(s: State, from: NodeId, msg: Msg, ctx: Ctx): State {
  if (msg.t === 'repoWrite') {
    const old = s.repo;
    send(ctx, from, { t: 'repoInfo', info: old });
    if ((old !== null && old.num >= msg.info.num) || s.flags.repoForgets) return s;
    return stateWith(s, { repo: msg.info });
  }
  if (msg.t === 'repoRead') {
    send(ctx, from, { t: 'repoInfo', info: s.repo });
    return s;
  }
  if (msg.t !== 'repoInfo' || msg.info === null) return s;
  const info = msg.info;
  // An older configuration in the repository than our established one is certainly defunct;
  // one we only lead is not established yet (a quorum of its members may lack the starting
  // state), and the answer may come to a read made before we led anything (explore seeds
  // 20117, 20393). The checkpoints our stable index counts include our own, which may still
  // be in flight: DEFUNCT leaves after a write.
  const mine = s.replicas.values().find((r) => r.role === 'leader' && r.cfg > info.num
    && r.lead.stable >= r.first - 1);
  if (mine !== undefined && !s.flags.repoNoDefunct) {
    persist(ctx, `sync before DEFUNCT c=${info.num}`);
    broadcast(ctx, s.id, info.members, { t: 'defunct', cfg: info.num });
  }
  if (s.repo !== null && s.repo.num >= info.num) return s;
  return stateWith(s, { repo: info });
}

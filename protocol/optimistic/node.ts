/** Node-level plumbing: replica bookkeeping, client routing and forwarding, boot and recovery. */
import { assert } from '../assert.js';
import type { ClientRequest, NodeId, StepResult } from '../types.js';
import { emptyData } from './data.js';
import { EPOCH_ZERO, GEN_MOD, cmpGen, eqEpoch, genOf } from './epoch.js';
import { observe, reject, send } from './effects.js';
import { serviceGroup } from './observations.js';
import { serviceOf } from './placement.js';
import { onRequest } from './primary.js';
import { keepOrphans } from './outbox.js';
import { newReplica } from './replica.js';
import type { DirEntry, Disk, Epoch, Msg, Out, Replica, RepStep, State } from './types.js';
import { mapWith, mapWithout } from '../map-with.js';
import { agentWith, stateWith } from './records.js';

export type Result = StepResult<State, Msg>;

/** Whether the directory entry already names the replica's epoch. */
function sameEpoch(d: DirEntry, rep: Replica): boolean {
  return d.epoch !== undefined && eqEpoch(d.epoch, rep.epoch);
}

/**
 * `maxEpoch(top, { ...e, n: '' })`, building that epoch only when it wins (every `withRep`
 * asks, and the node's claim floor rarely moves). `top` is a floor: its node is ''.
 */
function raiseTop(top: Epoch, e: Epoch): Epoch {
  const g = cmpGen(genOf(top), genOf(e));
  return g > 0 || (g === 0 && top.c >= e.c) ? top : { ...e, n: '' };
}

/** Installs a replica step's result into the node state; drops a replica that left its group. */
export function withRep(s0: State, svc: number, step: RepStep, out: Out): State {
  const s = keepOrphans(s0, step.out, out);
  const rep = step.rep;
  if (rep !== null && rep === s.reps.get(svc) && rep.members.includes(s.id)) {
    // Nothing changed for this replica: keep the node state (no allocation on the hot path)
    // unless its epoch raises the node's claim floor or the directory lags behind it.
    const old = s.dir.get(svc);
    const top = raiseTop(s.epochTop, rep.epoch);
    if (top === s.epochTop && old !== undefined && old.members === rep.members
      && old.mver === rep.mver && old.primary === rep.primary && sameEpoch(old, rep)) return s;
  }
  let reps = s.reps;
  let epochTop = s.epochTop;
  let left = s.left;
  if (rep === null || !rep.members.includes(s.id)) {
    if (!s.reps.has(svc)) return s;
    reps = mapWithout(reps, svc);
    if (rep !== null) left = mapWith(left, svc, rep.mver);
    out.push(
      observe('opb.leave', { service: svc, membershipVersion: rep?.mver ?? -1 }),
      observe('retired', { group: serviceGroup(svc) }),
    );
  } else {
    reps = mapWith(reps, svc, rep);
    epochTop = raiseTop(epochTop, rep.epoch);
  }
  const old = s.dir.get(svc);
  const same = rep === null
    || (old !== undefined && old.members === rep.members && old.mver === rep.mver
      && old.primary === rep.primary && sameEpoch(old, rep));
  const dir = same ? s.dir : mapWith(s.dir, svc,
    { members: rep.members, mver: rep.mver, primary: rep.primary, epoch: rep.epoch });
  return stateWith(s, { reps, epochTop, dir, left });
}

export function sortedReps(s: State): Replica[] {
  return [...s.reps.keys()].sort((a, b) => a - b).map((k) => s.reps.get(k)!);
}

/** Where to forward a request for a service we do not lead. */
function forwardTarget(s: State, svc: number): NodeId | null {
  const rep = s.reps.get(svc);
  if (rep !== undefined && rep.primary !== null && rep.primary !== s.id) return rep.primary;
  const d = s.dir.get(svc);
  if (d === undefined) return null;
  if (d.primary !== null && d.primary !== s.id) return d.primary;
  return d.members.find((m) => m !== s.id) ?? null;
}

function asleep(s: State, req: ClientRequest, svc: number): Out[number] {
  const d = s.dir.get(svc);
  // The declared mutant opb:asleep-refuses refuses without pointing (Stryker #2476 of seed 48).
  if (d === undefined || d.members.length === 0 || s.mutant === 'asleep-refuses') {
    return reject(req, 'asleep');
  }
  const outcome = d.primary === null ? { type: 'redirect' as const, members: d.members }
    : { type: 'redirect' as const, leader: d.primary, members: d.members };
  return { kind: 'reply', to: req.client, seq: req.seq, outcome };
}

export function route(s: State, req: ClientRequest, hops: number): Result {
  const svc = serviceOf(req.op.key, s.params.services);
  const rep = s.reps.get(svc);
  const out: Out = [];
  // A sleeping machine does not serve or forward: it points the client at the group it knows
  // (a refusal alone can leave a client cycling through sleeping machines: found by explore).
  if (!s.agent.on) {
    // Pair assertion with wakeFilter, which drops every FWD while asleep (Stryker #2623 of the
    // seed-51 sample mutated a branch for a forward here that no schedule can reach).
    assert(hops === 0, 'opb: a sleeping node is never handed a forwarded request');
    return { state: s, effects: [asleep(s, req, svc)] };
  }
  if (rep !== undefined && rep.role === 'primary') {
    return { state: withRep(s, svc, onRequest(s, rep, req), out), effects: out };
  }
  const target = forwardTarget(s, svc);
  if (target === null || hops >= 3) {
    if (hops === 0) out.push(reject(req, 'no known primary'));
    return { state: s, effects: out };
  }
  return { state: s, effects: [send(target, { t: 'fwd', svc, req, hops: hops + 1 })] };
}

/** Boot and recovery: replicas come back as backups from the durable part (never primary). */
export function recover(s: State, durable: Disk | null, now: number): State {
  const reps = new Map<number, Replica>();
  if (durable === null) {
    for (const k of [...s.reps.keys()].sort((a, b) => a - b)) {
      const r = s.reps.get(k)!;
      reps.set(k, newReplica(k, r.members, r.mver, now, emptyData));
    }
  } else {
    for (const k of [...durable.reps.keys()].sort((a, b) => a - b)) {
      const d = durable.reps.get(k)!;
      reps.set(k, newReplica(k, d.members, d.mver, now, d.data, d.epoch));
    }
  }
  // After amnesia (a lost disk, not the first boot) the epochs this machine claimed are
  // forgotten; reusing one breaks log matching (explore: a lone survivor re-claimed 1.n1 and a
  // winner's dedup re-executed writes). Claims restart above the boot time in ms, like a hybrid
  // logical clock: a machine claiming less than one epoch per ms cannot meet its old ones.
  const epochTop = durable !== null ? durable.epochTop : now === 0 ? EPOCH_ZERO
    : amnesiaFloor(Math.floor(now / 1000), s.params.epochLimit);
  const on = durable === null ? true : durable.on;
  const outbox = durable === null ? new Map() : durable.outbox;
  assert(now >= 0, 'opb: time runs forward');
  return stateWith(s, { now, bootAt: now, tickAt: now, stallAt: -1, stallSince: -1, reps,
    epochTop, outbox,
    agent: agentWith(s.agent, { on, peers: new Map(), windowAt: now }),
  });
}

/**
 * The epoch `ms` claims up: `ms` counts claims as `nextEpoch` does, a counter below `limit`
 * then a new generation per `limit - 1` claims (with a small `epochLimit` a counter floor alone
 * stays in generation 0, below claims of later generations: explore seed 700995, epochLimit 2,
 * a lone amnesiac primary re-claimed 1:1.n9, its name before the disk was lost). Generations
 * compare modulo GEN_MOD; a run's claims stay far inside half of it.
 */
export function amnesiaFloor(ms: number, limit: number): Epoch {
  if (ms < limit - 1) return { c: ms, n: '' };
  const g = Math.floor(ms / (limit - 1)) % GEN_MOD;
  const c = ms % (limit - 1);
  return g === 0 ? { c, n: '' } : { c, n: '', g };
}

export function durableOf(s: State): Disk {
  const reps = new Map<number, Disk['reps'] extends ReadonlyMap<number, infer V> ? V : never>();
  for (const r of sortedReps(s)) {
    reps.set(r.svc, { members: r.members, mver: r.mver, epoch: r.epoch, data: r.data });
  }
  return { epochTop: s.epochTop, on: s.agent.on, reps, outbox: s.outbox };
}

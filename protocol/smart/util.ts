/** Small helpers shared by every SMART role: quorums, ballots, effects, configuration lookups. */
import type { NodeId, ObservationData, ReplyOutcome } from '../types.js';
import type { SmartObservation } from './observations.js';
import { encodeTimer, type SmartTimer } from './timers.js';
import {
  BALLOT_SPAN, type CfgEntry, type Cmd, type Ctx, type Leader, type Msg, type Replica,
  type State,
} from './types.js';
import { stateWith } from './update.js';

/** What the operator hears once its MIGRATE is executed. */
export const MIGRATED: ReplyOutcome = { type: 'done', result: { ok: true } };

export function send(ctx: Ctx, to: NodeId, msg: Msg): void {
  ctx.out.push({ kind: 'send', to, msg });
}

export function broadcast(ctx: Ctx, self: NodeId, members: readonly NodeId[], msg: Msg): void {
  for (const m of members) if (m !== self) send(ctx, m, msg);
}

/** The one door for SMART's observations: the label picks the declared shape of `data`. */
export function observe<L extends SmartObservation['label']>(
  ctx: Ctx, label: L, data: ObservationData<SmartObservation, L>,
): void {
  // Widening to the union's data (itself checked to be Json) just forgets which label it was.
  ctx.out.push({ kind: 'observe', label, data: data as SmartObservation['data'] });
}

export function persist(ctx: Ctx, what: string): void {
  ctx.out.push({ kind: 'persist', what });
}

export function reply(ctx: Ctx, client: string, seq: number, outcome: ReplyOutcome): void {
  ctx.out.push({ kind: 'reply', to: client, seq, outcome });
}

export function setTimer(ctx: Ctx, timer: SmartTimer, at: number): void {
  ctx.out.push({ kind: 'setTimer', timer: encodeTimer(timer), at });
}

export function cancelTimer(ctx: Ctx, timer: SmartTimer): void {
  ctx.out.push({ kind: 'cancelTimer', timer: encodeTimer(timer) });
}

/** A majority of `size` machines; the minority-quorum mutant is off by one. */
export function quorum(s: State, size: number): number {
  if (s.flags.minorityQuorum) return Math.max(1, Math.floor(size / 2));
  if (s.flags.halfQuorum) return Math.ceil(size / 2);
  return Math.floor(size / 2) + 1;
}

export function ballotOf(round: number, idx: number): number {
  return round * BALLOT_SPAN + idx;
}

export function roundOf(ballot: number): number {
  return Math.floor(ballot / BALLOT_SPAN);
}

export function describeBallot(ballot: number): string {
  return `${roundOf(ballot)}.${ballot % BALLOT_SPAN}`;
}

const opKeys = new WeakMap<Cmd, string>();

/** Identity of a slot value for checkers: equal keys mean the same request. */
export function cmdKey(cmd: Cmd): string {
  switch (cmd.t) {
    case 'op': {
      // A command is one immutable object shared by every message, log and replica that holds
      // it, and its key is asked for at every step (observations, inflight sets, invariants):
      // built once per command, not once per question.
      let key = opKeys.get(cmd);
      if (key === undefined) {
        key = `${cmd.client}#${cmd.seq}`;
        opKeys.set(cmd, key);
      }
      return key;
    }
    case 'null':
      return 'null';
    case 'migrate':
      return `migrate:${cmd.id}`;
  }
}

/**
 * What a leader still has in flight, read from its queue and log rather than from `inflight`:
 * the requests it queued, and the commands of the slots it proposed above the executed index
 * (from FirstSlot: a range starts there). The α window bounds those slots, so a leader never
 * has more than its queue plus α requests in flight.
 */
export function openRequests(s: State, r: Leader): Set<string> {
  const open = new Set(r.lead.queue.map(cmdKey));
  for (let slot = Math.max(s.em.lastExec + 1, r.first); slot < r.lead.nextSlot; slot++) {
    const e = r.log.get(slot);
    if (e !== undefined) open.add(cmdKey(e.cmd));
  }
  return open;
}

/**
 * The first key of the leader's `inflight` (in its order) that `openRequests` does not hold, or
 * undefined when all are open. Asked after every executed slot and by the invariants at every
 * step, where the answer is almost always "none": with a short queue and window it scans them
 * in place instead of building the set (the keys are the very strings cmdKey memoizes).
 */
export function strayInflight(s: State, r: Leader): string | undefined {
  const lead = r.lead;
  if (lead.inflight.size === 0) return undefined;
  const from = Math.max(s.em.lastExec + 1, r.first);
  if (lead.queue.length + (lead.nextSlot - from) > SCAN_LIMIT) {
    const open = openRequests(s, r);
    for (const key of lead.inflight) if (!open.has(key)) return key;
    return undefined;
  }
  for (const key of lead.inflight) if (!isOpen(r, from, key)) return key;
  return undefined;
}

/** Beyond this many queued requests plus proposed slots, a set beats scanning per key. */
const SCAN_LIMIT = 16;

function isOpen(r: Leader, from: number, key: string): boolean {
  const queue = r.lead.queue;
  for (let i = 0; i < queue.length; i++) if (cmdKey(queue[i]!) === key) return true;
  for (let slot = from; slot < r.lead.nextSlot; slot++) {
    const e = r.log.get(slot);
    if (e !== undefined && cmdKey(e.cmd) === key) return true;
  }
  return false;
}

export function entryOf(table: readonly CfgEntry[], cfg: number): CfgEntry | undefined {
  // Plain loops in these lookups: they run several times per step, and a callback per call
  // allocated a closure each time (7 % of a SMART run's allocations, measured unoptimized).
  for (let i = 0; i < table.length; i++) if (table[i]!.num === cfg) return table[i];
  return undefined;
}

/**
 * LastSlot of `cfg` as the execution module sees it: null while no successor is known. A
 * configuration whose entry was garbage-collected ends where the next remaining one starts,
 * because entries are collected in slot order.
 */
export function lastSlotOf(table: readonly CfgEntry[], cfg: number): number | null {
  const entry = entryOf(table, cfg);
  if (entry !== undefined) return entry.last;
  for (let i = 0; i < table.length; i++) if (table[i]!.num > cfg) return table[i]!.first - 1;
  return null;
}

/** The configuration responsible for `slot`, or null if the table does not cover it. */
export function cfgOf(table: readonly CfgEntry[], slot: number): number | null {
  for (const e of table) {
    if (slot >= e.first && (e.last === null || slot <= e.last)) return e.num;
  }
  return null;
}

export function latestEntry(table: readonly CfgEntry[]): CfgEntry {
  const last = table[table.length - 1];
  if (last === undefined) throw new Error('smart: empty configuration table');
  return last;
}

export function withReplica(s: State, r: Replica): State {
  if (s.replicas.get(r.cfg) === r) return s; // Unchanged: keep the state object (cheap no-op).
  return stateWith(s, { replicas: s.replicas.with(r) });
}

/** Local replicas in ascending configuration order. */
export function replicaList(s: State): readonly Replica[] {
  return s.replicas.sorted();
}

/** Whether `slot` is inside the replica's range as its execution module currently knows it. */
export function inRange(s: State, r: Replica, slot: number): boolean {
  if (slot < r.first) return false;
  const last = lastSlotOf(s.em.table, r.cfg);
  return last === null || slot <= last;
}

/**
 * The primary's side of replication (P2.4): execute, ship state updates, count backup acks,
 * reply after `w` of them, keep lagging backups in sync, re-execute re-submitted orphans.
 */
import { maybe } from '../assert.js';
import { kvApply } from '../kv.js';
import type { ClientId, ClientRequest, NodeId } from '../types.js';
import type { KvResult } from '../kv-types.js';
import { eqEpoch, epochText } from './epoch.js';
import {
  checkpoint, checkpointDue, entriesAfter, entryAt, epochOf, executed as hasExecuted, executeWrite,
  lastIndex, tagAt,
} from './data.js';
import { done, observe, persist, send, sendAll } from './effects.js';
import { alive, myClaim, stableIndex } from './replica.js';
import type { Entry, Epoch, Msg, Notice, Out, Replica, RepStep, State } from './types.js';
import { mapWith } from '../map-with.js';
import { repWith } from './records.js';

/** Acks needed before replying: w, capped by the number of unsuspected backups (P2.4 #4). */
function needed(s: State, rep: Replica): number {
  const live = rep.members.filter((m) => m !== s.id && alive(s, rep, m)).length;
  return Math.min(s.params.w, live);
}

/** Backups known to hold entry i (they acknowledged it or a later one). */
function holders(s: State, rep: Replica, i: number): string[] {
  return rep.members.filter((m) => m !== s.id && (rep.acked.get(m) ?? 0) >= i);
}

/** Which backups held an update when its client was told it was done (C6 judges by it). */
function ackedObs(s: State, rep: Replica, i: number, client: string, seq: number): Out[number] {
  return observe('opb.acked',
    { service: rep.svc, index: i, client, seq, backups: holders(s, rep, i) });
}

function committed(s: State, rep: Replica, i: number): boolean {
  const need = needed(s, rep);
  if (need === 0) return true;
  let n = 0;
  for (const m of rep.members) if (m !== s.id && (rep.acked.get(m) ?? 0) >= i) n++;
  return n >= need;
}

/**
 * The client's newest request this primary knows of while it holds the notice: its dropped
 * writes, the requests it handled since, its newest write executed here (the dedup table:
 * explore trial 4300038 of opb-backup-restart answered c0's #193 and #194 before dropping its
 * writes, then a forwarded copy of the older #191, which must not arm the drop either), and its
 * newest request handled here at all, reads too (`asked`: explore trial 1090043 of
 * opb-stale-transfer answered c5's read #17 before dropping its writes, then late retries of its
 * older write #16, whose reply armed the drop, and a late copy of #17 dropped the notice unseen).
 * A notice this primary made holds `asked` as it was then (`answered`, onDiscarded), but one
 * handed over (a step-down's RESUBMIT, a HANDOFF: `withNotices`) does not: opb-notice-handed-
 * late-read hands n1 c0's notice after n1 answered c0's #8, then a held copy of #7 arrives.
 * The declared mutant opb:notice-read-unseen leaves `asked` out (the writes-only rule before)
 * and lets any reply arm the drop (`answer`); opb:notice-newest-skips-asked leaves it out only
 * (Stryker #3306 of the seed-51 sample).
 */
function newestOf(s: State, n: Notice, rep: Replica, client: string): number {
  const skip = s.mutant === 'notice-read-unseen' || s.mutant === 'notice-newest-skips-asked';
  const read = skip ? -1 : rep.asked.get(client) ?? -1;
  return Math.max(n.newest ?? -1, n.seqs[n.seqs.length - 1] ?? -1,
    rep.data.dedup.get(client)?.seq ?? -1, read);
}

/** Remembers the client's newest request handled here (reads too: see `newestOf`). */
function asked(rep: Replica, req: ClientRequest): Replica {
  if ((rep.asked.get(req.client) ?? -1) >= req.seq) return rep;
  return repWith(rep, { asked: mapWith(rep.asked, req.client, req.seq) });
}

/**
 * A reply, carrying the client's pending discard notice if any. The notice rides on every
 * reply to that client until it sends a later request (so a lost reply does not lose it). Only
 * a reply to the client's newest known request arms that drop: a late retry of an older one
 * (explore trial 410736: a paused backup held it past the discard) is answered after the client
 * moved on, which says nothing of whether it saw that reply, so its newer request would drop
 * the notice unseen (the declared mutant opb:notice-armed-by-stale-reply).
 */
function answer(
  s: State, rep: Replica, client: string, seq: number, result: KvResult, out: Out,
): Replica {
  const n = rep.notices.get(client);
  // A dropped request the client resent here since (a broadcast retry) is no longer lost.
  out.push(done(client, seq, result, n?.seqs.filter((q) => !hasExecuted(rep.data, client, q))));
  if (n === undefined || n.upTo >= seq) return rep;
  // The declared mutant opb:notice-armed-by-stale-reply lets any reply arm the drop.
  const judged = s.mutant !== 'notice-armed-by-stale-reply';
  if (judged && seq < newestOf(s, n, rep, client)) return rep;
  // A request the client had been answered for before the drop: its next request says it had
  // an answer, not this one (a duplicate reply behind a slow disk: sweep seed 34 of
  // opb-notice-read-newest's variant in regressions/). opb:notice-read-unseen skips this too.
  if (judged && seq <= (n.answered ?? -1) && s.mutant !== 'notice-read-unseen') return rep;
  // The declared mutant opb:notice-never-retired never arms it (Stryker #3343 of seed 50).
  if (s.mutant === 'notice-never-retired') return rep;
  return repWith(rep, { notices: mapWith(rep.notices, client, { ...n, upTo: seq }) });
}

/**
 * Drops a notice once its client moved past the request whose reply carried it; until then
 * remembers the client's newest request.
 */
function noticeSeen(s: State, rep: Replica, req: ClientRequest): Replica {
  const n = rep.notices.get(req.client);
  if (n === undefined) return rep;
  if (n.upTo >= 0 && req.seq > n.upTo) {
    const notices = new Map(rep.notices);
    notices.delete(req.client);
    return repWith(rep, { notices });
  }
  if (req.seq <= newestOf(s, n, rep, req.client)) return rep;
  return repWith(rep, { notices: mapWith(rep.notices, req.client, { ...n, newest: req.seq }) });
}

/** Replies to every waiting request whose update enough backups hold. */
export function release(s: State, rep0: Replica, out: Out): Replica {
  if (rep0.waiting.length === 0) return rep0;
  let rep = rep0;
  const keep = rep0.waiting.filter((w) => {
    if (!committed(s, rep0, w.i)) return true;
    const entry = entryAt(rep0.data, w.i);
    const same = entry !== undefined && entry.client === w.client && entry.seq === w.seq;
    if (same) {
      out.push(ackedObs(s, rep0, w.i, w.client, w.seq));
      rep = answer(s, rep, w.client, w.seq, entry.result, out);
    }
    return false;
  });
  return keep.length === rep0.waiting.length ? rep : repWith(rep, { waiting: keep });
}

function execObs(svc: number, entry: Entry, resubmit: boolean): Out[number] {
  return observe('opb.exec', {
    service: svc, epoch: epochText(entry.e), index: entry.i, client: entry.client, seq: entry.seq,
    value: entry.op.type === 'get' ? '' : entry.op.value, resubmit,
  });
}

function upd(s: State, rep: Replica, prevI: number, entries: readonly Entry[]): Msg {
  return {
    t: 'upd', svc: rep.svc, claim: myClaim(s, rep), prevI, prevE: epochOf(rep.data, prevI),
    prevTag: tagAt(rep.data, prevI), entries, stable: stableIndex(s, rep),
  };
}

function ship(s: State, rep: Replica, entries: readonly Entry[]): Out {
  return sendAll(rep.members, s.id, upd(s, rep, entries[0]!.i - 1, entries));
}

/** Periodic checkpoint at the primary (P2.4 #6): bounds the log once every member holds it. */
export function maybeCheckpoint(s: State, rep: Replica, out: Out): Replica {
  const upTo = checkpointDue(rep.data, s.params.logKeep, stableIndex(s, rep));
  if (upTo === null) return rep;
  out.push(observe('opb.checkpoint', { service: rep.svc, base: upTo }), persist(`${rep.svc}:ckpt`));
  return repWith(rep, { data: checkpoint(rep.data, upTo) });
}

/**
 * A full state transfer (the checkpoint plus the retained log), at most one per T_fd per backup.
 */
function transfer(s: State, rep: Replica, to: NodeId, out: Out): Replica {
  const at = rep.xferAt.get(to);
  if (at !== undefined && s.now - at < s.params.fdUs) return rep;
  out.push(send(to, { t: 'xfer', svc: rep.svc, claim: myClaim(s, rep), data: rep.data }));
  const acked = new Map(rep.acked);
  acked.delete(to);
  return repWith(rep, { xferAt: mapWith(rep.xferAt, to, s.now), acked });
}

/** Executes a client write (or a re-submitted one, which nobody waits for). */
function execute(s: State, rep: Replica, req: ClientRequest, resubmit: boolean, out: Out): Replica {
  const { data, entry } = executeWrite(rep.data, rep.epoch, req);
  out.push(
    execObs(rep.svc, entry, resubmit),
    persist(`${rep.svc}:${entry.i}`),
    ...ship(s, repWith(rep, { data }), [entry]),
  );
  const waiting = resubmit
    ? rep.waiting
    : [...rep.waiting, { i: entry.i, client: req.client, seq: req.seq }];
  const sent = new Map(rep.sent);
  for (const m of rep.members) {
    if (sent.get(m)?.i === entry.i - 1) sent.set(m, { i: entry.i, at: s.now });
  }
  return repWith(rep, { data, waiting, sent });
}

/** A client request (directly or forwarded) at the primary. */
export function onRequest(s: State, rep: Replica, req: ClientRequest): RepStep {
  const out: Out = [];
  const counted = repWith(asked(noticeSeen(s, rep, req), req), { count: rep.count + 1 });
  if (req.op.type === 'get') {
    return {
      rep: answer(s, counted, req.client, req.seq, kvApply(rep.data.store, req.op).result, out),
      out,
    };
  }
  const d = rep.data.dedup.get(req.client);
  if (d !== undefined && d.seq > req.seq) return { rep: counted, out };
  if (d !== undefined && d.seq === req.seq) {
    // The declared mutant opb:answer-retry-early answers a retry before its write is committed;
    // opb:retry-to-waiting leaves a committed one to `release`, which drops it once a
    // checkpoint folded its entry (then the write is never answered).
    if ((committed(s, rep, d.i) && s.mutant !== 'retry-to-waiting')
      || s.mutant === 'answer-retry-early') {
      out.push(ackedObs(s, rep, d.i, req.client, req.seq));
      return { rep: answer(s, counted, req.client, req.seq, d.result, out), out };
    }
    if (rep.waiting.some((w) => w.client === req.client && w.seq === req.seq)) {
      return { rep: counted, out };
    }
    return {
      rep: repWith(counted,
        { waiting: [...rep.waiting, { i: d.i, client: req.client, seq: req.seq }] }),
      out,
    };
  }
  // A handback's drain holds new writes (balance.ts `drainForHandback`): counted where they run.
  if (rep.drain !== null) {
    const held = rep.drain.held;
    if (held.some((h) => h.client === req.client && h.seq === req.seq)) return { rep, out };
    return { rep: repWith(rep, { drain: { at: rep.drain.at, held: [...held, req] } }), out };
  }
  const next = execute(s, counted, req, false, out);
  return { rep: release(s, next, out), out };
}

/**
 * Ends a handback's drain once it has lasted T_fd without the top member's ACK of our tip
 * (lost, or the member slowed down): the held writes run here, in the order they came, and the
 * attempt starts the cool-down like a move, so a member that cannot keep up does not stall the
 * writes again at its next ACK.
 */
export function drainExpired(s: State, rep: Replica, out: Out): Replica {
  const d = rep.drain;
  if (d === null || s.now - d.at < s.params.fdUs) return rep;
  let r = repWith(rep, { drain: null, lastMoveAt: s.now });
  for (const req of d.held) {
    const step = onRequest(s, r, req);
    r = step.rep!;
    out.push(...step.out);
  }
  return r;
}

/** Re-submitted orphans of a loser (P2.5): re-executed in order; dedup skips executed ones. */
export function onResubmit(
  s: State, rep: Replica, epoch: Epoch, reqs: readonly ClientRequest[],
): RepStep {
  maybe(eqEpoch(epoch, rep.epoch));
  if (rep.role !== 'primary') return { rep, out: [] };
  const out: Out = [];
  let next = rep;
  for (const req of reqs) {
    if (s.mutant !== 'no-dedup' && hasExecuted(next.data, req.client, req.seq)) continue;
    next = execute(s, next, req, true, out);
  }
  const executed = lastIndex(next.data) - lastIndex(rep.data);
  out.push(observe('opb.resubmit', { service: rep.svc, received: reqs.length, executed }));
  return { rep: release(s, next, out), out };
}

/**
 * Orphans dropped under policy `discard` (P2.5): those the winner never executed are lost; their
 * clients are told at their next access (a best-effort notice kept by this primary only).
 */
export function onDiscarded(s: State, rep: Replica, reqs: readonly ClientRequest[]): RepStep {
  if (rep.role !== 'primary') return { rep, out: [] };
  const notices = new Map(rep.notices);
  let lost = 0;
  for (const req of reqs) {
    if (hasExecuted(rep.data, req.client, req.seq)) continue;
    const n = notices.get(req.client) ?? { seqs: [], upTo: -1 };
    if (n.seqs.includes(req.seq)) continue;
    const answered = Math.max(n.answered ?? -1, rep.asked.get(req.client) ?? -1,
      rep.data.dedup.get(req.client)?.seq ?? -1);
    notices.set(req.client,
      { ...n, seqs: [...n.seqs, req.seq].sort((a, b) => a - b), upTo: -1, answered });
    lost++;
  }
  const out = [observe('opb.discard', { service: rep.svc, received: reqs.length, lost })];
  // The declared mutant opb:discard-untold keeps no notice: the clients are never told.
  const untold = lost === 0 || s.mutant === 'discard-untold';
  return { rep: untold ? rep : repWith(rep, { notices }), out };
}

/** Pending notices joined: a client's dropped requests from both, to be carried again. */
export function withNotices(
  mine: ReadonlyMap<ClientId, Notice>, theirs: ReadonlyMap<ClientId, Notice>,
): ReadonlyMap<ClientId, Notice> {
  const all = new Map(mine);
  for (const [client, n] of theirs) {
    const seqs = [...new Set([...(all.get(client)?.seqs ?? []), ...n.seqs])].sort((a, b) => a - b);
    const newest = Math.max(all.get(client)?.newest ?? -1, n.newest ?? -1);
    const answered = Math.max(all.get(client)?.answered ?? -1, n.answered ?? -1);
    all.set(client, { seqs, upTo: -1, ...(newest < 0 ? {} : { newest }),
      ...(answered < 0 ? {} : { answered }) });
  }
  return all;
}

/**
 * Whether member `from`'s heartbeat, reporting index `idx` on our lineage, says it lost entries
 * it acked: a backup's memory is at or past what is on its disk, and it acks only what is there,
 * so a report below its ACK is either older than the ACK (overtaken on the way, common while
 * writes stream) or follows a loss of its disk (amnesia, corruption). We take it for a loss
 * only when the ACK counted at least 2 T_hb before: a heartbeat sent before it would have been
 * on its way longer than the catch-up's in-flight window assumes of any message.
 * Explore trial 1540148 of opb-handback-unacked (k=4 w=2 discard): n1 acked index 1 to n5 at
 * 0.269 s, crashed at 0.5 s and came back with an empty disk at 0.8 s; its ACKs were then lost
 * until 3 s, while 19 of its heartbeats told n5 it held index 0; n5 still counted the old ACK,
 * handed the role back to n1 at 1.767 s (P2.6 #2: the successor holds every update), and n1's
 * empty state transfer made every backup discard the write, acknowledged to its client.
 */
function lostAcked(s: State, rep: Replica, from: NodeId, idx: number): boolean {
  const acked = rep.acked.get(from);
  const at = rep.ackAt.get(from);
  return acked !== undefined && idx < acked && at !== undefined
    && s.now - at >= 2 * s.params.hbUs;
}

/**
 * `rep` without member `from`'s ACK when its heartbeat, reporting index `idx` on our lineage,
 * says it lost what it acked (`lostAcked`), else `rep` itself. Applied to every member's
 * heartbeat, whether it follows us (onSync) or names no or another primary or epoch
 * (messages.ts): a member back without its disk follows nobody, so its first heartbeats name no
 * primary (the built-in opb-handback-amnesiac without its cut, seeds 1 and 4: n1's heartbeat
 * reporting index 0 reached n5 before n5's handback, which went out on n1's old ACK). The
 * declared mutant opb:handback-on-lost-ack keeps trusting the ACK (the rule before the fix of
 * explore trial 1540148).
 */
export function forgetLostAck(
  s: State, rep: Replica, from: NodeId, idx: number, lastE: Epoch | null, tag: string,
): Replica {
  const onLineage = idx <= lastIndex(rep.data) && eqEpoch(epochOf(rep.data, idx), lastE)
    && tagAt(rep.data, idx) === tag;
  if (!onLineage || s.mutant === 'handback-on-lost-ack' || !lostAcked(s, rep, from, idx)) {
    return rep;
  }
  const acked = new Map(rep.acked);
  acked.delete(from);
  return repWith(rep, { acked });
}

/**
 * Whether member `from`, reporting our tip on our lineage with no ACK counted, gets an empty
 * update to draw its ACK although no reply waits: only where a handback may pick it (the
 * top-priority member, non-sticky: P2.10 #3), which needs an ACK of the tip (P2.6 #2); its
 * heartbeat does not count as one (it may report what is not yet on its disk). Elsewhere a
 * member at the tip needs no ACK, and every extra message would change runs. Without this, in
 * an idle service, a top member whose ACK of the tip was lost was never sent another update, so
 * it never acked again and the role never went back: opb-handback-lost-ack with an 8 s settle
 * (n5 forgot n1's old ACK, `lostAcked`, shipped it the tail, and n1's ACK of it was lost), and
 * the same after a transfer whose ACK was lost (its logKeep-2 variant); the regressions
 * crafted-handback-lost-ack-*. It costs one empty update per heartbeat of that member (one per
 * T_hb) until its ACK counts.
 */
function drawAck(s: State, rep: Replica, from: NodeId, idx: number): boolean {
  const sticky = s.params.sticky && s.mutant !== 'ignore-sticky';
  return idx === lastIndex(rep.data) && from === rep.members[0] && s.params.reorg && !sticky;
}

/**
 * A backup reports its position: sync it with a tail of updates or a full state transfer. Only an
 * `ack` (sent once the backup's write is on disk) counts towards `w`; a heartbeat's position may
 * still be in the backup's disk queue, so it can start a catch-up but acknowledges nothing (the
 * disk model exposed heartbeats releasing replies for entries a crash then lost: opb-slow-disk).
 */
export function onSync(
  s: State, rep: Replica, from: NodeId, idx: number, lastE: Epoch | null, tag: string,
  durable: boolean,
): RepStep {
  if (rep.role !== 'primary' || !rep.members.includes(from) || from === s.id) {
    return { rep, out: [] };
  }
  const last = lastIndex(rep.data);
  const out: Out = [];
  const matches = idx <= last && eqEpoch(epochOf(rep.data, idx), lastE)
    && tagAt(rep.data, idx) === tag;
  // The declared mutant opb:late-ack-as-divergence takes every such ACK for a divergence.
  if (!matches && durable && idx < rep.data.base && eqEpoch(epochOf(rep.data, idx), lastE)
    && s.mutant !== 'late-ack-as-divergence') {
    // An ACK below our checkpoint, of an entry on our lineage: only the lineage's epochs remain
    // there, the tag is unknown (a backup judges an update's predecessor there the same way,
    // backup.ts). The backup reports itself behind our log, so it gets a transfer, but the ACK
    // counts where it raises what we counted: taken for a divergence, a late ACK that came
    // after the transfer (one per T_fd) was dropped. Explore trial 924981 of
    // opb-bridge-loser-leaves: n7's ACKs of 17 reached n1 late, behind its ACKs of 18 and n1's
    // checkpoint at 18; the first drew a transfer (which forgets acks), the second was dropped,
    // and n1 answered c4#6 (index 17) listing [n13] alone.
    const counted = Math.max(idx, rep.acked.get(from) ?? -1);
    const acked = mapWith(rep.acked, from, counted);
    const ackAt = mapWith(rep.ackAt, from, s.now);
    return { rep: transfer(s, repWith(rep, { acked, ackAt }), from, out), out };
  }
  // Its ACK no longer vouches for it: forget it, as a transfer does, so the branch below ships
  // it the tail from its report and no planned handoff takes it for caught up (P2.6 #2).
  const forgot = matches && !durable ? forgetLostAck(s, rep, from, idx, lastE, tag) : rep;
  if (forgot !== rep) return onSync(s, forgot, from, idx, lastE, tag, durable);
  if (matches && !durable) {
    // An empty backup matches any history at position 0, and one we never heard ack (a transfer
    // forgets its acks) gets no catch-up from the tick: below our checkpoint only a transfer
    // helps. Without this, a lost transfer was retried only on the backup's ack of a new write,
    // and with every client waiting for `w` acks none came (explore seed 701307, k=5 w=4).
    if (rep.acked.get(from) === undefined && idx < rep.data.base) {
      return { rep: transfer(s, rep, from, out), out };
    }
    // A backup that never acknowledged anything to us (we just took over, by a failover or a
    // handback) would send no ack until a new write arrives, and catch-up starts from acks:
    // replies waiting for entries executed before the handover would wait forever. An update
    // from its position (empty at our tip) brings its durable ack (explore seed 1623: a backup
    // at our tip, k=5 w=4; seed 3512: one behind it, k=4 w=3, every client retrying). A backup
    // behind us gets its tail even with no reply waiting: in an idle service nothing else ever
    // reaches it (explore seed 960056: a re-joined backup whose JoinAck and ack were cut stayed
    // empty to the end while its primary heartbeated index 16 to it). A member at our tip that
    // a handback would pick gets the empty update too: see `drawAck`.
    if (rep.acked.get(from) === undefined && idx >= rep.data.base
      && (rep.waiting.length > 0 || idx < last || drawAck(s, rep, from, idx))) {
      const tail = shipTo(s, rep, from, idx);
      out.push(...(tail.length > 0 ? tail : [send(from, upd(s, rep, idx, []))]));
    }
    return { rep: catchUp(s, rep, from, false, out), out };
  }
  if (matches) {
    // An ack that does not advance means an update was lost or overtaken: resend from there,
    // at once, unless we re-sent this backup's tail from there or above less than T_hb ago (the
    // backup held that much: a lower ACK after it is a late one). So at most once per T_hb per
    // index, with one record per backup (opb-spike seed 0: when only an equal index held back,
    // a late ACK of 68 after a re-send from 71 drew a re-send and replaced the record, and the
    // next ACK of 71, 4 ms after the first re-send from 71, drew another). A
    // backup answers every update with its ACK, a re-sent or duplicated one too, and that ACK
    // does not advance either: re-sending on each of them started one Upd/ACK ping-pong per
    // duplicated message for as long as writes were in flight (explore trial 1110293 of
    // opb-join-from-heartbeat: 1.2 M messages in 4 s). Nine copies of one ACK now draw one
    // re-send; a lost re-send is repaired by the next ACK at that index T_hb on, or by the
    // tick's retransmission. The declared mutant opb:resend-every-stall re-sends on each.
    const stalled = idx <= (rep.acked.get(from) ?? -1);
    const prior = rep.resent.get(from);
    const repeat = stalled && prior !== undefined && idx <= prior.i
      && s.now - prior.at < s.params.hbUs && s.mutant !== 'resend-every-stall';
    const acked = mapWith(rep.acked, from, idx);
    const ackAt = mapWith(rep.ackAt, from, s.now);
    // A held-back repeat ships nothing, not even from where the last update left (that could
    // be this index again, when a lower ACK drew a batch ending here).
    if (repeat) {
      return {
        rep: maybeCheckpoint(s, release(s, repWith(rep, { acked, ackAt }), out), out), out,
      };
    }
    const sent = stalled ? mapWith(rep.sent, from, { i: idx, at: -1 }) : rep.sent;
    const resent = stalled && idx < lastIndex(rep.data)
      ? mapWith(rep.resent, from, { i: idx, at: s.now }) : rep.resent;
    const next = release(s,
      catchUp(s, repWith(rep, { acked, ackAt, sent, resent }), from, false, out), out);
    return { rep: maybeCheckpoint(s, next, out), out };
  }
  return { rep: transfer(s, rep, from, out), out };
}

/**
 * Ships the missing tail to a backup, unless it is already in flight: updates sent less than
 * two heartbeats ago are not resent (the tick retransmits after that).
 */
export function catchUp(
  s: State, rep: Replica, to: NodeId, retransmit: boolean, out: Out,
): Replica {
  const acked = rep.acked.get(to);
  const last = lastIndex(rep.data);
  if (acked === undefined || acked >= last) return rep;
  const sent = rep.sent.get(to);
  const fresh = sent !== undefined && s.now - sent.at < 2 * s.params.hbUs && sent.i > acked;
  if (retransmit && fresh) return rep;
  const from = !retransmit && fresh ? sent.i : acked;
  if (from >= last) return rep;
  if (from < rep.data.base) return transfer(s, rep, to, out);
  out.push(...shipTo(s, rep, to, from));
  const upTo = Math.min(last, from + s.params.batch);
  return repWith(rep, { sent: mapWith(rep.sent, to, { i: upTo, at: s.now }) });
}

export function shipTo(s: State, rep: Replica, to: NodeId, after: number): Out {
  if (after < rep.data.base) return [];
  const entries = entriesAfter(rep.data, after, s.params.batch);
  if (entries.length === 0) return [];
  return [send(to, upd(s, rep, after, entries))];
}

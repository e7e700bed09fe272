/**
 * The backup's side (P2.4 #5, P2.5): apply updates of the followed epoch in order, install
 * state transfers tagged by epoch (stale ones rejected), and — when reconciling after losing a
 * conflict — compute the fork point and re-submit orphaned requests to the winner.
 */
import type { NodeId } from '../types.js';
import { eqEpoch, lineageText } from './epoch.js';
import {
  applyEntry, checkpoint, checkpointDue, epochOf, forkPoint, lastEpoch, lastIndex, lastTag,
  orphansOf, tagAt,
} from './data.js';
import { observe, persist, roleObs, send } from './effects.js';
import { onClaim } from './conflict.js';
import type { Msg, Out, Replica, RepStep, State, SvcData } from './types.js';
import { repWith } from './records.js';

/**
 * An ack vouches for every entry up to the last index, some of which an earlier step may still be
 * writing (its ack waits for that write, but a heartbeat in between would not): every ack waits
 * for a write of its own, whose image holds them all. The disk model exposed this (a backup
 * acked undurable entries between an update and its write; opb-slow-disk).
 */
function durableAck(rep: Replica): Out {
  return [persist(`${rep.svc}:${lastIndex(rep.data)}`), ack(rep)];
}

function ack(rep: Replica): Out[number] {
  const d = rep.data;
  return send(rep.primary!, {
    t: 'ack', svc: rep.svc, epoch: rep.epoch, idx: lastIndex(d), lastE: lastEpoch(d),
    lastTag: lastTag(d),
  });
}

/** Whether a message of this claim comes from the primary and epoch we follow. */
function fromFollowed(
  rep: Replica, from: NodeId, claim: { node: NodeId; epoch: Replica['epoch'] },
): boolean {
  return rep.primary === from && claim.node === from && eqEpoch(rep.epoch, claim.epoch)
    && rep.role !== 'primary';
}

/**
 * A heartbeat of the primary we follow: its claim, and what every member holds (`stable`). A
 * backup holding exactly the primary's tip truncates up to it as on an update (P2.4 #6): the
 * stable index used to reach backups only on the next update, so after a primary's last
 * checkpoint of a busy spell (made on an ack, after its last update) its backups kept their
 * logs for as long as the service stayed idle (700 entries, explore seed 400885: a backup back
 * from a crash was sent the primary's whole retained log, and its ack let the primary truncate).
 * Only at the tip: log matching then vouches that everything below is the primary's too. No
 * write of its own: a crash that keeps the longer log loses nothing.
 */
export function onPrimaryHb(
  s: State, rep0: Replica, from: NodeId, msg: Extract<Msg, { t: 'hb' }>,
): RepStep {
  const claim = { node: from, epoch: msg.epoch, mver: msg.mver, members: msg.members };
  const first = onClaim(s, rep0, claim, from);
  const rep = first.rep;
  if (rep === null || !fromFollowed(rep, from, claim)) return first;
  const d = rep.data;
  const atTip = lastIndex(d) === msg.idx && eqEpoch(lastEpoch(d), msg.lastE)
    && lastTag(d) === msg.lastTag;
  if (rep.role === 'reconciling') {
    // A loser already holding exactly the winner's tip has no orphans (log matching) and its
    // state is the winner's: reconciled. It used to wait for an update or a transfer, and a
    // winner with nothing newer sends neither: in an idle service the loser stayed reconciling
    // to the end (explore seed 780109: s1 took no writes, both logs empty).
    if (!atTip) return first;
    const next: Replica = repWith(rep, { role: 'backup', joining: false });
    const obs = roleObs(s.id, rep, 'backup', rep.epoch, 'reconciled');
    return { rep: next, out: [...first.out, ...obs] };
  }
  // A joiner at its primary's tip (an empty history at an empty one) holds the group's state.
  const seeded = atTip && rep.joining ? repWith(rep, { joining: false }) : rep;
  const upTo = atTip ? checkpointDue(d, s.params.logKeep, Math.min(msg.stable, msg.idx)) : null;
  if (upTo === null) return seeded === rep ? first : { rep: seeded, out: first.out };
  return {
    rep: repWith(seeded, { data: checkpoint(d, upTo) }),
    out: [...first.out, observe('opb.checkpoint', { service: rep.svc, base: upTo })],
  };
}

export function onUpd(
  s: State, rep0: Replica, from: NodeId, msg: Extract<Msg, { t: 'upd' }>,
): RepStep {
  const first = onClaim(s, rep0, msg.claim, from);
  const rep = first.rep;
  const out = [...first.out];
  if (rep === null || !fromFollowed(rep, from, msg.claim)) return { rep, out };
  let data: SvcData = rep.data;
  // Below our checkpoint only the lineage remains: the epoch must match, the tag is unknown.
  const tagOk = msg.prevI < data.base || tagAt(data, msg.prevI) === msg.prevTag;
  const prevOk = eqEpoch(epochOf(data, msg.prevI), msg.prevE) && tagOk;
  if (msg.prevI > lastIndex(data) || !prevOk) {
    return { rep, out: [...out, ...durableAck(rep)] };
  }
  let diverged = false;
  for (const entry of msg.entries) {
    if (entry.i <= lastIndex(data)) {
      if (!eqEpoch(epochOf(data, entry.i), entry.e)) diverged = true;
      continue;
    }
    if (diverged || entry.i !== lastIndex(data) + 1) break;
    data = applyEntry(data, entry);
  }
  // A reconciling replica whose log is a prefix of the winner's has nothing to re-submit.
  const last = msg.entries[msg.entries.length - 1];
  const tip = last === undefined ? msg.prevI : last.i;
  const role = rep.role === 'reconciling' && !diverged && lastIndex(data) <= tip
    ? 'backup'
    : rep.role;
  const upTo = checkpointDue(data, s.params.logKeep, Math.min(msg.stable, lastIndex(data)));
  if (upTo !== null) {
    data = checkpoint(data, upTo);
    out.push(observe('opb.checkpoint', { service: rep.svc, base: upTo }));
  }
  // Entries of its primary applied: a joiner now holds (a prefix of) the group's state.
  const next: Replica = repWith(rep, { data, role, joining: rep.joining && data === rep.data });
  if (role !== rep.role) out.push(...roleObs(s.id, rep, role, rep.epoch, 'reconciled'));
  if (s.mutant !== 'ack-before-persist') return { rep: next, out: [...out, ...durableAck(next)] };
  out.push(ack(next));
  if (data !== rep.data) out.push(persist(`${rep.svc}:${lastIndex(data)}`));
  return { rep: next, out };
}

export function onXfer(
  s: State, rep0: Replica, from: NodeId, msg: Extract<Msg, { t: 'xfer' }>,
): RepStep {
  const first = onClaim(s, rep0, msg.claim, from);
  const rep = first.rep;
  const out = [...first.out];
  if (rep === null || !fromFollowed(rep, from, msg.claim)) {
    out.push(observe('opb.stale-xfer', { service: rep0.svc, from }));
    return { rep, out };
  }
  const mine = rep.data;
  const theirs = msg.data;
  const fork = forkPoint(mine, theirs);
  // A transfer sent before updates we have since applied and acked, delivered after them (explore
  // seed 43271: the primary's transfer at 6 arrived after our ack of 8): a strict prefix of our
  // log whose tip is of the epoch we follow. Within one epoch a primary's log only grows, so it
  // holds our entries past the transfer: they are not orphans, and installing would drop acked
  // copies until it re-ships them (P2.10 #10: reject stale transfers). We tell it where we are.
  if (rep.role === 'backup' && fork === lastIndex(theirs) && lastIndex(mine) > fork
    && eqEpoch(lastEpoch(mine), msg.claim.epoch) && s.mutant !== 'install-stale-xfer') {
    out.push(observe('opb.stale-xfer', { service: rep.svc, from }));
    return { rep, out: [...out, ...durableAck(rep)] };
  }
  const orphans = orphansOf(mine, fork);
  const truncated = Math.max(0, mine.base - fork);
  // Not only the loser primary: a primary that handed its role over just before a heal (planned
  // HANDOFF) leaves the orphans of its epoch with backups whose successor never claimed — they
  // would be dropped (explore). Whoever installs over entries the winner lacks hands them over;
  // the winner's exact dedup absorbs the copies.
  const hand = orphans.length > 0;
  const resubmit = hand && s.params.policy === 'merge';
  // Under `discard` the winner still hears of the orphans, to tell their clients (P2.5).
  if (hand) {
    out.push(send(from, {
      t: 'resubmit', svc: rep.svc, epoch: rep.epoch, reqs: orphans, discard: !resubmit, id: s.now,
    }));
  }
  out.push(observe('opb.install', {
    service: rep.svc, from, fork, base: theirs.base, orphans: orphans.length, truncated,
    resubmitted: resubmit,
    // The declared mutant opb:install-says-reconciling reports every install as one.
    reconciling: rep.role === 'reconciling' || s.mutant === 'install-says-reconciling',
    mine: lineageText(mine.lineage), theirs: lineageText(theirs.lineage),
  }));
  const role = 'backup';
  if (rep.role !== role) out.push(...roleObs(s.id, rep, role, rep.epoch, 'reconciled'));
  const next: Replica = repWith(rep, { data: theirs, role, joining: false });
  return { rep: next, out: [...out, ...durableAck(next)] };
}

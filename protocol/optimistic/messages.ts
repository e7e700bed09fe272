/** Routing of replica-level messages: heartbeats, updates, acks, transfers, claims. */
import { assertNever } from '../assert.js';
import type { NodeId } from '../types.js';
import { cmpEpoch, eqEpoch } from './epoch.js';
import { onClaim } from './conflict.js';
import { onPrimaryHb, onUpd, onXfer } from './backup.js';
import { persist, send } from './effects.js';
import { forgetLostAck, onDiscarded, onResubmit, onSync, withNotices } from './primary.js';
import { becomePrimary, claimMsg, moveAborted, myClaim, takeOver } from './replica.js';
import { handbackOnAck } from './balance.js';
import type { Msg, Out, Replica, ReplicaMsg, RepStep, State } from './types.js';
import { mapWith } from '../map-with.js';
import { repWith } from './records.js';

type HbMsg = Extract<Msg, { t: 'hb' }>;

/** A non-primary's heartbeat: liveness relay, position report, stale-membership notice. */
function backupHb(s: State, rep: Replica, from: NodeId, msg: HbMsg): RepStep {
  let r = rep;
  // The node we follow has handed the role to us: its heartbeat carries the claim it made for us
  // (backup, primary = us, an epoch of ours above our own). Take over as on the HANDOFF, which
  // may arrive later or never: through the failure-detection path (primary belief cleared, then
  // the tick promotes) the takeover was reported as a suspicion and picked its own epoch, a
  // spurious failover after convergence (C3, explore seed 102427: the heartbeat overtook the
  // HANDOFF). An older heartbeat cannot do this: our epoch is already at or above its claim.
  if (from === r.primary && r.role !== 'primary' && msg.role === 'backup'
    && msg.primary === s.id && msg.epoch.n === s.id && cmpEpoch(msg.epoch, r.epoch) > 0
    && msg.mver >= r.mver && msg.members.includes(s.id)) {
    return takeOver(s, r, { node: s.id, epoch: msg.epoch, mver: msg.mver, members: msg.members },
      { i: msg.idx, e: msg.lastE });
  }
  // The node we follow says it is not primary (a stale heartbeat from before a handoff is older).
  if (from === r.primary && r.role !== 'primary' && cmpEpoch(msg.epoch, r.epoch) >= 0) {
    r = repWith(r, { primary: null, pclaim: null });
  }
  if (msg.primary !== null && msg.primary !== s.id && msg.pAgeUs >= 0) {
    const at = s.now - msg.pAgeUs;
    if (at > (r.relay.get(msg.primary) ?? -1)) {
      r = repWith(r, { relay: mapWith(r.relay, msg.primary, at) });
    }
  }
  // A newer membership naming us is adopted, by a primary as by a backup: versions only grow,
  // so the group converges on the newest one (the one the dominance rule ranks claims by) and a
  // lost HANDOFF's membership reaches everyone. A backup learns its new rank from it, so the
  // designated successor promotes itself; a primary learns that it is no longer first and, not
  // sticky, hands the role back to the top member (balance.ts). A primary that kept its older
  // membership while its backups held the newer one disagreed with them on priorities for good:
  // it handed back to its own top member, which refused a handoff under an older membership,
  // and nobody was primary until a suspicion (C3 after convergence: sweep
  // opb-lost-handoff-silent seed 5122, the successor promoted without the membership that
  // ranked it first; explore seed 703484, the primary claimed by suspicion while the lost
  // membership ranked the successor first). Only newer ones: adopting an older membership made
  // the order flip back and forth (mutant #1809).
  // A move under way was planned on the old membership: it is abandoned (repair plans again).
  let aborted: Out = [];
  if (msg.mver > r.mver && msg.members.includes(s.id)) {
    aborted = moveAborted(s, r);
    r = repWith(r, { members: msg.members, mver: msg.mver, move: null });
  }
  const step = syncOrNotice(s, r, from, msg);
  return aborted.length === 0 ? step : { rep: step.rep, out: [...aborted, ...step.out] };
}

/** A backup's position report to its primary, or our claim to a sender that misses it. */
function syncOrNotice(s: State, r: Replica, from: NodeId, msg: HbMsg): RepStep {
  // Only a member's position is synced: one our repair dropped, which missed the news, still
  // follows us at our epoch and gets our claim below instead (explore seed 960056: a dropped
  // member reported its old state as a member to the end).
  const member = r.members.includes(from);
  if (r.role === 'primary' && msg.primary === s.id && eqEpoch(msg.epoch, r.epoch) && member) {
    return onSync(s, r, from, msg.idx, msg.lastE, msg.lastTag, false);
  }
  if (r.role === 'primary' && member) {
    r = forgetLostAck(s, r, from, msg.idx, msg.lastE, msg.lastTag);
  }
  const claim = r.role === 'primary' ? myClaim(s, r) : r.pclaim;
  const staleSender = msg.mver < r.mver && !member;
  const misled = r.role === 'primary' && msg.primary !== s.id;
  if (claim !== null && (staleSender || misled) && claim.node !== from) {
    return { rep: r, out: [send(from, claimMsg(s, r, claim))] };
  }
  return { rep: r, out: [] };
}

function onHb(s: State, rep0: Replica, from: NodeId, msg: HbMsg): RepStep {
  const pos = mapWith(rep0.pos, from, { i: msg.idx, e: msg.lastE });
  const rep: Replica = repWith(rep0, { heard: mapWith(rep0.heard, from, s.now), pos,
    settled: msg.recovering === true ? rep0.settled : mapWith(rep0.settled, from, s.now) });
  if (msg.role === 'primary' && msg.primary === from) return onPrimaryHb(s, rep, from, msg);
  return backupHb(s, rep, from, msg);
}

/** Dispatches a message about service `msg.svc` to our replica of it. */
export function replicaMessage(
  s: State, rep: Replica, from: NodeId,
  msg: Exclude<ReplicaMsg, { readonly t: 'joinAck' | 'handoff' }>,
): RepStep {
  switch (msg.t) {
    case 'hb':
      return onHb(s, rep, from, msg);
    case 'upd':
      return onUpd(s, repWith(rep, { heard: mapWith(rep.heard, from, s.now) }), from, msg);
    case 'xfer':
      return onXfer(s, repWith(rep, { heard: mapWith(rep.heard, from, s.now) }), from, msg);
    case 'ack': {
      // A member reports a higher epoch than ours (e.g. a corrupted one): re-claim above it.
      const higher = rep.members.includes(from) && cmpEpoch(msg.epoch, rep.epoch) > 0;
      if (rep.role === 'primary' && higher && s.mutant !== 'no-dominance') {
        return becomePrimary(s, rep, 'reclaim', msg.epoch);
      }
      if (rep.role !== 'primary' || !eqEpoch(msg.epoch, rep.epoch)) return { rep, out: [] };
      const synced = onSync(
        s, repWith(rep, { heard: mapWith(rep.heard, from, s.now) }), from,
        msg.idx, msg.lastE, msg.lastTag, true,
      );
      const back = synced.rep === null ? null : handbackOnAck(s, synced.rep, from);
      return back === null ? synced : { rep: back.rep, out: [...synced.out, ...back.out] };
    }
    case 'claim':
      return onClaim(s, rep, msg.claim, from, msg.ageUs);
    case 'resubmit': {
      if (rep.role !== 'primary') return { rep, out: [] };
      const taken = msg.discard ? onDiscarded(s, rep, msg.reqs)
        : onResubmit(s, rep, msg.epoch, msg.reqs);
      const step = msg.notices === undefined || msg.notices.size === 0 || taken.rep === null
        ? taken
        : { rep: repWith(taken.rep, { notices: withNotices(taken.rep.notices, msg.notices) }),
          out: taken.out };
      // Taken: the sender stops re-sending them (outbox.ts), so only once they are on our disk:
      // the write barrier waits for this step's writes and for earlier ones still in flight,
      // such as a client's own retry of an orphan executed just before (explore seed 710367: a
      // winner confirmed orphans whose writes were still on a slow disk, then crashed; only a
      // state transfer it had sent kept them, or merge would have lost them).
      return { rep: step.rep, out: [...step.out, persist(`${msg.svc}:resubmitted`),
        send(from, { t: 'resubmitted', svc: msg.svc, id: msg.id })] };
    }
    default:
      return assertNever(msg, 'opb replica message');
  }
}

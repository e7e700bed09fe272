/** Node-level message and timer handling. */
import { assert, assertNever } from '../assert.js';
import type { NodeId } from '../types.js';
import { closeWindow, gossip, hasRoom, onGossip, onJoin, wake } from './agent.js';
import { reorgReplica } from './balance.js';
import { observe, send, setTimer } from './effects.js';
import { replicaMessage } from './messages.js';
import { orphansConfirmed, resendOrphans } from './outbox.js';
import { route, sortedReps, withRep, type Result } from './node.js';
import { eqEpoch } from './epoch.js';
import { newReplica, takeOver, tickOverdue } from './replica.js';
import { onJoinAck } from './reorg.js';
import { withNotices } from './primary.js';
import { tickReplica } from './tick.js';
import { mapWith } from '../map-with.js';
import type { Msg, NodeMsg, Out, Replica, ReplicaMsg, RepStep, State, Timer } from './types.js';
import { repWith, stateWith } from './records.js';

/**
 * The planned successor takes over with the epoch its predecessor chose for it, and its pending
 * discard notices: P2.5 tells a client of its dropped writes at its next access, whoever is
 * primary then (explore seed 880141: notices kept by the primary alone were lost with its
 * handoff, and 24 dropped writes' clients were never told).
 */
function onHandoff(s: State, rep: Replica, msg: Extract<Msg, { t: 'handoff' }>): RepStep {
  const step = takeOver(s, rep, msg.claim, msg.tip);
  // The declared mutant opb:handoff-drops-notices takes none (Stryker #1693 of the seed-54 sample).
  if (step.rep === null || step.rep.role !== 'primary' || msg.notices.size === 0
    || s.mutant === 'handoff-drops-notices') return step;
  const notices = withNotices(step.rep.notices, msg.notices);
  return { rep: repWith(step.rep, { notices }), out: step.out };
}

/**
 * A primary's heartbeat or update naming us as a member we do not host: join (JOIN-REQUEST
 * analogue), under the reservation rule of a JOIN: a node without room refuses, so the primary
 * drops it (onJoinAck). A merge on heal takes the loser's members from its heartbeats, which
 * may name a node that refused the loser's JOIN after they were sent (explore trial 500034 of
 * opb-join-refused: n11 refused s1 for lack of room, n5's merge listed it, and it hosted s1
 * from n5's heartbeat with no room and no JOIN).
 */
function adoptMissing(s: State, from: NodeId, msg: ReplicaMsg, out: Out): Replica | undefined {
  // Never from a membership older than one we already know (a group we left must not resurrect us).
  const known = msg.t === 'hb' ? s.dir.get(msg.svc) : undefined;
  // The declared mutant opb:no-join-from-heartbeat never joins this way (Stryker #1528 of the
  // seed-47 sample): only a JOIN brings a node in.
  if (msg.t === 'hb' && msg.role === 'primary' && msg.members.includes(s.id)
    && s.mutant !== 'no-join-from-heartbeat'
    && s.reps.get(msg.svc) === undefined
    && (known === undefined || msg.mver > known.mver
      || (msg.mver === known.mver && known.members.includes(s.id)))) {
    if (!hasRoom(s)) {
      // The declared mutant opb:refusal-says-yes answers yes (Stryker #1754 of the seed-54 sample).
      const ok = s.mutant === 'refusal-says-yes';
      out.push(send(from, { t: 'joinAck', svc: msg.svc, ok }));
      return undefined;
    }
    return repWith(newReplica(msg.svc, msg.members, msg.mver, s.now), { joining: true });
  }
  return s.reps.get(msg.svc);
}

/**
 * Asleep, only the wake-on-LAN path is up: WAKE, JOIN, and a primary's heartbeat naming us a
 * member (a JOIN whose message was lost: the group counts on us), which wake the node.
 */
function wakeFilter(s: State, msg: Msg, out: Out): State | null {
  if (s.agent.on || msg.t === 'wake' || msg.t === 'join' || msg.t === 'synced') return s;
  if (msg.t === 'hb' && msg.role === 'primary' && msg.members.includes(s.id)) return wake(s, out);
  return null;
}

const NODE_MSGS: ReadonlySet<Msg['t']> = new Set<NodeMsg['t']>(
  ['gossip', 'wake', 'join', 'fwd', 'resubmitted', 'synced'],
);

export function onMessage(s0: State, from: NodeId, msg: Msg): Result {
  const out: Out = [];
  const s = wakeFilter(s0, msg, out);
  if (s === null) return { state: s0, effects: [] };
  return isNodeMsg(msg) ? onNodeMessage(s, from, msg, out) : onReplicaMessage(s, from, msg, out);
}

function isNodeMsg(msg: Msg): msg is NodeMsg {
  return NODE_MSGS.has(msg.t);
}

function onNodeMessage(s: State, from: NodeId, msg: NodeMsg, out: Out): Result {
  switch (msg.t) {
    case 'gossip':
      return { state: onGossip(s, from, msg, out), effects: out };
    case 'wake':
      return { state: wake(s, out), effects: out };
    case 'join':
      return { state: onJoin(s, from, msg, out), effects: out };
    case 'fwd':
      return route(s, msg.req, msg.hops);
    case 'resubmitted':
      return { state: orphansConfirmed(s, msg.svc, msg.id), effects: out };
    case 'synced':
      return { state: epochLanded(s, from, msg), effects: out };
    default:
      return assertNever(msg, 'opb node message');
  }
}

/**
 * Our own note, sent after the write of an epoch change: that write landed, so the epoch is on
 * disk (replica.ts `withEpoch`). A note for an epoch we have since left confirms nothing: the
 * newer change sent its own.
 */
function epochLanded(s: State, from: NodeId, msg: Extract<Msg, { t: 'synced' }>): State {
  const rep = s.reps.get(msg.svc);
  if (from !== s.id || rep === undefined || rep.epochSynced || !eqEpoch(rep.epoch, msg.epoch)) {
    return s;
  }
  return stateWith(s, { reps: mapWith(s.reps, msg.svc, repWith(rep, { epochSynced: true })) });
}

function onReplicaMessage(s: State, from: NodeId, msg: ReplicaMsg, out: Out): Result {
  const rep = adoptMissing(s, from, msg, out);
  if (rep === undefined) return { state: s, effects: out };
  let step: RepStep;
  if (msg.t === 'joinAck') step = onJoinAck(s, rep, from, msg.ok);
  else if (msg.t === 'handoff') step = onHandoff(s, rep, msg);
  else step = replicaMessage(s, rep, from, msg);
  if (step.rep === rep && step.out.length === 0) return { state: s, effects: out };
  return { state: withRep(s, rep.svc, joined(s, rep, from, step), out), effects: out };
}

/**
 * A replica adopted from a primary's heartbeat joins the group as one a JOIN creates does, and
 * says so the same way (`opb.join`, before what its first step reports), if the step keeps it.
 */
function joined(s: State, rep: Replica, from: NodeId, step: RepStep): RepStep {
  if (s.reps.has(rep.svc) || step.rep === null || !step.rep.members.includes(s.id)) return step;
  const join = observe('opb.join', {
    service: rep.svc, primary: from, membershipVersion: rep.mver,
  });
  return { rep: step.rep, out: [join, ...step.out] };
}

/** Every timer, as a mapped type so that adding one to `Timer` without listing it fails. */
const TIMERS: { readonly [T in Timer]: true } = { hb: true, gossip: true, window: true };

/** A timer name as the simulator hands it back: only names OPB set (an unknown one is a bug). */
export function timerOf(name: string): Timer {
  assert(Object.hasOwn(TIMERS, name), `opb: unknown timer ${name}`);
  return name as Timer;
}

/**
 * The tick notes when it ran, and a stall (replica.ts `tickOverdue`): the backlog it handles
 * now may date from its previous tick (`sightedAt`).
 */
function tickClock(s: State): State {
  return stateWith(s, tickOverdue(s)
    ? { tickAt: s.now, stallAt: s.now, stallSince: s.tickAt }
    : { tickAt: s.now });
}

export function onTimer(s0: State, timer: Timer): Result {
  const out: Out = [];
  let s = s0;
  switch (timer) {
    case 'hb':
      s = tickClock(s);
      // Self-stabilization: a node hosting replicas cannot be asleep (only corruption does that).
      // The declared mutant opb:wake-on-tick wakes an empty one too (Stryker #1617 of seed 41).
      if (!s.agent.on && (s.reps.size > 0 || s.mutant === 'wake-on-tick')) s = wake(s, out);
      {
        // Every replica's heartbeats first, then their tick's own writes (tick.ts). The declared
        // mutant opb:tick-writes-in-place lists each replica's writes after its own heartbeats
        // only, ahead of the next service's (the rule before explore trial 1770357).
        const after: Out = [];
        const tail = s.mutant === 'tick-writes-in-place' ? undefined : after;
        for (const rep of sortedReps(s)) s = withRep(s, rep.svc, tickReplica(s, rep, tail), out);
        out.push(...after);
      }
      s = resendOrphans(s, out);
      out.push(setTimer('hb', s.now + s.params.hbUs));
      break;
    case 'gossip':
      out.push(...gossip(s), setTimer('gossip', s.now + s.params.gossipUs));
      break;
    case 'window': {
      s = closeWindow(s, out);
      let budget = true;
      for (const rep of sortedReps(s)) {
        const r = reorgReplica(s, rep, budget);
        // The declared mutant opb:no-move-budget never spends the window's one move.
        if (r.used && s.mutant !== 'no-move-budget') budget = false;
        s = withRep(s, rep.svc, r.step, out);
      }
      out.push(setTimer('window', s.now + s.params.windowUs));
      break;
    }
    default:
      return assertNever(timer, 'opb timer');
  }
  return { state: s, effects: out };
}

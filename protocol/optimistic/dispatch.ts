/** Node-level message and timer handling. */
import type { NodeId } from '../types.js';
import { cmpEpoch } from './epoch.js';
import { closeWindow, gossip, onGossip, onJoin, wake } from './agent.js';
import { reorgReplica } from './balance.js';
import { epochObs, observe, roleObs, sendAll } from './effects.js';
import { replicaMessage } from './messages.js';
import { route, sortedReps, withRep, type Result } from './node.js';
import { becomePrimary, hbMsg, newReplica } from './replica.js';
import { onJoinAck } from './reorg.js';
import { tickReplica } from './tick.js';
import type { Msg, Out, Replica, RepStep, State } from './types.js';

/** The planned successor takes over with the epoch its predecessor chose for it. */
function onHandoff(s: State, rep: Replica, msg: Extract<Msg, { t: 'handoff' }>): RepStep {
  const c = msg.claim;
  if (c.node !== s.id || rep.role === 'primary' || c.mver < rep.mver) return { rep, out: [] };
  if (cmpEpoch(c.epoch, rep.epoch) <= 0) {
    // The epoch chosen for us is already taken (we follow a newer one): take over above it.
    return becomePrimary(s, { ...rep, members: c.members, mver: c.mver }, 'handoff', c.epoch);
  }
  const next: Replica = {
    ...rep, role: 'primary', primary: s.id, epoch: c.epoch, pclaim: null, members: c.members,
    mver: c.mver,
    acked: new Map(), waiting: [], xferAt: new Map(), since: s.now, lastMoveAt: s.now, move: null,
  };
  return { rep: next, out: [
    epochObs(rep.svc, c.epoch), roleObs(next, 'primary', c.epoch, 'handoff'),
    ...sendAll(next.members, s.id, hbMsg(s, next)),
  ] };
}

/**
 * A primary's heartbeat or update naming us as a member we do not host: join (JOIN-REQUEST
 * analogue).
 */
function adoptMissing(s: State, msg: Msg): Replica | undefined {
  // Never from a membership older than one we already know (a group we left must not resurrect us).
  const known = msg.t === 'hb' ? s.dir.get(msg.svc) : undefined;
  if (msg.t === 'hb' && msg.role === 'primary' && msg.members.includes(s.id)
    && s.reps.get(msg.svc) === undefined
    && (known === undefined || msg.mver > known.mver
      || (msg.mver === known.mver && known.members.includes(s.id)))) {
    return newReplica(msg.svc, msg.members, msg.mver, s.now);
  }
  return s.reps.get('svc' in msg ? msg.svc : -1);
}

/**
 * Asleep, only the wake-on-LAN path is up: WAKE, JOIN, and a primary's heartbeat naming us a
 * member (a JOIN whose message was lost: the group counts on us), which wake the node.
 */
function wakeFilter(s: State, msg: Msg, out: Out): State | null {
  if (s.agent.on || msg.t === 'wake' || msg.t === 'join') return s;
  if (msg.t === 'hb' && msg.role === 'primary' && msg.members.includes(s.id)) return wake(s, out);
  return null;
}

export function onMessage(s0: State, from: NodeId, msg: Msg): Result {
  const out: Out = [];
  const s = wakeFilter(s0, msg, out);
  if (s === null) return { state: s0, effects: [] };
  switch (msg.t) {
    case 'gossip':
      return { state: onGossip(s, from, msg, out), effects: out };
    case 'wake':
      return { state: wake(s, out), effects: out };
    case 'join':
      return { state: onJoin(s, from, msg, out), effects: out };
    case 'fwd':
      return route(s, msg.req, msg.hops);
    default:
      break;
  }
  const rep = adoptMissing(s, msg);
  if (rep === undefined) return { state: s, effects: out };
  let step: RepStep;
  if (msg.t === 'joinAck') step = onJoinAck(s, rep, from, msg.ok);
  else if (msg.t === 'handoff') step = onHandoff(s, rep, msg);
  else step = replicaMessage(s, rep, from, msg);
  if (step.rep === rep && step.out.length === 0) return { state: s, effects: out };
  return { state: withRep(s, rep.svc, step, out), effects: out };
}

export function onTimer(s0: State, timer: string): Result {
  const out: Out = [];
  let s = s0;
  if (timer === 'hb') {
    // Self-stabilization: a node hosting replicas cannot be asleep (only corruption does that).
    if (!s.agent.on && s.reps.size > 0) s = wake(s, out);
    for (const rep of sortedReps(s)) s = withRep(s, rep.svc, tickReplica(s, rep), out);
    out.push({ kind: 'setTimer', timer: 'hb', at: s.now + s.params.hbUs });
  } else if (timer === 'gossip') {
    out.push(...gossip(s), { kind: 'setTimer', timer: 'gossip', at: s.now + s.params.gossipUs });
  } else if (timer === 'window') {
    s = closeWindow(s, out);
    let budget = true;
    for (const rep of sortedReps(s)) {
      const r = reorgReplica(s, rep, budget);
      if (r.used) budget = false;
      s = withRep(s, rep.svc, r.step, out);
    }
    out.push({ kind: 'setTimer', timer: 'window', at: s.now + s.params.windowUs });
  } else {
    out.push(observe('opb.unknown-timer', { timer }));
  }
  return { state: s, effects: out };
}

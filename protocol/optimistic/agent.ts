/**
 * The node agent: load measured from the requests this node's primaries execute, gossip of
 * load and power state (the only source of load information: no global knowledge), power.
 */
import type { NodeId } from '../types.js';
import { observe, send } from './effects.js';
import { onClaim } from './conflict.js';
import { follow, myClaim, newReplica } from './replica.js';
import { cmpEpoch } from './epoch.js';
import type {
  Agent, Claim, DirEntry, Msg, Out, Peer, Replica, State,
} from './types.js';
import { sortedReps, withRep } from './node.js';
import { mapWith } from '../map-with.js';
import { agentWith, repWith, stateWith } from './records.js';

/** Standing cost of hosting a replica, in requests per second (5 % of capacity). */
export const baseRps = (s: State): number => Math.floor(s.params.capacityRps / 20);

export function permille(s: State, rps: number): number {
  return Math.floor((rps * 1000) / s.params.capacityRps);
}

/** Our load: primaries' measured request rates plus the standing cost of every replica. */
export function nodeLoad(s: State, reps: readonly Replica[]): number {
  let rps = 0;
  for (const r of reps) rps += (r.role === 'primary' ? r.rps : 0) + baseRps(s);
  return permille(s, rps);
}

/** A peer heard recently, or one whose last word was that it went to sleep (it stays asleep). */
export function freshPeer(s: State, id: NodeId): Peer | undefined {
  const p = s.agent.peers.get(id);
  return p !== undefined && (!p.on || s.now - p.at < 3 * s.params.gossipUs) ? p : undefined;
}

/** Closes a load window: per-replica request rates, node load, and sleeping when empty. */
export function closeWindow(s: State, out: Out): State {
  const reps = new Map(s.reps);
  for (const r of sortedReps(s)) {
    const rps = Math.floor((r.count * 1_000_000) / s.params.windowUs);
    reps.set(r.svc, repWith(r, { rps, count: 0 }));
  }
  const next: State = stateWith(s, { reps });
  const load = nodeLoad(next, [...reps.values()]);
  // Orphans not yet confirmed keep the node awake: a sleeping node is silent (outbox.ts).
  const empty = reps.size === 0 && s.outbox.size === 0;
  const emptySince = !empty ? -1 : s.agent.emptySince < 0 ? s.now : s.agent.emptySince;
  let agent: Agent = agentWith(s.agent, { load, windowAt: s.now, emptySince });
  out.push(observe('opb.load', { load, on: agent.on, hosted: reps.size }));
  const idle = empty && emptySince >= 0 && s.now - emptySince >= s.params.sleepAfterUs;
  // The declared mutant opb:sleep-without-power sleeps whatever the setting.
  const power = s.params.power || s.mutant === 'sleep-without-power';
  if (power && agent.on && idle) {
    agent = agentWith(agent, { on: false });
    // Last words before sleeping: peers keep us as a sleeping candidate instead of a dead one.
    out.push(
      observe('opb.power', { on: false }),
      { kind: 'persist', what: 'power' },
      ...announce(stateWith(next, { agent })),
    );
  }
  return stateWith(next, { agent });
}

/**
 * Gossip rounds between two announcements of a sleeping node: its last words before sleeping
 * are one unacknowledged message, and a node they never reached (loss, a one-way cut) knows it
 * neither as asleep nor as alive, so it is never a candidate to wake: explore seed 790285 left
 * a group with two replicas in one zone for good while the third zone slept unseen (C8).
 */
export const ASLEEP_ROUNDS = 4;

/**
 * LOAD-GOSSIP every round; a sleeping node only repeats that it sleeps, every `ASLEEP_ROUNDS`
 * rounds (it listens for nothing but WAKE, JOIN and a heartbeat naming it).
 */
export function gossip(s: State): Out {
  // The declared mutant opb:asleep-gossips-every-round announces every round asleep too.
  if (s.agent.on || s.mutant === 'asleep-gossips-every-round') return announce(s);
  return Math.floor(s.now / s.params.gossipUs) % ASLEEP_ROUNDS === 0 ? announce(s) : [];
}

function announce(s: State): Out {
  const claims = sortedReps(s)
    .filter((r) => r.role === 'primary')
    .map((r) => ({ ...myClaim(s, r), svc: r.svc }));
  const msg: Msg = { t: 'gossip', load: s.agent.load, on: s.agent.on, hosted: s.reps.size, claims };
  return s.nodes.filter((n) => n.id !== s.id).map((n) => send(n.id, msg));
}

/**
 * Whether a gossiped claim of a service we do not host is newer than what our directory knows:
 * a newer membership version, or the same version under a higher epoch. A planned HANDOFF keeps
 * the version and raises the epoch; judging by the version alone kept a node that had left the
 * group re-sending its orphans to the primary that handed off, now a backup that ignores them
 * (explore seed 850684 of opb-orphans-redirect: n1 lost to n3 and left with 109 acked writes;
 * n3 handed s0 to n9 at 2.76 s under the same version 8, and n1's RESUBMITs went to n3 until the
 * end: 98 acked writes lost under `merge`, P2.5).
 */
function newerNews(claim: Claim, d: DirEntry): boolean {
  if (claim.mver !== d.mver) return claim.mver > d.mver;
  return d.epoch === undefined || cmpEpoch(claim.epoch, d.epoch) > 0;
}

/**
 * Gossip: load and power of a peer, and its primaries' claims (the dominance rule runs on them).
 */
export function onGossip(
  s0: State, from: NodeId, msg: Extract<Msg, { t: 'gossip' }>, out: Out,
): State {
  const peer: Peer = { at: s0.now, load: msg.load, on: msg.on, hosted: msg.hosted };
  const peers = mapWith(s0.agent.peers, from, peer);
  let s: State = stateWith(s0, { agent: agentWith(s0.agent, { peers }) });
  for (const claim of msg.claims) {
    const rep = s.reps.get(claim.svc);
    if (rep === undefined) {
      const d = s.dir.get(claim.svc);
      // The declared mutant opb:directory-takes-older-claim takes any (Stryker #134 of seed 50).
      if (d === undefined || newerNews(claim, d) || s.mutant === 'directory-takes-older-claim') {
        const entry = {
          members: claim.members, mver: claim.mver, primary: claim.node, epoch: claim.epoch,
        };
        s = stateWith(s, { dir: mapWith(s.dir, claim.svc, entry) });
      }
      continue;
    }
    // The claim without its service, as a literal: an object rest costs a runtime call.
    const plain: Claim = {
      node: claim.node, epoch: claim.epoch, mver: claim.mver, members: claim.members,
    };
    s = withRep(s, claim.svc, onClaim(s, rep, plain, from), out);
  }
  return s;
}

export function wake(s: State, out: Out): State {
  if (s.agent.on) return s;
  out.push(observe('opb.power', { on: true }), { kind: 'persist', what: 'power' });
  return stateWith(s, { agent: agentWith(s.agent, { on: true, emptySince: -1 }) });
}

/** Room for one more replica under Hw, as a reservation (a JOIN or a heartbeat naming us) needs. */
export function hasRoom(s: State): boolean {
  return s.agent.load + permille(s, baseRps(s)) <= s.params.highPct * 10;
}

/**
 * RESERVE + JOIN at the target node: the first reservation that fits wins; a full node refuses
 * and the requesting primary retries elsewhere. A join wakes a sleeping node. A JOIN under a
 * membership older than the one we left the group at is refused the same way: versions only
 * grow (P2.6), so it would take us back into a group that let us go (explore seed 368: a
 * primary paused for 3 s resumed and re-sent its move's JOIN at version 3 to a node that had
 * left the group at version 4, which took it). Only the version we left at: a newer one heard by
 * gossip does not refuse it: an amnesiac primary's memberships restart at 0, and refusing its
 * repair's JOINs for that lost acknowledged writes (explore seed 880141, C6).
 */
export function onJoin(s0: State, from: NodeId, msg: Extract<Msg, { t: 'join' }>, out: Out): State {
  const existing = s0.reps.get(msg.svc);
  // The declared mutant opb:join-without-room takes a JOIN without room too (Stryker #175 of
  // the seed-48 sample).
  const room = hasRoom(s0) || s0.mutant === 'join-without-room';
  // The declared mutant opb:stale-join-taken takes a stale JOIN too (the other half of #175).
  const stale = msg.claim.mver < (s0.left.get(msg.svc) ?? -1) && s0.mutant !== 'stale-join-taken';
  if (existing === undefined && (!room || stale)) {
    out.push(send(from, { t: 'joinAck', svc: msg.svc, ok: false }));
    return s0;
  }
  const s = wake(s0, out);
  const rep = existing
    ?? repWith(newReplica(msg.svc, msg.claim.members, msg.claim.mver, s.now), { joining: true });
  out.push(send(from, { t: 'joinAck', svc: msg.svc, ok: true }));
  // The declared mutant opb:join-unreported leaves the join out of the record.
  if (existing === undefined && s.mutant !== 'join-unreported') {
    out.push(observe('opb.join', {
      service: msg.svc, primary: from, membershipVersion: msg.claim.mver,
    }));
  }
  const load = s.agent.load + permille(s, baseRps(s));
  // A primary of this service (a concurrent one) settles by the dominance rule, not by the join.
  const step = existing?.role === 'primary'
    ? onClaim(s, existing, msg.claim, from)
    : follow(s, rep, msg.claim, 'backup', 'join', true);
  const agent = agentWith(s.agent, { load, emptySince: -1 });
  return withRep(stateWith(s, { agent }), msg.svc, step, out);
}

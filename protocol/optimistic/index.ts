/**
 * OPB — optimistic primary-backup (PROTOCOLS.md P2): per-service groups of k replicas in
 * distinct DCs, local primary determination from a heartbeat failure detector (no majority),
 * epochs, the dominance rule, reconciliation, self-stabilization and autonomous reorganization.
 */
import { assertNever } from '../assert.js';
import type { Protocol, ProtocolConfig, ProtocolEvent, StepResult } from '../types.js';
import { corruptState } from './corrupt.js';
import { EPOCH_ZERO } from './epoch.js';
import { describeMsg, encodeMsg } from './describe.js';
import { onMessage, onTimer, timerOf } from './dispatch.js';
import { observe, persist, setTimer } from './effects.js';
import { serviceGroup } from './observations.js';
import { opbInvariants } from './invariants.js';
import { onOperator } from './operator.js';
import { durableOf, recover, route } from './node.js';
import { mutantInfo, opbDefaults, readMutant, readParams } from './params.js';
import { initialGroups, placementOf } from './placement.js';
import { newReplica } from './replica.js';
import type { DirEntry, Disk, Msg, Out, Replica, State } from './types.js';
import { stateWith } from './records.js';

function init(id: string, config: ProtocolConfig): State {
  const params = readParams(config);
  const groups = initialGroups(config.nodes, config.replicas, params);
  const reps = new Map<number, Replica>();
  const dir = new Map<number, DirEntry>();
  groups.forEach((members, svc) => {
    dir.set(svc, { members, mver: 0, primary: null, epoch: EPOCH_ZERO });
    if (members.includes(id)) reps.set(svc, newReplica(svc, members, 0, 0));
  });
  return {
    id, nodes: config.nodes, replicas: config.replicas, params, mutant: readMutant(config),
    now: 0, bootAt: 0, tickAt: 0, stallAt: -1, stallSince: -1, epochTop: EPOCH_ZERO, reps, dir,
    left: new Map(),
    agent: { on: true, load: 0, peers: new Map(), emptySince: -1, windowAt: 0 },
    outbox: new Map(),
  };
}

// Every message type once (a missing or unknown one fails to compile): targeted faults name them.
const messageTypes: Record<Msg['t'], true> = {
  hb: true, upd: true, ack: true, xfer: true, claim: true, resubmit: true, fwd: true, join: true,
  joinAck: true, handoff: true, gossip: true, wake: true, resubmitted: true, synced: true,
};

export const opb: Protocol<State, Msg, Disk> = {
  name: 'opb',
  description: 'Optimistic primary-backup (IC2E 2014 design): no-majority failover, '
    + 'dominance-based convergence, self-reorganization',
  mutants: mutantInfo,
  client: { target: 'spread', onTimeout: 'broadcast' },
  // Optimistic: temporary inconsistency is allowed by design (P2.7), so no linearizability claim.
  linearizable: false,
  defaults: opbDefaults,
  // Both reconciliation policies, replies with and without a backup's ack, checkpoints every few
  // entries and epoch counters that reset: paths the scenarios' own values rarely reach.
  // The group size k is the drawn replica-set size (2..5), with w from 0 to k-1.
  swarmParams: (draw, k) => ({
    k, w: draw(k), policy: draw(2) === 0 ? 'merge' : 'discard',
    logKeep: [2, 4, 16, 512][draw(4)]!, epochLimit: [2, 3, 2 ** 48][draw(3)]!,
  }),
  swarmReplicas: [2, 5],
  messageTypes: Object.keys(messageTypes),
  messageType: (m) => m.t,
  init,
  durable: durableOf,
  describeMessage: describeMsg,
  encodeMessage: encodeMsg,
  invariants: opbInvariants,
  corrupt: corruptState,
  step(s0, ev) {
    const s: State = s0.now === ev.now ? s0 : stateWith(s0, { now: ev.now });
    const result = behindEpochWrite(s0, ev, stepAt(s, ev));
    // `now` is the clock of the event being handled, read only during a step (not by durable,
    // invariants or corrupt): a step that changed nothing else returns the state it was given.
    return result.state === s && s !== s0 ? { state: s0, effects: result.effects } : result;
  },
};

/**
 * While an epoch change of this node may still be in its disk queue (no `synced` note back yet),
 * nothing the step does leaves before that write: a write of its own goes first, and the disk
 * completes writes in order. A crash that loses the epoch then loses everything that followed
 * from it, so the restarted node may claim that epoch again without two histories under it.
 */
function behindEpochWrite(
  s0: State, ev: ProtocolEvent<Msg, Disk>, result: StepResult<State, Msg>,
): StepResult<State, Msg> {
  if (ev.kind === 'restart' || result.effects.length === 0) return result;
  for (const rep of s0.reps.values()) {
    if (!rep.epochSynced) {
      return { ...result, effects: [persist('epoch-unsynced'), ...result.effects] };
    }
  }
  return result;
}

/** One event, with `s.now` already set to its clock. */
function stepAt(s: State, ev: ProtocolEvent<Msg, Disk>): StepResult<State, Msg> {
  switch (ev.kind) {
    case 'restart': {
      const state = recover(s, ev.durable, ev.now);
      const p = placementOf(s.nodes, s.id);
      // Replicas lost with the disk (amnesia) or never hosted: tell the generic convergence
      // check.
      const gone: Out = [];
      for (let svc = 0; svc < s.params.services; svc++) {
        if (!state.reps.has(svc)) gone.push(observe('retired', { group: serviceGroup(svc) }));
      }
      return { state, effects: [
        ...gone,
        observe('opb.node', {
          dc: p?.dc ?? '', zone: p?.zone ?? '', amnesia: ev.durable === null,
          hosted: state.reps.size,
        }),
        setTimer('hb', ev.now),
        setTimer('gossip', ev.now + 1),
        setTimer('window', ev.now + s.params.windowUs),
      ] };
    }
    case 'timer':
      return onTimer(s, timerOf(ev.timer));
    case 'message':
      return onMessage(s, ev.from, ev.msg);
    case 'clientRequest':
      return route(s, ev.request, 0);
    case 'operator':
      return onOperator(s, ev.command);
    default:
      return assertNever(ev, 'event');
  }
}

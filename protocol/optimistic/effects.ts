/** Effect constructors and observation hooks (the declared interface for properties/opb-*). */
import type { ClientRequest, NodeId, ObservationData } from '../types.js';
import type { KvResult } from '../kv-types.js';
import { epochText } from './epoch.js';
import { serviceGroup, type OpbObservation, type RoleReason } from './observations.js';
import type { Epoch, Msg, Out, Replica, Role, Timer } from './types.js';

export const send = (to: NodeId, msg: Msg): Out[number] => ({ kind: 'send', to, msg });

export const sendAll = (to: readonly NodeId[], self: NodeId, msg: Msg): Out =>
  to.filter((n) => n !== self).map((n) => send(n, msg));

/** The one door for OPB's observations: the label picks the declared shape of `data`. */
export function observe<L extends OpbObservation['label']>(
  label: L, data: ObservationData<OpbObservation, L>,
): Out[number] {
  // Widening to the union's data (itself checked to be Json) just forgets which label it was.
  return { kind: 'observe', label, data: data as OpbObservation['data'] };
}

export const setTimer = (timer: Timer, at: number): Out[number] =>
  ({ kind: 'setTimer', timer, at });

export const persist = (what: string): Out[number] => ({ kind: 'persist', what });

export function done(
  client: string, seq: number, result: KvResult, discarded?: readonly number[],
): Out[number] {
  const r = result.value === undefined ? { ok: result.ok } : { ok: result.ok, value: result.value };
  const outcome = discarded === undefined || discarded.length === 0
    ? { type: 'done' as const, result: r }
    : { type: 'done' as const, result: r, discarded: [...discarded] };
  return { kind: 'reply', to: client, seq, outcome };
}

export const reject = (req: ClientRequest, reason: string): Out[number] =>
  ({ kind: 'reply', to: req.client, seq: req.seq, outcome: { type: 'reject', reason } });

/**
 * A replica's role changed: `opb.role` for the OPB checkers, and the protocol-neutral `role`
 * (this node leads the service's group as its primary, or no longer does) for reports.
 */
export function roleObs(
  self: NodeId, rep: Replica, role: Role, epoch: Epoch, reason: RoleReason,
): Out {
  return [
    observe('opb.role', {
      service: rep.svc, role, epoch: epochText(epoch), counter: epoch.c, reason,
    }),
    observe('role', {
      group: serviceGroup(rep.svc), role: role === 'primary' ? 'leader' : 'follower', node: self,
    }),
  ];
}

/** `opb.epoch`: the epoch a replica follows changed. */
export function epochObs(svc: number, e: Epoch): Out[number] {
  return observe('opb.epoch', { service: svc, generation: e.g ?? 0, counter: e.c, node: e.n });
}

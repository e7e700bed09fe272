/** Effect constructors and observation hooks (the declared interface for properties/opb-*). */
import type { ClientRequest, Json, NodeId } from '../types.js';
import type { KvResult } from '../kv-types.js';
import { epochText } from './epoch.js';
import type { Epoch, Msg, Out, Replica, Role } from './types.js';

export const send = (to: NodeId, msg: Msg): Out[number] => ({ kind: 'send', to, msg });

export const sendAll = (to: readonly NodeId[], self: NodeId, msg: Msg): Out =>
  to.filter((n) => n !== self).map((n) => send(n, msg));

export const observe = (label: string, data: Json): Out[number] =>
  ({ kind: 'observe', label, data });

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

/** `opb.role`: a replica's role changed (reason: suspect, reclaim, lost, handoff, start, fix). */
export function roleObs(rep: Replica, role: Role, epoch: Epoch, reason: string): Out[number] {
  return observe('opb.role', { svc: rep.svc, role, epoch: epochText(epoch), c: epoch.c, reason });
}

/** `opb.epoch`: the epoch a replica follows changed. */
export function epochObs(svc: number, e: Epoch): Out[number] {
  return observe('opb.epoch', { svc, g: e.g ?? 0, c: e.c, n: e.n });
}

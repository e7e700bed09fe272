/**
 * P2.10 #3 under a write stream faster than the round trip to the top-priority member: its ACK
 * that trails the primary's tip starts a drain (new writes held), so its ACK of the tip can come
 * and hand the role back; the held writes follow the HANDOFF to the successor, or run at the
 * primary once the drain has lasted T_fd (explore trial 1664970 of opb-handback-steady-writes:
 * 599 ACKs of n1 in 2.4 s, every one 1 to 11 entries behind n5's tip, and no handback).
 */
import { describe, expect, it } from 'vitest';
import { lastIndex } from '../../../protocol/optimistic/data.js';
import { onRequest } from '../../../protocol/optimistic/primary.js';
import { replicaMessage } from '../../../protocol/optimistic/messages.js';
import { tickReplica } from '../../../protocol/optimistic/tick.js';
import type { Msg, Out, State } from '../../../protocol/optimistic/types.js';
import type { ClientRequest } from '../../../protocol/types.js';
import { state, writes } from './three-members.js';
import { ackOf, e1, now, primary } from './handback-fixture.js';

const put: ClientRequest = { client: 'c1', seq: 1, op: { type: 'put', key: 'k1', value: 'v' } };
const sent = (out: Out, t: Msg['t']): Msg[] =>
  out.flatMap((e) => (e.kind === 'send' && (e.msg as Msg).t === t ? [e.msg as Msg] : []));

const s = state(now);
const at = (t: number): State => ({ ...s, now: t });

describe('the handback\'s drain', () => {
  it('starts on the top member\'s ACK short of the tip, and holds new writes', () => {
    const r = replicaMessage(s, primary, 'n3', ackOf(9));
    expect(sent(r.out, 'handoff')).toEqual([]);
    expect(r.rep!.drain).toEqual({ at: now, held: [] });
    const w = onRequest(at(now + 1000), r.rep!, put);
    expect(sent(w.out, 'upd')).toEqual([]);
    expect(lastIndex(w.rep!.data)).toBe(10);
    expect(w.rep!.drain!.held).toEqual([put]);
    // A retry of a held write is held once.
    expect(onRequest(at(now + 2000), w.rep!, put).rep!.drain!.held).toEqual([put]);
  });

  it('hands back on the ACK of the tip and forwards the held writes behind the HANDOFF', () => {
    const drained = replicaMessage(s, primary, 'n3', ackOf(9)).rep!;
    const holding = onRequest(at(now + 1000), drained, put).rep!;
    const r = replicaMessage(at(now + 2000), holding, 'n3', ackOf(10));
    const kinds = r.out.flatMap((e) => (e.kind === 'send' ? [(e.msg as Msg).t] : []));
    expect(kinds.slice(kinds.indexOf('handoff'))).toEqual(['handoff', 'fwd']);
    expect(sent(r.out, 'fwd')).toEqual([{ t: 'fwd', svc: 0, req: put, hops: 1 }]);
    expect(r.rep!.role).toBe('backup');
    expect(r.rep!.drain).toBeNull();
  });

  it('runs the held writes here once it lasted T_fd, and starts the cool-down', () => {
    const drained = replicaMessage(s, primary, 'n3', ackOf(9)).rep!;
    const holding = onRequest(at(now + 1000), drained, put).rep!;
    const fd = s.params.fdUs;
    const alive = { ...holding, heard: new Map([['n3', now + fd], ['n5', now + fd]]) };
    expect(tickReplica(at(now + fd - 1), alive).rep!.drain).not.toBeNull();
    const t = tickReplica(at(now + fd), alive);
    expect(t.rep!.drain).toBeNull();
    expect(lastIndex(t.rep!.data)).toBe(11);
    expect(t.rep!.lastMoveAt).toBe(now + fd);
    // The cool-down: the top member's next short ACK starts no new drain.
    expect(replicaMessage(at(now + fd + 1), t.rep!, 'n3', ackOf(9)).rep!.drain).toBeNull();
    // The tick's heartbeats come before the held writes' log write, which would hold them back
    // (effects after a persist wait for it: explore trial 1690950 of opb-lost-synced-note).
    const order = t.out.map((e) => (e.kind === 'send' ? (e.msg as Msg).t : e.kind));
    expect(order).toContain('persist');
    expect(order.lastIndexOf('hb')).toBeLessThan(order.indexOf('persist'));
  });

  it('not for a tail longer than one update, another member\'s ACK, sticky or the mutant', () => {
    const far = { ...primary, data: writes(e1, 10 + s.params.batch), acked: new Map([['n5', 10]]) };
    expect(replicaMessage(s, far, 'n3', ackOf(9)).rep!.drain).toBeNull();
    expect(replicaMessage(s, primary, 'n5', ackOf(9)).rep!.drain).toBeNull();
    const sticky = { ...s, params: { ...s.params, sticky: true } };
    expect(replicaMessage(sticky, primary, 'n3', ackOf(9)).rep!.drain).toBeNull();
    const atTick = { ...s, mutant: 'handback-at-tick' as const };
    expect(replicaMessage(atTick, primary, 'n3', ackOf(9)).rep!.drain).toBeNull();
  });
});

/**
 * SMART's structural invariants (machine.ts `invariants`, run after every step in check mode):
 * each fails on a state that breaks it, and holds along a real exchange; and the leader's
 * bookkeeping of requests it can no longer place.
 */
import { describe, expect, it } from 'vitest';
import { smart } from '../../../protocol/smart/index.js';
import type { Msg, Request, State } from '../../../protocol/smart/types.js';
import { emWith, leaderWith, leadWith, stateWith } from '../../../protocol/smart/update.js';
import type { ProtocolConfig } from '../../../protocol/types.js';

const nodes = ['n1', 'n2', 'n3'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
const config: ProtocolConfig = { nodes, replicas: ['n1', 'n2', 'n3'],
  params: { ...smart.defaults }, mutant: null };

function step(s: State, ev: Parameters<typeof smart.step>[1]): State {
  const next = smart.step(s, ev).state;
  expect(smart.invariants!(next)).toBeNull();
  return next;
}

/** n1 as the leader of configuration 1 (ballot of its first campaign), nothing proposed yet. */
function leader(): State {
  let s = step(smart.init('n1', config), { kind: 'restart', now: 0, durable: null });
  s = step(s, { kind: 'timer', now: 1, timer: 'el:1' });
  const ballot = s.replicas.get(1)!.promised;
  const vote = { entries: [], trunc: 0, exec: 0, ckpt: 0 };
  const reply: Msg = { t: 'pollReply', cfg: 1, ballot, vote };
  s = step(s, { kind: 'message', now: 2, from: 'n2', msg: reply });
  expect(s.replicas.get(1)!.role).toBe('leader');
  return s;
}

const request = (client: string): Request =>
  ({ t: 'op', client, seq: 1, op: { type: 'get', key: 'k' } });

describe('smart invariants', () => {
  it('a configuration collected from the table is defunct (P1.6 step 11)', () => {
    const s = step(smart.init('n2', config), { kind: 'restart', now: 0, durable: null });
    const newer = { num: 3, members: ['n1', 'n2', 'n3'], first: 40, last: null };
    const collected = stateWith(s, { em: emWith(s.em, { table: [newer] }) });
    expect(smart.invariants!(collected)).toBe(
      'configuration 2 was collected from the table but d=0');
    expect(smart.invariants!(stateWith(collected, { d: 2, replicas: s.replicas.without(1) })))
      .toBeNull();
  });

  it('requests flushed when the range is full leave inflight: a retry is redirected again', () => {
    let s = leader();
    const r = s.replicas.get(1)!;
    if (r.role !== 'leader') throw new Error('n1 leads');
    // Configuration 1 ends at slot 0 here (a successor from slot 1): nothing more fits.
    const table = [{ num: 1, members: ['n1', 'n2', 'n3'], first: 1, last: 0 },
      { num: 2, members: ['n1', 'n2', 'n3'], first: 1, last: null }];
    const queue = [request('c0')];
    s = stateWith(s, { em: emWith(s.em, { table }), replicas: s.replicas.with(leaderWith(r,
      { lead: leadWith(r.lead, { queue, inflight: new Set(['c0#1']) }) })) });
    const first = smart.step(s, { kind: 'timer', now: 5, timer: 'hb:1' });
    const redirects = (effects: typeof first.effects): number =>
      effects.filter((e) => e.kind === 'reply' && e.outcome.type === 'redirect').length;
    expect(redirects(first.effects)).toBe(1);
    const retry = { client: 'c0', seq: 1, op: { type: 'get' as const, key: 'k' } };
    const again = smart.step(first.state, { kind: 'clientRequest', now: 6, request: retry });
    expect(redirects(again.effects)).toBe(1);
  });
});

/**
 * A SMART leader's `inflight` set (requests queued or proposed and not yet executed) holds only
 * requests still queued or proposed above the executed index: a state transfer past a proposed
 * slot, or a decision giving that slot to another command, settles it (the leak found at
 * smart-leader-churn seed 5), and the structural invariant reports a leaked key.
 */
import { describe, expect, it } from 'vitest';
import { emptyStore } from '../../../protocol/kv.js';
import { digestOf } from '../../../protocol/smart/execution.js';
import { smart } from '../../../protocol/smart/index.js';
import type { Checkpoint, Leader, Msg, State } from '../../../protocol/smart/types.js';
import { leaderWith, leadWith, stateWith } from '../../../protocol/smart/update.js';
import type { ProtocolConfig } from '../../../protocol/types.js';

const members = ['n1', 'n2', 'n3'];
const nodes = members.map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
const config: ProtocolConfig = { nodes, replicas: members,
  params: { ...smart.defaults }, mutant: null };

function step(s: State, ev: Parameters<typeof smart.step>[1]): State {
  const next = smart.step(s, ev).state;
  expect(smart.invariants!(next)).toBeNull();
  return next;
}

function leaderOf(s: State): Leader {
  const r = s.replicas.get(1);
  if (r === undefined || r.role !== 'leader') throw new Error('n1 leads configuration 1');
  return r;
}

const put = { type: 'put' as const, key: 'k', value: 'v' };

/** n1 leads configuration 1 and has proposed c0#1 at slot 1 (no LOGGED from the others yet). */
function proposing(): State {
  let s = step(smart.init('n1', config), { kind: 'restart', now: 0, durable: null });
  s = step(s, { kind: 'timer', now: 1, timer: 'el:1' });
  const ballot = s.replicas.get(1)!.promised;
  const vote = { entries: [], trunc: 0, exec: 0, ckpt: 0 };
  s = step(s, { kind: 'message', now: 2, from: 'n2',
    msg: { t: 'pollReply', cfg: 1, ballot, vote } });
  s = step(s, { kind: 'clientRequest', now: 3, request: { client: 'c0', seq: 1, op: put } });
  const r = leaderOf(s);
  expect(r.log.get(1)?.cmd).toMatchObject({ t: 'op', client: 'c0', seq: 1 });
  expect([...r.lead.inflight]).toEqual(['c0#1']);
  return s;
}

/** The checkpoint another member saved after executing slots 1..10 (c0#1 among them). */
function transferred(): Checkpoint {
  const base = { index: 10, store: new Map([['k', 'v']]) as typeof emptyStore,
    table: [{ num: 1, members, first: 1, last: null }],
    cache: new Map([['c0', { seq: 1, result: { ok: true } }]]), migrations: [] };
  return { ...base, digest: digestOf(base) };
}

describe('smart leader inflight', () => {
  it('a state transfer past a proposed slot settles its request (leader-churn seed 5)', () => {
    const s = step(proposing(), { kind: 'message', now: 4, from: 'n2',
      msg: { t: 'stateCopy', cfg: 1, ckpt: transferred(), stateBytes: 0 } });
    expect(s.em.lastExec).toBe(10);
    expect(leaderOf(s).lead.inflight.size).toBe(0);
  });

  it('a decision giving a proposed slot to another command lets a retry in again', () => {
    let s = step(proposing(), { kind: 'clientRequest', now: 4,
      request: { client: 'c1', seq: 1, op: put } });
    expect(leaderOf(s).log.get(2)?.cmd).toMatchObject({ client: 'c1' });
    // A newer ballot decided slot 2 for another request; slot 1 is still open, so slot 2 is
    // not executed yet: only the decision itself can tell this leader that c1#1 lost its slot.
    const ballot = leaderOf(s).promised;
    const other = { t: 'op' as const, client: 'c9', seq: 1, op: put };
    const decided: Msg = { t: 'decided', cfg: 1, ballot: ballot + 1, slot: 2, cmd: other };
    s = step(s, { kind: 'message', now: 5, from: 'n2', msg: decided });
    expect(s.em.lastExec).toBe(0);
    expect([...leaderOf(s).lead.inflight]).toEqual(['c0#1']);
    // The retry is proposed again (slot 3), not dropped as a duplicate of a proposal that can
    // no longer succeed.
    s = step(s, { kind: 'clientRequest', now: 6, request: { client: 'c1', seq: 1, op: put } });
    expect([...leaderOf(s).lead.inflight]).toEqual(['c0#1', 'c1#1']);
    expect(leaderOf(s).log.get(3)?.cmd).toMatchObject({ client: 'c1' });
  });

  it('the invariant reports a key neither queued nor proposed above the executed index', () => {
    const s = proposing();
    const r = leaderOf(s);
    const inflight = new Set([...r.lead.inflight, 'c7#3']);
    const leaked = stateWith(s, { replicas: s.replicas.with(
      leaderWith(r, { lead: leadWith(r.lead, { inflight }) })) });
    expect(smart.invariants!(leaked)).toBe(
      'replica 1: inflight holds c7#3, neither queued nor proposed above lastExec 0');
  });

  it('answers alike for a queue short enough to scan and one long enough for a set', () => {
    const s = proposing();
    const r = leaderOf(s);
    // 3 and 30 queued requests: below and above strayInflight's scan limit (util.ts).
    for (const n of [3, 30]) {
      const queue = Array.from({ length: n }, (_, i) =>
        ({ t: 'op' as const, client: `q${i}`, seq: 1, op: put }));
      const open = [...r.lead.inflight, ...queue.map((q) => `${q.client}#1`)];
      const withInflight = (keys: string[]): State => stateWith(s, { replicas: s.replicas.with(
        leaderWith(r, { lead: leadWith(r.lead, { queue, inflight: new Set(keys) }) })) });
      expect(smart.invariants!(withInflight(open))).toBeNull();
      expect(smart.invariants!(withInflight([...open.slice(0, 2), 'c7#3', ...open.slice(2)])))
        .toBe('replica 1: inflight holds c7#3, neither queued nor proposed above lastExec 0');
    }
  });
});

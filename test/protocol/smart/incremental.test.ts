/**
 * Incremental state transfer (P1.6 step 5, `incrementalSlots`): a machine close behind gets the
 * decided slots it lacks in one DECIDED-RANGE; one further behind than `incrementalSlots`, or
 * behind what the sender still holds, gets the sender's checkpoint (a full copy).
 */
import { describe, expect, it } from 'vitest';
import { smart } from '../../../protocol/smart/index.js';
import { sizeOf } from '../../../protocol/smart/size.js';
import type { Cmd, Msg, State } from '../../../protocol/smart/types.js';
import type { ProtocolConfig } from '../../../protocol/types.js';

const nodes = ['n1', 'n2', 'n3'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));

function config(params: Record<string, number>): ProtocolConfig {
  return { nodes, replicas: ['n1', 'n2', 'n3'], mutant: null,
    params: { ...smart.defaults, checkpointEvery: 20, ...params } };
}

function machine(id: string, params: Record<string, number>): State {
  return smart.step(smart.init(id, config(params)),
    { kind: 'restart', now: 0, durable: null }).state;
}

/** A put of a 200-byte value to one of 50 keys: the store, and so a full copy, grows to ~10 KB. */
function put(slot: number): Cmd {
  return { t: 'op', client: 'c0', seq: slot,
    op: { type: 'put', key: `k${slot % 50}`, value: String(slot).padEnd(200, '.') } };
}

function deliver(s: State, from: string, msg: Msg): { state: State; sent: Msg[] } {
  const r = smart.step(s, { kind: 'message', now: 1, from, msg });
  expect(smart.invariants!(r.state)).toBeNull();
  return { state: r.state, sent: r.effects.flatMap((e) => (e.kind === 'send' ? [e.msg] : [])) };
}

/** `s` after learning (and executing) slots from+1 .. to, as the leader n1 decided them. */
function decide(s: State, from: number, to: number): State {
  let state = s;
  for (let slot = from + 1; slot <= to; slot++) {
    state = deliver(state, 'n1', { t: 'decided', cfg: 1, ballot: 1, slot, cmd: put(slot) }).state;
  }
  return state;
}

/**
 * What n2 (executed 100 slots, checkpoint at 100) answers a STATE-REQUEST with; `truncated`: its
 * log was truncated at 100 first; `restarted`: then it also restarted.
 */
function answer(have: number, params: Record<string, number> = {},
  truncated = false, restarted = false): Msg[] {
  let n2 = decide(machine('n2', params), 0, 100);
  expect([n2.em.lastExec, n2.em.ckpt.index]).toEqual([100, 100]);
  // A heartbeat naming stable index 100 truncates n2's log: only its record of executed slots
  // (Em.executed) can still serve an incremental copy.
  const beat: Msg = { t: 'heartbeat', cfg: 1, ballot: 1, commit: 100, stable: 100 };
  if (truncated) n2 = deliver(n2, 'n1', beat).state;
  if (truncated) expect(n2.replicas.get(1)!.log.size).toBe(0);
  if (restarted) {
    const durable = smart.durable(n2);
    n2 = smart.step(smart.init('n2', config(params)),
      { kind: 'restart', now: 2, durable }).state;
  }
  return deliver(n2, 'n3', { t: 'stateRequest', cfg: 1, have }).sent;
}

describe('SMART incremental state transfer', () => {
  it('a machine a few slots behind gets only the slots it lacks, in one message', () => {
    const sent = answer(95);
    expect(sent.map((m) => m.t)).toEqual(['decidedRange']);
    const range = sent[0] as Extract<Msg, { t: 'decidedRange' }>;
    expect(range.slots.map((d) => d.slot)).toEqual([96, 97, 98, 99, 100]);
    // Far cheaper in bytes than the full copy a machine far behind gets.
    const full = answer(0).find((m) => m.t === 'stateCopy')!;
    expect(sizeOf(full)).toBeGreaterThan(10_000);
    expect(sizeOf(range) * 5).toBeLessThan(sizeOf(full));
  });

  it('applied, the range brings the machine to the sender’s exact state', () => {
    const n3 = decide(machine('n3', {}), 0, 95);
    const range = answer(95)[0]!;
    const caught = deliver(n3, 'n2', range).state;
    const n2 = decide(machine('n2', {}), 0, 100);
    expect(caught.em.lastExec).toBe(100);
    expect(caught.em.ckpt.digest).toBe(n2.em.ckpt.digest);
  });

  it('served from the record of executed slots once the log is truncated', () => {
    expect(answer(95, {}, true).map((m) => m.t)).toEqual(['decidedRange']);
    // The record is volatile: a sender that restarted holds neither, and copies its checkpoint.
    expect(answer(95, {}, true, true).map((m) => m.t)).toEqual(['stateCopy']);
  });

  it('a machine further behind than incrementalSlots gets a full copy, even from the log', () => {
    // 40 slots behind, all in n2's log: incremental with the default 64, a full copy with 20.
    expect(answer(60).map((m) => m.t)).toEqual(['decidedRange']);
    expect(answer(60, { incrementalSlots: 20 }).map((m) => m.t)).toEqual(['stateCopy']);
    expect(answer(99, { incrementalSlots: 0 }).map((m) => m.t)).toEqual(['stateCopy']);
  });

  it('after a full copy, the decided slots above the checkpoint follow in one message', () => {
    let n2 = decide(machine('n2', {}), 0, 107);
    expect(n2.em.ckpt.index).toBe(100);
    n2 = deliver(n2, 'n1', { t: 'heartbeat', cfg: 1, ballot: 1, commit: 107, stable: 100 }).state;
    const sent = deliver(n2, 'n3', { t: 'stateRequest', cfg: 1, have: 0 }).sent;
    expect(sent.map((m) => m.t)).toEqual(['stateCopy', 'decidedRange']);
    const range = sent[1] as Extract<Msg, { t: 'decidedRange' }>;
    expect(range.slots.map((d) => d.slot)).toEqual([101, 102, 103, 104, 105, 106, 107]);
  });
});

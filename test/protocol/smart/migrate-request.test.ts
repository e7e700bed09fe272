/**
 * MIGRATE as a request (P1.6 step 1): the leader queues it behind client requests and answers
 * the operator once executed; non-leaders redirect it with their configuration number; a
 * command nobody submitted (no requester to answer) is not taken.
 */
import { describe, expect, it } from 'vitest';
import { AssertionFailure } from '../../../protocol/assert.js';
import { smart } from '../../../protocol/smart/index.js';
import { parseMigrate } from '../../../protocol/smart/migration.js';
import type { Disk, Msg, State } from '../../../protocol/smart/types.js';
import type { Effect, ProtocolConfig, ProtocolEvent } from '../../../protocol/types.js';

const nodes = ['n1', 'n2', 'n3', 'n4'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
const cfg: ProtocolConfig = { nodes, replicas: ['n1', 'n2', 'n3'],
  params: { ...smart.defaults, alpha: 4 }, mutant: null };
/** n1 leaves: its configuration-1 leader stays the newest replica it has, answering resends. */
const command = { name: 'migrate', args: { id: 'm1', members: ['n2', 'n3', 'n4'] } };

/** Steps one machine, keeping its effects. */
class Machine {
  state: State;
  out: Effect<Msg>[] = [];
  now = 0;
  constructor(id: string) {
    this.state = smart.init(id, cfg);
    this.step({ kind: 'restart', now: 0, durable: null });
  }
  step(ev: ProtocolEvent<Msg, Disk>): void {
    const r = smart.step(this.state, ev);
    this.state = r.state;
    this.out.push(...r.effects);
  }
  submit(seq: number): void {
    this.step({ kind: 'operator', now: ++this.now, command, from: { client: 'operator', seq } });
  }
  proposed(): unknown[] {
    return this.out.flatMap((e) => (e.kind === 'observe' && e.label === 'propose'
      ? [(e.data as { command: string }).command] : []));
  }
  replies(): unknown[] {
    return this.out.flatMap((e) => (e.kind === 'reply' ? [[e.seq, e.outcome]] : []));
  }
}

/** n1 leads configuration 1 (a quorum of one vote besides its own). */
function leader(): Machine {
  const n1 = new Machine('n1');
  n1.step({ kind: 'timer', now: ++n1.now, timer: 'el:1' });
  const ballot = n1.state.replicas.get(1)!.promised;
  n1.step({ kind: 'message', now: ++n1.now, from: 'n2', msg: { t: 'pollReply', cfg: 1, ballot,
    vote: { entries: [], trunc: 0, exec: 0, ckpt: 0 } } });
  expect(n1.state.replicas.get(1)!.role).toBe('leader');
  return n1;
}

describe('MIGRATE submitted as a request', () => {
  it('the leader orders it like a client request, in the next admissible slot', () => {
    const n1 = leader();
    n1.step({ kind: 'clientRequest', now: ++n1.now,
      request: { client: 'c0', seq: 1, op: { type: 'get', key: 'k' } } });
    n1.submit(1);
    n1.submit(1); // A resend while it is in flight: not queued twice.
    expect(n1.proposed()).toEqual(['c0#1', 'migrate:m1']);
  });

  it('once executed, a resend is answered done at once', () => {
    const n1 = leader();
    n1.submit(1);
    const ballot = n1.state.replicas.get(1)!.promised;
    for (const from of ['n1', 'n2']) {
      n1.step({ kind: 'message', now: ++n1.now, from, msg: { t: 'logged', cfg: 1, ballot,
        slot: 1, ckpt: 0 } });
    }
    expect(n1.state.em.table.map((e) => [e.num, e.first, e.last])).toEqual([[1, 1, 4],
      [2, 5, null]]);
    expect(n1.replies()).toEqual([[1, { type: 'done', result: { ok: true } }]]);
    n1.submit(2);
    expect(n1.replies()).toHaveLength(2);
    // Proposed once; the rest of the closed range is null-filled (P1.6 step 4).
    expect(n1.proposed().filter((c) => c !== 'null')).toEqual(['migrate:m1']);
  });

  it('executing it proposes the null fill before the next slot runs (P1.6 after_execute)', () => {
    const n1 = leader();
    n1.submit(1);
    n1.step({ kind: 'clientRequest', now: ++n1.now,
      request: { client: 'c0', seq: 1, op: { type: 'get', key: 'k' } } });
    expect(n1.proposed()).toEqual(['migrate:m1', 'c0#1']);
    const ballot = n1.state.replicas.get(1)!.promised;
    const logged = (from: string, slot: number): void => n1.step({ kind: 'message',
      now: ++n1.now, from, msg: { t: 'logged', cfg: 1, ballot, slot, ckpt: 0 } });
    // Slot 2 is decided first and waits for slot 1; slot 1's quorum runs both in one step.
    logged('n2', 2);
    logged('n1', 2);
    const before = n1.out.length;
    logged('n2', 1);
    logged('n1', 1);
    const step = n1.out.slice(before).flatMap((e) => {
      if (e.kind === 'reply') return [`reply ${e.to}`];
      if (e.kind === 'send' && e.msg.t === 'propose') return [`PROPOSE ${e.msg.slot}->${e.to}`];
      if (e.kind !== 'observe' || (e.label !== 'exec' && e.label !== 'propose')) return [];
      return [`${e.label} ${String((e.data as { slot: number }).slot)}`];
    });
    // LastSlot = 1 + α − 1 = 4: slots 3 and 4 get nulls, proposed and sent while MIGRATE
    // executes, before slot 2 runs and before its client hears back.
    expect(step).toEqual(['reply operator', 'exec 1',
      'propose 3', 'PROPOSE 3->n2', 'PROPOSE 3->n3', 'propose 4', 'PROPOSE 4->n2', 'PROPOSE 4->n3',
      'reply c0', 'exec 2']);
  });

  it('a follower redirects it to its leader, naming its configuration', () => {
    const n2 = new Machine('n2');
    n2.step({ kind: 'message', now: 1, from: 'n1', msg: { t: 'heartbeat', cfg: 1,
      ballot: 1025, commit: 0, stable: 0 } });
    n2.submit(1);
    expect(n2.replies()).toEqual([[1, { type: 'redirect', leader: 'n1',
      members: ['n1', 'n2', 'n3'], config: 1 }]]);
  });

  it('arguments that are no {id, members} object fail its own assertion (Stryker #6003 of the ' +
    'seed-43 sample read null as an object: a TypeError)', () => {
    const from = { client: 'operator', seq: 1 };
    for (const args of [null, 'm1', ['n2', 'n3']]) {
      expect(() => parseMigrate(args, from)).toThrow(AssertionFailure);
      expect(() => parseMigrate(args, from)).toThrow(/^smart: migrate needs \{id, members\}$/);
    }
  });

  it('an object without a non-empty members list fails its own assertion (Stryker #6074 of ' +
    'the seed-45 sample accepted [] and read a missing list: a TypeError)', () => {
    const from = { client: 'operator', seq: 1 };
    for (const args of [{ id: 'm1' }, { id: 'm1', members: [] }, { id: 'm1', members: 'n2' }]) {
      expect(() => parseMigrate(args, from)).toThrow(AssertionFailure);
      expect(() => parseMigrate(args, from)).toThrow(/^smart: migrate needs a members list$/);
    }
  });

  it('a missing, empty or non-string id fails its own assertion (Stryker #6156 of the seed-48 ' +
    'sample, `&&` -> `||`, took an empty id or a list for one)', () => {
    const from = { client: 'operator', seq: 1 };
    const members = ['n2', 'n3', 'n4'];
    for (const args of [{ members }, { id: '', members }, { id: ['m1'], members },
      { id: 7, members }]) {
      expect(() => parseMigrate(args, from)).toThrow(AssertionFailure);
      expect(() => parseMigrate(args, from)).toThrow(/^smart: migrate needs a string id$/);
    }
  });

  it('a command without a requester is ignored: nobody could retry or hear of it', () => {
    const n1 = leader();
    n1.step({ kind: 'operator', now: ++n1.now, command });
    expect(n1.proposed()).toEqual([]);
  });
});

/**
 * opb-ack-echo (P2.4 #5): an ACK that does not advance draws at most one tail re-send per T_hb
 * per index. Explore trial 1110293 of opb-join-from-heartbeat ran such re-sends and their echoes
 * into 1.2 M messages; the declared mutant opb:resend-every-stall (the protocol before the fix)
 * fails the check on opb-steady seed 1. These runs are built by hand: n3 primary, n1 its backup.
 */
import { describe, expect, it } from 'vitest';
import { ackEchoProblems } from '../../properties/opb-ack-echo.js';
import type {
  MessageFact, NodeEvent, Observation, RunRecord,
} from '../../simulator/run-record.js';

let step = 0;
/** n1's ACK of `i`, delivered to n3 at `at`. */
const ack = (at: number, i: number): MessageFact => ({
  sent: at - 5_000, at, from: 'n1', to: 'n3', drop: null, step: step++,
  label: `Ack s0 e=1.n3 i=${i}@1.n3`,
});
/** n3's update to n1 from `prev`, sent at `at`. */
const upd = (at: number, prev: number, n = 2): MessageFact => ({
  sent: at, at: at + 5_000, from: 'n3', to: 'n1', drop: null,
  label: `Upd s0 n3@1.n3 m0[n3,n1,n5] prev=${prev}@1.n3 n=${n}` +
    `${n > 0 ? ` first=${prev + 1}` : ''} stable=0`,
});
const xfer = (at: number): MessageFact => ({
  sent: at, at: at + 5_000, from: 'n3', to: 'n1', drop: null, label: 'Xfer s0 n3@1.n3 i=8',
});

function run(messages: MessageFact[], nodeEvents: NodeEvent[] = [],
  observations: Observation[] = []): RunRecord {
  return { messages, nodeEvents, observations, params: { hbUs: 50_000 }, metrics: {} } as
    unknown as RunRecord;
}

/** n1 acks 6 at 1 s; two copies of that ACK arrive at `first` and `again`, each re-sent from. */
const twice = (first: number, again: number, n = 2): MessageFact[] =>
  [ack(1_000_000, 6), ack(first, 6), upd(first, 6, n), ack(again, 6), upd(again, 6, n)];

const problems = (r: ReturnType<typeof ackEchoProblems>): string[] | string =>
  typeof r === 'string' ? r : r.problems;

describe('opb-ack-echo', () => {
  it('fails a second re-send from 6 for an ACK of 6 that did not advance, 20 ms on', () => {
    expect(problems(ackEchoProblems(run(twice(1_010_000, 1_030_000))))).toEqual([
      's0: primary n3 re-sent n1\'s tail from 6 at t=1030000us for ACK e=1.n3 i=6 (delivered ' +
      'before: i=6 at t=1010000us), 20000us after re-sending it from 6 at t=1010000us (under ' +
      'T_hb = 50000us): each echo of a re-send drew another re-send',
    ]);
  });

  it('fails a re-send from 6 for a late ACK of 6, 10 ms after one from 7', () => {
    const late = [ack(1_000_000, 7), ack(1_010_000, 7), upd(1_010_000, 7), ack(1_020_000, 6),
      upd(1_020_000, 6)];
    expect(problems(ackEchoProblems(run(late)))).toHaveLength(1);
    // Not the other way round: a re-send from 7 after one from 6 is progress.
    const up = [ack(1_000_000, 7), ack(1_010_000, 6), upd(1_010_000, 6), ack(1_020_000, 7),
      upd(1_020_000, 7)];
    expect(problems(ackEchoProblems(run(up)))).toEqual([]);
  });

  it('holds T_hb later, for an advancing ACK, an empty update, after a transfer or a crash', () => {
    const cases: RunRecord[] = [
      run(twice(1_010_000, 1_060_000)),
      // The first ACK of 6 advances: its update from 6 is no re-send.
      run(twice(1_010_000, 1_030_000).slice(1)),
      run(twice(1_010_000, 1_030_000, 0)),
      run([...twice(1_010_000, 1_030_000), xfer(1_020_000)]),
      run(twice(1_010_000, 1_030_000), [{ at: 1_020_000, seq: 0, node: 'n3', kind: 'up' }]),
      run(twice(1_010_000, 1_030_000), [{ at: 500_000, seq: 0, node: 'n3', kind: 'skewed' }]),
    ];
    for (const r of cases) expect(problems(ackEchoProblems(r))).toEqual([]);
    // Judged all the same: the two re-sends T_hb apart.
    const r = ackEchoProblems(cases[0]!);
    expect(typeof r === 'string' ? r : r.judged).toBe(2);
  });

  it('takes an update of a write executed after the ACK\'s step, at its instant, for that ' +
    'write\'s replication, not the ACK\'s re-send (explore trial 1462014 of ' +
    'opb-notice-step-down, a false alarm)', () => {
    // n1 acks 6 at 1 s and again at 1.01 s, at n3's tip (nothing to re-send); at that instant,
    // in a later step, n3 executes a client's write as entry 7 and sends it on from 6. At 1.03 s
    // n1's ACK of 6 comes again: its re-send of 7 is the first.
    const first = ack(1_010_000, 6);
    const exec = (s: number): Observation => ({ at: 1_010_000, seq: 0, node: 'n3', step: s,
      label: 'opb.exec', data: { service: 0, epoch: '1.n3', index: 7 } });
    const messages = [ack(1_000_000, 6), first, upd(1_010_000, 6, 1), ack(1_030_000, 6),
      upd(1_030_000, 6, 1)];
    const fresh = ackEchoProblems(run(messages, [], [exec(first.step! + 1)]));
    expect(typeof fresh === 'string' ? fresh : fresh.problems).toEqual([]);
    // Executed in the ACK's own step or before it, that update could be its re-send: judged.
    expect(problems(ackEchoProblems(run(messages, [], [exec(first.step!)])))).toHaveLength(1);
    expect(problems(ackEchoProblems(run(messages)))).toHaveLength(1);
  });

  it('does not judge a run without its message record', () => {
    expect(ackEchoProblems({ params: {}, metrics: {} } as unknown as RunRecord))
      .toBe('the run kept no message record');
  });
});

/**
 * opb-c3-closure's spurious-failover part (P2.5, P2.7 C3): in runs whose only faults are crashes
 * with their disks, a promotion deposes a healthy primary unless that primary crashed since its
 * own promotion (a crashed primary comes back as a backup: its role ended with the crash).
 */
import { describe, expect, it } from 'vitest';
import { opbClosure } from '../../properties/opb-convergence.js';
import type { Json } from '../../protocol/types.js';
import type {
  MessageFact, NodeEvent, Observation, RunRecord,
} from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const MEMBERS = ['n4', 'n8'];
const promote = (at: number, node: string, counter: number): Observation =>
  fact(at, node, 'opb.role', { service: 1, role: 'primary', epoch: `${counter}.${node}`,
    counter, reason: 'suspect' });
const stepDown = (at: number, node: string, reason: string): Observation =>
  fact(at, node, 'opb.role', { service: 1, role: 'reconciling', epoch: '9.n8', counter: 9,
    reason });
const ev = (at: number, node: string, kind: NodeEvent['kind']): NodeEvent =>
  ({ at, seq: seq++, node, kind });

function run(roles: Observation[], nodeEvents: NodeEvent[]): RunRecord {
  const obs = [
    ...MEMBERS.map((n) => fact(0, n, 'opb.node', { dc: n, zone: n, amnesia: false, hosted: 1 })),
    ...roles,
  ].sort((a, b) => a.at - b.at || a.seq - b.seq);
  const crashes = nodeEvents.filter((e) => e.kind === 'down')
    .map((e) => ({ at: e.at, kind: 'crash', node: e.node }));
  return { ...fakeRun({ observations: obs, nodeEvents, endUs: 6_500_000,
    faultWindowEndUs: 4_000_000 }), protocol: 'opb', replicas: MEMBERS,
  faults: crashes as unknown as RunRecord['faults'] };
}

const FIRST = [promote(50_000, 'n4', 1)];
const N4_DOWN = [ev(1_000_000, 'n4', 'down'), ev(4_000_000, 'n4', 'up')];

describe('opb-c3-closure: deposing a healthy primary', () => {
  it('excuses the failover of a primary that crashed, however late (explore seed 850253)', () => {
    // n4 crashes at 1 s, n8 takes over at 1.2 s and crashes at 1.5 s; both are back at 4 s,
    // and n4 promotes at 4.05 s over a group of backups: n8's role ended with its crash.
    const v = opbClosure.check(run([...FIRST, promote(1_200_000, 'n8', 2),
      promote(4_050_000, 'n4', 3)], [...N4_DOWN, ev(1_500_000, 'n8', 'down'),
      ev(4_000_000, 'n8', 'up')]));
    expect(v.status).toBe('pass');
  });

  it('fails when the primary never crashed', () => {
    const v = opbClosure.check(run([...FIRST, promote(1_200_000, 'n8', 2),
      promote(4_050_000, 'n4', 3)], N4_DOWN));
    expect(v.status).toBe('fail');
    expect(v.message).toBe('s1: n4 deposed the healthy primary n8 at t=4050000us (suspect)');
  });

  // n8 took over at 1.2 s, crashed at 1.5 s, was back at 3.99 s and claimed again at 4.04 s;
  // n4, back at 4 s, claims at 4.05 s, before it could know of n8's claim.
  const CROSSED = [...FIRST, promote(1_200_000, 'n8', 2), promote(4_040_000, 'n8', 3),
    promote(4_050_000, 'n4', 4)];
  const BOTH_DOWN = [...N4_DOWN, ev(1_500_000, 'n8', 'down'), ev(3_990_000, 'n8', 'up')];
  const DEPOSED = 's1: n4 deposed the healthy primary n8 at t=4050000us (suspect)';

  it('excuses a claim that crossed the primary\'s and lost to it (explore trial 993465)', () => {
    // n4 loses to n8 0.85 ms later: n8 kept the role.
    const v = opbClosure.check(run([...CROSSED, stepDown(4_050_850, 'n4', 'lost')], BOTH_DOWN));
    expect(v.status).toBe('pass');
  });

  it('fails when the primary left the role first, or the claimant stepped down otherwise', () => {
    for (const after of [
      [stepDown(4_050_500, 'n8', 'lost'), stepDown(4_050_850, 'n4', 'lost')],
      [stepDown(4_050_850, 'n4', 'handoff')],
    ]) {
      const v = opbClosure.check(run([...CROSSED, ...after], BOTH_DOWN));
      expect(v.status).toBe('fail');
      expect(v.message).toBe(DEPOSED);
    }
  });

  it('fails when the claim came T_fd or more after the primary\'s (it could have known)', () => {
    // opb:self-promote-on-recovery: n8 primary since 1.2 s; n4, back at 4 s, claims at 4.05 s
    // and loses at once. Losing does not excuse a claim over a primary it could have heard.
    const v = opbClosure.check(run([...FIRST, promote(1_200_000, 'n8', 2),
      promote(4_050_000, 'n4', 3), stepDown(4_050_850, 'n4', 'lost')], N4_DOWN));
    expect(v.status).toBe('fail');
    expect(v.message).toBe(DEPOSED);
  });

  // Explore trial 1741118 of opb-diurnal-four: n8 claims at 4.04 s, and its messages wait for
  // its epoch's disk write; n4 claims at 4.05 s as the top-ranked member and wins by rank.
  const WON = [...CROSSED, stepDown(4_060_000, 'n8', 'lost')];
  const msg = (sent: number, at: number, from: string, to: string): MessageFact =>
    ({ sent, at, from, to, label: 'HB', drop: null });
  const recorded = (messages: MessageFact[]): RunRecord => ({ ...run(WON, BOTH_DOWN), messages });

  it('excuses a claim that crossed the primary\'s and won, when no news of it could arrive', () => {
    // n8's messages before its claim, and one sent after it that arrives too late, tell nothing.
    const v = opbClosure.check(recorded([msg(4_030_000, 4_036_000, 'n8', 'n4'),
      msg(4_045_000, 4_051_000, 'n8', 'n4'), msg(4_041_000, 4_050_500, 'n8', 'n2')]));
    expect(v.status).toBe('pass');
  });

  it('fails a winning claim whose claimant could have heard of the primary, even by relay', () => {
    for (const messages of [
      [],
      [msg(4_041_000, 4_046_000, 'n8', 'n4')],
      [msg(4_041_000, 4_043_000, 'n8', 'n2'), msg(4_044_000, 4_048_000, 'n2', 'n4')],
      [msg(4_041_000, 4_050_000, 'n8', 'n4')],
    ]) {
      const v = opbClosure.check(messages.length === 0 ? run(WON, BOTH_DOWN) : recorded(messages));
      expect(v.status).toBe('fail');
      expect(v.message).toBe(DEPOSED);
    }
    // A relay sent before the relayer heard of the claim carries no news of it.
    const early = recorded([msg(4_041_000, 4_045_000, 'n8', 'n2'),
      msg(4_044_000, 4_048_000, 'n2', 'n4')]);
    expect(opbClosure.check(early).status).toBe('pass');
    // A dropped message carries nothing.
    const dropped = recorded([{ ...msg(4_041_000, 4_046_000, 'n8', 'n4'), drop: 'loss' }]);
    expect(opbClosure.check(dropped).status).toBe('pass');
  });

  it('fails when the primary crashed only before its promotion', () => {
    // n8 crashed at 1.5 s and was back at 1.6 s; promoted again at 1.8 s, it is healthy when n4
    // promotes at 2 s (a window after the crash used to excuse this).
    const v = opbClosure.check(run([...FIRST, promote(1_200_000, 'n8', 2),
      promote(1_800_000, 'n8', 3), promote(2_000_000, 'n4', 4)], [
      ev(1_000_000, 'n4', 'down'), ev(1_100_000, 'n4', 'up'), ev(1_500_000, 'n8', 'down'),
      ev(1_600_000, 'n8', 'up')]));
    expect(v.status).toBe('fail');
    expect(v.message).toBe('s1: n4 deposed the healthy primary n8 at t=2000000us (suspect)');
  });
});

/**
 * The settle scan behind C1-C3 (P2.7) and a planned handoff: the samples just after one are
 * excused (digests lag the role change by up to a heartbeat) only if the successor took the role
 * by it. Explore trial 1740326 of opb-diurnal-four: n10 handed s0 to n2 at 8.5 s, 120 us before
 * n2 left the group for a rival's claim; nobody took the role, n10 claimed it by suspicion at
 * 8.7 s, and the excuse had put convergence at 8.55 s, so C3 called that failover a change after
 * convergence. The group had no primary from 8.5 s to 8.7 s: C1 holds only after the failover.
 */
import { describe, expect, it } from 'vitest';
import { opbClosure, opbUniquePrimary } from '../../properties/opb-convergence.js';
import type { Json } from '../../protocol/types.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const NODES = ['n10', 'n2'];
const HANDOFF = 1_480_000;

type Step = [role: string, primary: string | null, epoch: string, mver: number];

/**
 * n10 leads s0 (1.n10) with backup n2 from 0.1 s, digests every 50 ms; the faults end at 1 s.
 * At 1.48 s n10 hands s0 to n2 (2.n2, n2 first). `n10` and `n2` give each node's digest from an
 * instant on (null: it reports none); `extra` adds the facts of the case.
 */
function run(n10: [number, Step][], n2: [number, Step | null][], extra: Observation[]):
  RunRecord {
  const obs: Observation[] = NODES.map((n) =>
    fact(0, n, 'opb.node', { dc: n, zone: n, amnesia: false, hosted: 1 }));
  obs.push(fact(50_000, 'n10', 'opb.role', { service: 0, role: 'primary', epoch: '1.n10',
    counter: 1, reason: 'suspect' }));
  obs.push(fact(HANDOFF, 'n10', 'opb.move', { service: 0, kind: 'balance', add: 'n2',
    drop: 'n10', phase: 'start', coolUs: 1_000_000, members: NODES }));
  obs.push(fact(HANDOFF, 'n10', 'opb.role', { service: 0, role: 'backup', epoch: '2.n2',
    counter: 2, reason: 'handoff' }));
  obs.push(...extra);
  const at = <T>(steps: [number, T][], t: number): T =>
    steps.filter(([from]) => from <= t).pop()![1];
  for (let t = 100_000; t <= 3_000_000; t += 50_000) {
    for (const [node, step] of [['n10', at(n10, t)], ['n2', at(n2, t)]] as const) {
      if (step === null) continue;
      const [role, primary, epoch, mver] = step;
      obs.push(fact(t, node, 'opb.digest', { service: 0, role, primary, epoch, index: 5,
        base: 0, state: 'full', members: mver === 0 ? NODES : ['n2', 'n10'],
        membershipVersion: mver, lineage: '1.n10:5' }));
    }
  }
  obs.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return { ...fakeRun({ observations: obs, faultWindowEndUs: 1_000_000, endUs: 3_000_000 }),
    protocol: 'opb', replicas: NODES, params: { fdUs: 150_000, hbUs: 50_000 } };
}

const LEADS: Step = ['primary', 'n10', '1.n10', 0];
const FOLLOWS: Step = ['backup', 'n10', '1.n10', 0];

describe('opb-c3-closure and C1: a planned handoff that lapsed', () => {
  // n2 left s0 at 1.4801 s (a rival's claim); n10 follows n2 until its failure detector gives
  // up at 1.65 s, claims 3.n10 at 1.7 s; n2, named by its heartbeat, joins and follows it.
  const lapsed = run(
    [[0, LEADS], [1_500_000, ['backup', 'n2', '2.n2', 1]],
      [1_650_000, ['backup', null, '2.n2', 1]], [1_700_000, ['primary', 'n10', '3.n10', 1]]],
    [[0, FOLLOWS], [1_480_100, null], [1_750_000, ['backup', 'n10', '3.n10', 1]]],
    [fact(1_480_100, 'n2', 'opb.leave', { service: 0, membershipVersion: 0 }),
      fact(1_700_000, 'n10', 'opb.role', { service: 0, role: 'primary', epoch: '3.n10',
        counter: 3, reason: 'suspect' }),
      fact(1_710_000, 'n2', 'opb.join', { service: 0, primary: 'n10', membershipVersion: 1 })]);

  it('converges only after the failover, which is no change after convergence', () => {
    // The old rule: "s0: n10 became primary (suspect) at t=1700000us after convergence".
    expect(opbClosure.check(lapsed).message).toBe('no primary change after convergence');
    const c1 = opbUniquePrimary.check(lapsed);
    expect(c1.status).toBe('pass');
    // The last bad sample is 1.7 s: n2's last digest (it follows 1.n10) is 250 ms old then.
    expect(c1.measures?.['convergeUs']).toBe(750_000);
  });

  // n2 took the role by the HANDOFF at 1.492 s and reports it from 1.5 s.
  const took: Observation = fact(1_492_000, 'n2', 'opb.role', { service: 0, role: 'primary',
    epoch: '2.n2', counter: 2, reason: 'handoff' });
  const handedOver = (extra: Observation[]): RunRecord => run(
    [[0, LEADS], [1_500_000, ['backup', 'n2', '2.n2', 1]], ...(extra.length === 0 ? [] : [
      [2_500_000, ['primary', 'n10', '3.n10', 1]] as [number, Step]])],
    [[0, FOLLOWS], [1_550_000, ['primary', 'n2', '2.n2', 1]],
      ...(extra.length === 0 ? [] : [[2_550_000, ['backup', 'n10', '3.n10', 1]] as
        [number, Step]])],
    [took, ...extra]);

  it('still excuses the lag of a handoff that took effect', () => {
    // At 1.5 s n10 follows n2 while n2's digest still follows n10: no primary, but planned.
    const c1 = opbUniquePrimary.check(handedOver([]));
    expect(c1.status).toBe('pass');
    expect(c1.measures?.['convergeUs']).toBe(0);
    expect(opbClosure.check(handedOver([])).status).toBe('pass');
  });

  it('fails a later failover over the successor', () => {
    const v = opbClosure.check(handedOver([fact(2_500_000, 'n10', 'opb.role', { service: 0,
      role: 'primary', epoch: '3.n10', counter: 3, reason: 'suspect' })]));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('s0: n10 deposed the healthy primary n2 at t=2500000us');
  });
});

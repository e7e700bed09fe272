/**
 * opb-dominance (P2.5 during the faults): of two primaries whose claims meet at a common
 * member, the dominated one steps down within T_fd + 2·T_hb + ε.
 */
import { describe, expect, it } from 'vitest';
import { dominates, opbDominance } from '../../properties/opb-dominance.js';
import type { Json } from '../../protocol/types.js';
import type { FaultEvent } from '../../simulator/config.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const MEMBERS = ['n1', 'n2', 'n3'];

/**
 * n1 (rank 0, epoch 3.n1) is primary throughout; n2 (rank 1, epoch 2.n2) is primary until
 * `n2StepsDownAt`; n3 is a backup of n1. Everyone reports every 50 ms until 3 s.
 */
function run(n2StepsDownAt: number, faults: FaultEvent[] = []): RunRecord {
  const obs: Observation[] = [];
  for (const n of MEMBERS) {
    obs.push(fact(0, n, 'opb.node', { dc: n, zone: n, amnesia: false, hosted: 1 }));
  }
  for (let t = 50_000; t <= 3_000_000; t += 50_000) {
    const digest = (n: string, role: string, primary: string, epoch: string): Observation =>
      fact(t, n, 'opb.digest', { service: 0, role, primary, epoch, index: 0, base: 0,
        state: 'x', members: MEMBERS, membershipVersion: 0, lineage: '' });
    obs.push(digest('n1', 'primary', 'n1', '3.n1'));
    obs.push(t < n2StepsDownAt ? digest('n2', 'primary', 'n2', '2.n2')
      : digest('n2', 'reconciling', 'n1', '3.n1'));
    obs.push(digest('n3', 'backup', 'n1', '3.n1'));
  }
  const node = (name: string) => ({ name, dc: name, zone: name, client: false });
  return {
    ...fakeRun({ observations: obs, faultWindowEndUs: 2_500_000, endUs: 3_000_000 }),
    protocol: 'opb', replicas: MEMBERS, faults, params: { fdUs: 150_000, hbUs: 50_000 },
    endpoints: [...MEMBERS.map(node), { name: 'c0', dc: 'n1', zone: 'n1', client: true }],
  };
}

describe('opb-dominance', () => {
  it('orders claims by version, then rank, then epoch, then node id', () => {
    const c = (node: string, epoch: string, mver: number, members = MEMBERS) =>
      ({ node, epoch, mver, members });
    expect(dominates(c('n2', '1.n2', 1), c('n1', '5.n1', 0))).toBe(true);
    expect(dominates(c('n1', '1.n1', 0), c('n2', '5.n2', 0))).toBe(true);
    expect(dominates(c('n2', '5.n2', 0, ['n2', 'n1']), c('n1', '4.n1', 0))).toBe(true);
    expect(dominates(c('n1', '4.n1', 0), c('n2', '5.n2', 0, ['n2', 'n1']))).toBe(false);
  });

  it('fails when the dominated primary stays primary past the bound, passes when it yields', () => {
    const v = opbDominance.check(run(Infinity));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/n2 \(2\.n2, v0\) still primary at t=\d+us, dominated by n1/);
    expect(v.message).toMatch(/bound 500000us/);
    // Meeting from the first digests (50 ms): 500 ms is allowed, 550 ms is not.
    expect(opbDominance.check(run(550_000)).status).toBe('pass');
    expect(opbDominance.check(run(650_000)).status).toBe('fail');
  });

  it('judges only while a common member talks both ways with both primaries', () => {
    // n3 cannot hear n2 until 2.5 s: the claims never meet (one-way cuts count as cut).
    const cut: FaultEvent[] = [{ at: 0, kind: 'partition', mode: 'sides', symmetry: 'oneWay',
      sides: [['n2'], ['n3']], id: 'x' }];
    expect(opbDominance.check(run(2_600_000, cut)).status).toBe('pass');
    // Cut from n1 only (n1 → n2 lost): n3 still hears both, so n2 must yield.
    const oneWay: FaultEvent[] = [{ at: 0, kind: 'partition', mode: 'sides',
      symmetry: 'oneWay', sides: [['n1'], ['n2']], id: 'x' }];
    expect(opbDominance.check(run(Infinity, oneWay)).status).toBe('fail');
  });

  it('does not judge while a targeted message fault is in force', () => {
    const drop: FaultEvent[] = [{ at: 0, kind: 'targeted', type: 'claim', action: 'drop',
      untilUs: 1_000_000 }];
    expect(opbDominance.check(run(1_400_000, drop)).status).toBe('pass');
    expect(opbDominance.check(run(1_700_000, drop)).status).toBe('fail');
  });
});

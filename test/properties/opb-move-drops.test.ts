/**
 * opb-move-drops (P2.6 make-before-break): a move its primary reports done has taken the dropped
 * replica out of the group, judged from the dropped node's own digests.
 */
import { describe, expect, it } from 'vitest';
import { opbMoveDrops } from '../../properties/opb-move-drops.js';
import type { Json } from '../../protocol/types.js';
import type { FaultEvent } from '../../simulator/config.js';
import type { NodeEvent, Observation, RunRecord } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const NODES = ['n1', 'n2', 'n3', 'n4'];

/**
 * n1 leads s0 with n2 and n3, moves n3's replica to n4 (start 0.5 s, done 1 s). n3 reports a
 * digest every 100 ms until `n3LeavesAt` (its `opb.leave` then), as a member of `n3Members`.
 */
function run(n3LeavesAt: number | null, extra: { faults?: FaultEvent[];
  nodeEvents?: NodeEvent[]; obs?: Observation[] } = {}): RunRecord {
  const obs: Observation[] = NODES.map((n) =>
    fact(0, n, 'opb.node', { dc: n, zone: n, amnesia: false, hosted: 1 }));
  const move = (at: number, phase: string, members: string[]): Observation =>
    fact(at, 'n1', 'opb.move', { service: 0, kind: 'consolidate', add: 'n4', drop: 'n3', phase,
      coolUs: 1_000_000, members });
  obs.push(move(500_000, 'start', ['n1', 'n2', 'n3']));
  obs.push(move(1_000_000, 'done', ['n1', 'n2', 'n4']));
  for (let t = 100_000; t <= 4_000_000; t += 100_000) {
    if (n3LeavesAt !== null && t >= n3LeavesAt) break;
    obs.push(fact(t, 'n3', 'opb.digest', { service: 0, role: 'backup', primary: 'n1',
      epoch: '1.n1', index: 0, base: 0, state: 'x',
      members: t < 1_000_000 ? ['n1', 'n2', 'n3'] : ['n1', 'n2', 'n3', 'n4'],
      membershipVersion: t < 1_000_000 ? 0 : 1, lineage: '' }));
  }
  if (n3LeavesAt !== null) {
    obs.push(fact(n3LeavesAt, 'n3', 'opb.leave', { service: 0, membershipVersion: 2 }));
  }
  const node = (name: string) => ({ name, dc: name, zone: name, client: false });
  return {
    ...fakeRun({ observations: [...obs, ...(extra.obs ?? [])], nodeEvents: extra.nodeEvents ?? [],
      faultWindowEndUs: 3_000_000, endUs: 4_000_000 }),
    protocol: 'opb', replicas: ['n1', 'n2', 'n3'], faults: extra.faults ?? [],
    params: { fdUs: 150_000, hbUs: 50_000 }, endpoints: NODES.map(node),
  };
}

describe('opb-move-drops', () => {
  it('fails when the dropped node still hosts the service past the bound after done', () => {
    const v = opbMoveDrops.check(run(null));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('s0: n1 reported its consolidate move dropping n3 done at ' +
      't=1000000us, but n3 still hosts it as a member at t=2600000us');
  });

  it('passes when the dropped node leaves the group', () => {
    const v = opbMoveDrops.check(run(1_020_000));
    expect(v.status).toBe('pass');
    expect(v.measures).toEqual({ judged: 1, superseded: 0 });
  });

  it('does not judge a move whose bound is not calm, or whose dropped node went down', () => {
    const cut: FaultEvent[] = [{ at: 1_200_000, kind: 'partition', mode: 'isolate',
      symmetry: 'symmetric', sides: [['n3']], id: 'p' },
    { at: 1_400_000, kind: 'heal', id: 'p' }];
    expect(opbMoveDrops.check(run(null, { faults: cut })).measures)
      .toEqual({ judged: 0, superseded: 0 });
    const restart: NodeEvent[] = [{ at: 1_500_000, seq: seq++, node: 'n3', kind: 'down' },
      { at: 1_600_000, seq: seq++, node: 'n3', kind: 'up' }];
    expect(opbMoveDrops.check(run(null, { nodeEvents: restart })).status).toBe('pass');
  });

  // Explore seed 166 of opb-diurnal-four: the primary, cut off until just before, finished its
  // move 1 us after the heal and then lost to the dropped node, a concurrent primary since the
  // cut; the winner's group keeps it (P2.1: all replicas adopt the winner's state).
  const lost = (at: number, node = 'n1', service = 0): Observation =>
    fact(at, node, 'opb.role', { service, role: 'reconciling', epoch: '2.n3', counter: 2,
      reason: 'lost' });

  it('does not judge a move whose primary lost a conflict within the bound', () => {
    const v = opbMoveDrops.check(run(null, { obs: [lost(1_006_000)] }));
    expect(v.status).toBe('pass');
    expect(v.measures).toEqual({ judged: 0, superseded: 1 });
  });

  it('still judges a move whose primary lost before done or after the bound, or in another ' +
    'group, or when another node lost', () => {
    for (const other of [lost(2_600_000), lost(1_006_000, 'n2'), lost(1_006_000, 'n1', 1),
      lost(900_000)]) {
      const v = opbMoveDrops.check(run(null, { obs: [other] }));
      expect(v.status).toBe('fail');
      expect(v.measures).toEqual({ judged: 1, superseded: 0 });
    }
  });

  it('does not judge a dropped node a later move adds back', () => {
    const back = fact(2_000_000, 'n1', 'opb.move', { service: 0, kind: 'spread', add: 'n3',
      drop: 'n4', phase: 'start', coolUs: 1_000_000, members: ['n1', 'n2', 'n4'] });
    expect(opbMoveDrops.check(run(null, { obs: [back] })).status).toBe('pass');
  });
});

/**
 * opb-no-resurrection (P2.6): a node that left a group at membership version v never hosts that
 * service again under an older membership, until it restarts.
 */
import { describe, expect, it } from 'vitest';
import { opbNoResurrection } from '../../properties/opb-no-resurrection.js';
import type { Json } from '../../protocol/types.js';
import type {
  MessageFact, NodeEvent, Observation, RunRecord,
} from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const NODES = ['n1', 'n5', 'n9'];

/**
 * n9 hosts s0 at `hosted` (v0), leaves at `leftAt` (v4) at 1 s, then reports a digest at
 * `version` at 2 s.
 */
function run(version: number, nodeEvents: NodeEvent[] = [], leftAt = 4, hosted = 0): RunRecord {
  const digest = (at: number, mver: number): Observation => fact(at, 'n9', 'opb.digest', {
    service: 0, role: 'backup', primary: 'n1', epoch: '1.n1', index: 0, base: 0, state: 'x',
    members: NODES, membershipVersion: mver, lineage: '' });
  const obs: Observation[] = [
    ...NODES.map((n) => fact(0, n, 'opb.node', { dc: n, zone: n, amnesia: false, hosted: 1 })),
    digest(500_000, hosted),
    fact(1_000_000, 'n9', 'opb.leave', { service: 0, membershipVersion: leftAt }),
    digest(2_000_000, version),
  ];
  return { ...fakeRun({ observations: obs, nodeEvents, endUs: 3_000_000 }), protocol: 'opb',
    replicas: NODES, params: { fdUs: 150_000, hbUs: 50_000 } };
}

/**
 * n9 leaves s0 at v4 at 1 s, joins it again at `version` at 1.5 s (a stale primary's heartbeat
 * adopted, say) and leaves again 20 ms later, before its next heartbeat: no digest shows it.
 */
function joinRun(version: number): RunRecord {
  const obs: Observation[] = [
    ...NODES.map((n) => fact(0, n, 'opb.node', { dc: n, zone: n, amnesia: false, hosted: 1 })),
    fact(1_000_000, 'n9', 'opb.leave', { service: 0, membershipVersion: 4 }),
    fact(1_500_000, 'n9', 'opb.join', { service: 0, primary: 'n1', membershipVersion: version }),
    fact(1_520_000, 'n9', 'opb.leave', { service: 0, membershipVersion: version }),
  ];
  return { ...fakeRun({ observations: obs, endUs: 3_000_000 }), protocol: 'opb',
    replicas: NODES, params: { fdUs: 150_000, hbUs: 50_000 } };
}

/**
 * Explore trial 1612277 of opb-three-way, cut down: n9 hosts s0 at version 4 under n5's epoch;
 * n5 is gone, and at 1 s n9 follows n1's gossiped claim of a newer epoch, n1@1:1.n1 m0[n1,n5]
 * (`gossip`: the message that step handled, if any), which brings its membership along: n9
 * reports its new epoch in that step (`epochFact`) and leaves at version `leftAt`.
 */
function followRun(leftAt: number, gossip: string | null, epochFact = true): RunRecord {
  const step = 7;
  const obs: Observation[] = [
    ...NODES.map((n) => fact(0, n, 'opb.node', { dc: n, zone: n, amnesia: false, hosted: 1 })),
    fact(500_000, 'n9', 'opb.digest', {
      service: 0, role: 'backup', primary: null, epoch: '1:1.n5', index: 9, base: 0,
      state: 'x', members: ['n5', 'n9'], membershipVersion: 4, lineage: '' }),
    ...(epochFact ? [{ ...fact(1_000_000, 'n9', 'opb.epoch',
      { service: 0, generation: 1, counter: 1, node: 'n1' }), step }] : []),
    { ...fact(1_000_000, 'n9', 'opb.leave', { service: 0, membershipVersion: leftAt }), step },
  ];
  const messages: MessageFact[] = gossip === null ? [] : [{ sent: 990_000, at: 1_000_000,
    from: 'n1', to: 'n9', label: gossip, drop: null, step }];
  return { ...fakeRun({ observations: obs, endUs: 3_000_000 }), protocol: 'opb',
    replicas: NODES, params: { fdUs: 150_000, hbUs: 50_000 }, messages };
}

describe('opb-no-resurrection', () => {
  it('takes a leave below the version held when its step followed a newer epoch (trial 1612277)',
    () => {
      // The old rule failed this: n9 reports leaving at version 0, below the 4 it held. But the
      // newer epoch n9 followed brought its version-0 membership, without n9, along.
      const claim = 'Gossip load=60 on=true hosted=1 claims=s0:n1@1:1.n1 m0[n1,n5]';
      const v = opbNoResurrection.check(followRun(0, claim));
      expect(v.status).toBe('pass');
      expect(v.measures).toEqual({ leaves: 1 });
      // A heartbeat or any claim-carrying message serves as well as a gossip.
      const hb = 'Hb s0 primary p=n1 e=1:1.n1 m0[n1,n5] i=43@1:1.n1 age=-1 stable=0';
      expect(opbNoResurrection.check(followRun(0, hb)).status).toBe('pass');
    });

  it('still fails a leave below the version held that no newer epoch explains', () => {
    const claim = 'Gossip load=60 on=true hosted=1 claims=s0:n1@1:1.n1 m0[n1,n5]';
    const low = 's0: n9 reports leaving at membership version 0 (t=1000000us), below the ' +
      'version 4 it held';
    // No new epoch in the leave's step: the node did not follow a newer claim.
    expect(opbNoResurrection.check(followRun(0, claim, false)).message).toContain(low);
    // The step handled no membership of that version without the node.
    expect(opbNoResurrection.check(followRun(0, null)).message).toContain(low);
    const named = 'Gossip load=60 on=true hosted=1 claims=s0:n1@1:1.n1 m0[n1,n9]';
    expect(opbNoResurrection.check(followRun(0, named)).message).toContain(low);
    const other = 'Gossip load=60 on=true hosted=1 claims=s1:n1@1:1.n1 m0[n1,n5]';
    expect(opbNoResurrection.check(followRun(0, other)).message).toContain(low);
    const v2 = opbNoResurrection.check(followRun(2, claim));
    expect(v2.message).toContain('n9 reports leaving at membership version 2');
    // Below 0 is never a version a primary issued (Stryker #2529), a new epoch or not.
    expect(opbNoResurrection.check(followRun(-1, claim)).message)
      .toContain('n9 reports leaving at membership version -1');
  });

  it('judges a join at once: taken back under an older membership, though gone by its digest',
    () => {
      const v = opbNoResurrection.check(joinRun(0));
      expect(v.status).toBe('fail');
      expect(v.message).toContain('s0: n9 left at membership version 4 (t=1000000us) but joins ' +
        'it again at version 0 (t=1500000us)');
      expect(opbNoResurrection.check(joinRun(5)).status).toBe('pass');
    });

  it('fails when a node hosts a service again under a membership older than it left at', () => {
    const v = opbNoResurrection.check(run(0));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('s0: n9 left at membership version 4 (t=1000000us) but hosts ' +
      'it again at version 0 (t=2000000us)');
  });

  it('passes when the node is taken back by a newer membership', () => {
    expect(opbNoResurrection.check(run(5)).status).toBe('pass');
  });

  it('does not hold a restarted node to what it knew before (its directory is volatile)', () => {
    const restart: NodeEvent[] = [{ at: 1_500_000, seq: seq++, node: 'n9', kind: 'down' },
      { at: 1_600_000, seq: seq++, node: 'n9', kind: 'up' }];
    expect(opbNoResurrection.check(run(0, restart)).status).toBe('pass');
  });

  it('fails a leave reported below the membership the node held (Stryker #2529: −1)', () => {
    // Mutant #2529 of the seed-51 sample reported −1 for every leave; the old rule skipped
    // negative versions, so a node hosting v0 again after leaving at v4 passed.
    const v = opbNoResurrection.check(run(0, [], -1));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('s0: n9 reports leaving at membership version -1 ' +
      '(t=1000000us), below the version 0 it held');
    const low = opbNoResurrection.check(run(5, [], 2, 3));
    expect(low.message).toContain('n9 reports leaving at membership version 2 ' +
      '(t=1000000us), below the version 3 it held');
    expect(opbNoResurrection.check(run(5, [], 3, 3)).status).toBe('pass');
  });

  it('holds a node back from its boot only to what it hosted since', () => {
    const restart: NodeEvent[] = [{ at: 600_000, seq: seq++, node: 'n9', kind: 'down' },
      { at: 700_000, seq: seq++, node: 'n9', kind: 'up' }];
    expect(opbNoResurrection.check(run(5, restart, 2, 3)).status).toBe('pass');
  });
});

/**
 * opb-loser-dominated (P2.5): a primary steps down as a conflict's loser only to a claim that
 * dominates its own by the spec's order.
 */
import { describe, expect, it } from 'vitest';
import { opbLoser } from '../../properties/opb-loser.js';
import type { Json } from '../../protocol/types.js';
import type { NodeEvent, Observation, RunRecord } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';
import { runChecked } from '../../scenarios/runner.js';
import { readSaved } from '../helpers/regressions.js';

let seq = 0;
const fact = (at: number, node: string, label: string, data: Json): Observation =>
  ({ at, seq: seq++, node, label, data });
const MEMBERS = ['n1', 'n2', 'n3'];
const STEP_DOWN = 1_000_000;

/**
 * n1 (rank 0, epoch 1.n1) and n2 (rank 1, epoch 2.n2) are both primary (n2 took over while n1
 * was cut off), both at membership version 0 unless `n2Version` says otherwise; at 1 s `loser`
 * steps down as a conflict's loser and follows the other. Digests every 50 ms.
 */
function run(loser: 'n1' | 'n2', n2Version = 0, nodeEvents: NodeEvent[] = []): RunRecord {
  const obs: Observation[] = [];
  const epochs: Record<string, string> = { n1: '1.n1', n2: '2.n2' };
  const winner = loser === 'n1' ? 'n2' : 'n1';
  for (const n of MEMBERS) {
    obs.push(fact(0, n, 'opb.node', { dc: n, zone: n, amnesia: false, hosted: 1 }));
  }
  for (let t = 50_000; t <= 2_000_000; t += 50_000) {
    for (const n of ['n1', 'n2']) {
      const primary = t < STEP_DOWN || n === winner;
      obs.push(fact(t, n, 'opb.digest', { service: 0, role: primary ? 'primary' : 'backup',
        primary: primary ? n : winner, epoch: epochs[primary ? n : winner]!, index: 0, base: 0,
        state: 'x', members: MEMBERS, membershipVersion: n === 'n2' ? n2Version : 0,
        lineage: '' }));
    }
  }
  obs.push(fact(STEP_DOWN, loser, 'opb.role', { service: 0, role: 'reconciling',
    epoch: epochs[winner]!, counter: 1, reason: 'lost' }));
  obs.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return { ...fakeRun({ observations: obs, nodeEvents, endUs: 2_000_000 }), protocol: 'opb',
    replicas: MEMBERS, params: { fdUs: 150_000, hbUs: 50_000 } };
}

describe('opb-loser-dominated', () => {
  it('fails when the better-ranked primary yields to a worse-ranked one of a higher epoch', () => {
    const v = opbLoser.check(run('n1'));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('n1 stepped down as a loser at t=1000000us, but its claim ' +
      '(1.n1, v0, rank 0) beats every primary\'s around then (n2)');
    expect(opbLoser.check(run('n2')).status).toBe('pass');
  });

  it('passes when the winner\'s claim dominates by a newer membership version', () => {
    expect(opbLoser.check(run('n1', 1)).status).toBe('pass');
  });

  it('looks back past a pause for the claim a resumed node relayed', () => {
    // n3 was primary at version 1 (dominating both) only at 100 ms: 900 ms before the step-down,
    // beyond 2·T_fd + 250 ms, unless a pause (n3 from 200 to 950 ms) kept its claim in flight.
    const withOld = (nodeEvents: NodeEvent[]): RunRecord => {
      const r = run('n1', 0, nodeEvents);
      const old = fact(100_000, 'n3', 'opb.digest', { service: 0, role: 'primary',
        primary: 'n3', epoch: '2.n3', index: 0, base: 0, state: 'x', members: MEMBERS,
        membershipVersion: 1, lineage: '' });
      return { ...r, observations: [old, ...r.observations] };
    };
    expect(opbLoser.check(withOld([])).status).toBe('fail');
    const pause: NodeEvent[] = [{ at: 200_000, seq: -2, node: 'n3', kind: 'paused' },
      { at: 950_000, seq: -1, node: 'n3', kind: 'resumed' }];
    expect(opbLoser.check(withOld(pause)).status).toBe('pass');
  });

  it('counts the claim a primary made for its successor at a planned handoff', () => {
    // n3, primary at version 0 until 900 ms, hands off to n2 with a claim at version 1 (n2
    // first); n2 never claims itself (its HANDOFF was lost), but n3 relays the claim and n1
    // yields to it (explore seed 860107). Without that handoff fact nothing beats n1's claim.
    const withHandoff = (handoff: boolean): RunRecord => {
      const r = run('n1');
      const extra = [fact(900_000, 'n3', 'opb.digest', { service: 0, role: 'primary',
        primary: 'n3', epoch: '1.n3', index: 0, base: 0, state: 'x', members: MEMBERS,
        membershipVersion: 0, lineage: '' })];
      if (handoff) {
        extra.push(fact(900_000, 'n3', 'opb.handoff', { service: 0, to: 'n2', epoch: '3.n2',
          membershipVersion: 1, members: ['n2', 'n1', 'n3'] }));
      }
      // n2 stays a backup throughout: the loser yields to the handed-off claim alone.
      const observations = [...r.observations.filter((o) => o.node !== 'n2'), ...extra]
        .sort((a, b) => a.at - b.at || a.seq - b.seq);
      return { ...r, observations };
    };
    const without = opbLoser.check(withHandoff(false));
    expect(without.status).toBe('fail');
    expect(without.message).toContain('beats every primary\'s around then (n3)');
    expect(opbLoser.check(withHandoff(true)).status).toBe('pass');
  });

  it('does not judge from the first corruption on', () => {
    const corrupt: NodeEvent[] = [{ at: 900_000, seq: -1, node: 'n3', kind: 'corrupted' }];
    expect(opbLoser.check(run('n1', 0, corrupt)).status).toBe('pass');
  });
  it('dates a claim from its step when its fact waited behind a slow disk', () => {
    // n2's digests from 950 ms on show version 1 (dominating n1's claim), each stamped 200 ms
    // late behind n2's slow disk: the claim was held, and could be sent, from its step on.
    const late = (withStep: boolean): RunRecord => {
      const r = run('n1');
      const observations = r.observations.map((o) => {
        if (o.node !== 'n2' || o.label !== 'opb.digest' || o.at < 950_000) return o;
        const data = { ...(o.data as Record<string, Json>), membershipVersion: 1 };
        return { ...o, data, at: o.at + 200_000, ...(withStep ? { stepAt: o.at } : {}) };
      }).sort((x, y) => x.at - y.at || x.seq - y.seq);
      return { ...r, observations };
    };
    expect(opbLoser.check(late(true)).status).toBe('pass');
    const v = opbLoser.check(late(false));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('n1 stepped down as a loser at t=1000000us');
  });

  it('explore trial 921702 of opb-asymmetric: n5\'s claim at version 1 was stamped late', () => {
    // n5's disk was slow (177 ms) until 1.44 s; its repair at 1.5 s (n1 dropped, n2 added,
    // version 1) went out on its gossip at once and n1 yielded to it at 1.507441 s, but every
    // fact of n5 from then waited behind its last slow write and was stamped at 1.614922 s.
    // The saved schedule on seed 1: since the primary's re-send rule seed 921702 no longer shows
    // it; seed 1 is the first of seeds 0-100 that does (8 and 21 too).
    const saved = runChecked({ ...readSaved(new URL('../protocol/optimistic/regressions/' +
      'explore-asymmetric-921702-winner-digest-behind-slow-disk.json', import.meta.url)), seed: 1,
    protocol: 'opb' }).record;
    const lost = saved.observations.find((o) => o.label === 'opb.role' && o.node === 'n1'
      && (o.data as { reason: string }).reason === 'lost');
    expect(lost?.at).toBe(1_507_441);
    const v1 = saved.observations.find((o) => o.label === 'opb.digest' && o.node === 'n5'
      && (o.data as { membershipVersion: number }).membershipVersion === 1);
    expect(v1).toMatchObject({ at: 1_614_922, stepAt: 1_500_000 });
    expect(opbLoser.check(saved).status).toBe('pass');
    // Judged by the stamps alone, n5's claim came too late to be what n1 yielded to.
    const stamped = { ...saved, observations: saved.observations.map((o) => {
      const { stepAt: _s, ...rest } = o;
      return rest;
    }) };
    const v = opbLoser.check(stamped);
    expect(v.status).toBe('fail');
    expect(v.message).toContain('s0: n1 stepped down as a loser at t=1507441us, but its claim ' +
      '(1:1.n1, v0, rank 0) beats every primary\'s around then (n5)');
  });
});

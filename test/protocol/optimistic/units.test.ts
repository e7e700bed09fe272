import { describe, expect, it } from 'vitest';
import { onXfer } from '../../../protocol/optimistic/backup.js';
import {
  addSeq, applyEntry, checkpoint, dataDigest, executed, checkpointDue, emptyData, epochOf,
  executeWrite, forkPoint, lastIndex, orphansOf, tagAt,
} from '../../../protocol/optimistic/data.js';
import {
  GEN_MOD, claimBeats, cmpEpoch, cmpGen, epochText, nextEpoch,
} from '../../../protocol/optimistic/epoch.js';
import { freshPeer } from '../../../protocol/optimistic/agent.js';
import { opb } from '../../../protocol/optimistic/index.js';
import {
  fits, initialGroups, placementOk, serviceOf,
} from '../../../protocol/optimistic/placement.js';
import { onResubmit } from '../../../protocol/optimistic/primary.js';
import { readParams } from '../../../protocol/optimistic/params.js';
import { onJoinAck } from '../../../protocol/optimistic/reorg.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Claim, Epoch, Replica, State, SvcData } from '../../../protocol/optimistic/types.js';
import type { NodePlacement, ProtocolConfig } from '../../../protocol/types.js';
import { fnv1a32, kvCanonical } from '../../../protocol/kv.js';

const nodes: NodePlacement[] = [
  ['n1', 'a1', 'za'], ['n2', 'a2', 'za'], ['n3', 'b1', 'zb'], ['n4', 'b2', 'zb'],
  ['n5', 'c1', 'zc'], ['n6', 'c2', 'zc'],
].map(([id, dc, zone]) => ({ id: id!, dc: dc!, zone: zone! }));

function config(mutant: string | null = null, params = {}): ProtocolConfig {
  return { nodes, replicas: ['n1', 'n3', 'n5'], params: { ...opb.defaults, ...params }, mutant };
}

function boot(id: string, mutant: string | null = null): State {
  return opb.step(opb.init(id, config(mutant)), { kind: 'restart', now: 0, durable: null }).state;
}

const claim = (node: string, c: number, members = ['n1', 'n3', 'n5'], mver = 0): Claim =>
  ({ node, epoch: { c, n: node }, mver, members });

function write(d: SvcData, e: Epoch, client: string, seq: number): SvcData {
  return executeWrite(d, e, {
    client, seq, op: { type: 'append', key: 'k0', value: `${client}.${seq};` },
  }).data;
}

describe('dominance rule (P2.5, P2.10 #1)', () => {
  it('prefers the newer membership, then rank, then epoch, then node id', () => {
    expect(claimBeats(claim('n5', 1, ['n1', 'n3', 'n5'], 2), claim('n1', 9))).toBe(true);
    expect(claimBeats(claim('n1', 1), claim('n3', 5))).toBe(true);
    expect(claimBeats(claim('n3', 5), claim('n1', 1))).toBe(false);
    expect(claimBeats(claim('n1', 3), claim('n1', 2))).toBe(true);
  });
  it('is a strict total order (antisymmetric, transitive) on sample claims', () => {
    const cs = [
      claim('n1', 1), claim('n3', 4), claim('n5', 2), claim('n3', 1, ['n3', 'n1', 'n5'], 1),
      claim('n5', 7, ['n5', 'n3', 'n1'], 1),
    ];
    for (const a of cs) {
      expect(claimBeats(a, a)).toBe(false);
      for (const b of cs) {
        if (a !== b) expect(claimBeats(a, b)).toBe(!claimBeats(b, a));
        for (const c of cs) {
          if (claimBeats(a, b) && claimBeats(b, c)) expect(claimBeats(a, c)).toBe(true);
        }
      }
    }
  });
});

describe('epochs', () => {
  it('reset to a fresh base at the counter limit and wrap generations as one step up', () => {
    expect(nextEpoch([{ c: 3, n: 'n2' }], 'n1', 5)).toEqual({ c: 4, n: 'n1' });
    const reset = nextEpoch([{ c: 4, n: 'n2' }], 'n1', 5);
    expect(reset).toEqual({ c: 1, n: 'n1', g: 1 });
    expect(cmpEpoch(reset, { c: 4, n: 'n2' })).toBe(1);
    const last = { c: 4, n: 'n2', g: GEN_MOD - 1 };
    const wrapped = nextEpoch([last], 'n1', 5);
    expect(wrapped).toEqual({ c: 1, n: 'n1' });
    expect(cmpEpoch(wrapped, last)).toBe(1);
    expect(cmpEpoch(last, wrapped)).toBe(-1);
    expect(cmpGen(0, GEN_MOD / 2)).toBe(-cmpGen(GEN_MOD / 2, 0));
    expect(epochText(reset)).toBe('1:1.n1');
    expect(epochText({ c: 7, n: 'n3' })).toBe('7.n3');
  });
});

describe('lineage and fork point', () => {
  it('finds the last common entry by epoch (log matching)', () => {
    const e1 = { c: 1, n: 'n1' };
    let common = emptyData;
    for (let i = 1; i <= 3; i++) common = write(common, e1, 'c0', i);
    const a = write(write(common, { c: 2, n: 'n5' }, 'c1', 1), { c: 2, n: 'n5' }, 'c1', 2);
    const b = write(common, { c: 3, n: 'n1' }, 'c2', 1);
    expect(forkPoint(a, b)).toBe(3);
    expect(forkPoint(a, common)).toBe(3);
    expect(a.lineage.map((r) => r.last)).toEqual([3, 5]);
  });
  it('answers the same below a checkpoint, from the lineage, ' +
    'and still re-submits the orphans a checkpoint folded', () => {
    const e1 = { c: 1, n: 'n1' };
    let common = emptyData;
    for (let i = 1; i <= 6; i++) common = write(common, e1, 'c0', i);
    let a = common;
    for (let i = 1; i <= 4; i++) a = write(a, { c: 2, n: 'n5' }, 'c1', i);
    const b = write(common, { c: 3, n: 'n1' }, 'c2', 1);
    expect(forkPoint(a, b)).toBe(6);
    expect(checkpointDue(a, 3, 10)).toBe(7);
    expect(checkpointDue(a, 3, 5)).toBe(5);
    expect(checkpointDue(a, 6, 10)).toBeNull();
    const cut = checkpoint(a, 8);
    expect(lastIndex(cut)).toBe(10);
    expect(cut.log.length).toBe(2);
    expect(epochOf(cut, 3)).toEqual(e1);
    expect(epochOf(cut, 8)).toEqual({ c: 2, n: 'n5' });
    expect(tagAt(cut, 8)).toBe('c1#2');
    expect(tagAt(cut, 7)).toBe('');
    expect(forkPoint(cut, b)).toBe(6);
    expect(forkPoint(b, cut)).toBe(6);
    expect(orphansOf(a, 6).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(orphansOf(cut, 6).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(orphansOf(cut, 7).map((r) => r.seq)).toEqual([2, 3, 4]);
    expect(orphansOf(checkpoint(cut, 9), 0)).toEqual(orphansOf(a, 0));
    expect(() => checkpoint(cut, 8)).toThrow();
  });
  it('keeps every executed seq per client as merged ranges (exact dedup past truncation)', () => {
    let r = addSeq([], 5);
    for (const q of [1, 2, 3, 9, 4, 7]) r = addSeq(r, q);
    expect(r).toEqual([[1, 5], [7, 7], [9, 9]]);
    expect(addSeq(r, 8)).toEqual([[1, 5], [7, 9]]);
    expect(addSeq(r, 3)).toEqual(r);
    let d = emptyData;
    for (const q of [1, 2, 4]) d = write(d, { c: 1, n: 'n1' }, 'c0', q);
    const cut = checkpoint(d, 3);
    expect([1, 2, 3, 4].map((q) => executed(cut, 'c0', q))).toEqual([true, true, false, true]);
  });
  it('digests the text of store and dedup table, clients sorted, without building it', () => {
    // Clients out of order, gaps in the seqs (several ranges), seqs of several digits.
    let d = emptyData;
    for (const [c, q] of [['c2', 1], ['c10', 7], ['c2', 3], ['c0', 120], ['c2', 4], ['c10', 9]]) {
      d = write(d, { c: 1, n: 'n1' }, c as string, q as number);
    }
    const dedup = [...d.dedup.keys()].sort().map((c) => {
      const x = d.dedup.get(c)!;
      return `${c}#${x.seq}:${x.done.map(([a, b]) => `${a}-${b}`).join('+')}`;
    }).join(',');
    expect(dedup).toBe('c0#120:120-120,c10#9:7-7+9-9,c2#4:1-1+3-4');
    expect(dataDigest(d)).toBe(fnv1a32(`${kvCanonical(d.store)}|${dedup}`));
    expect(dataDigest(write(d, { c: 1, n: 'n1' }, 'c2', 5))).not.toBe(dataDigest(d));
  });
});

describe('placement helpers', () => {
  it('maps keys to services by prefix', () => {
    expect(serviceOf('k3', 4)).toBe(0);
    expect(serviceOf('s2/k1', 4)).toBe(2);
    expect(serviceOf('s6/k1', 4)).toBe(2);
    // A prefix other than s{i} is service 0 too (mutation #2993 of the seed-47 sample threw).
    expect(serviceOf('x/k1', 4)).toBe(0);
    expect(serviceOf('s/k1', 4)).toBe(0);
  });
  it('spreads groups over distinct DCs and zones', () => {
    const groups = initialGroups(
      nodes, ['n1', 'n3', 'n5'], readParams(config(null, { services: 3, placement: 'spread' })),
    );
    for (const g of groups) expect(placementOk(nodes, g, 3)).toBe(true);
    expect(fits(nodes, ['n1', 'n3'], 'n2', 3, true)).toBe(false);
    expect(fits(nodes, ['n1', 'n3'], 'n2', 3, false)).toBe(true);
  });
  it('picks the least used node of each DC, ties by node id (Stryker #3088 of the seed-48 ' +
    'sample took the tie-break for "always first": the other node of each DC)', () => {
    const paired: NodePlacement[] = [
      ['n1', 'a1', 'za'], ['n2', 'a1', 'za'], ['n3', 'b1', 'zb'], ['n4', 'b1', 'zb'],
      ['n5', 'c1', 'zc'], ['n6', 'c1', 'zc'],
    ].map(([id, dc, zone]) => ({ id: id!, dc: dc!, zone: zone! }));
    const params = readParams({ ...config(null, { services: 2, placement: 'spread' }),
      nodes: paired });
    expect(initialGroups(paired, ['n1', 'n3', 'n5'], params))
      .toEqual([['n1', 'n3', 'n5'], ['n4', 'n6', 'n2']]);
  });
  it('places service 0 on the scenario\'s replica list, in its priority order, under the ' +
    'default `replicas` (Stryker #3097 of the seed-45 sample spread service 0 instead: the ' +
    'campaign ran most scenarios on other nodes than they name, unnoticed)', () => {
    const params = readParams(config(null, { services: 3 }));
    expect(params.placement).toBe('replicas');
    const groups = initialGroups(nodes, ['n5', 'n1', 'n3'], params);
    expect(groups[0]).toEqual(['n5', 'n1', 'n3']);
    expect(groups).toEqual(initialGroups(nodes, ['n5', 'n1', 'n3'], { ...params,
      placement: 'spread' }).map((g, svc) => (svc === 0 ? ['n5', 'n1', 'n3'] : g)));
  });
});

describe('parameters', () => {
  it('need lowPct < cmaxPct <= highPct, both sides (Stryker #2950 of the seed-48 sample ' +
    'asked for either)', () => {
    const why = 'opb: need lowPct < cmaxPct <= highPct';
    expect(() => readParams(config(null, { lowPct: 60, cmaxPct: 50, highPct: 80 }))).toThrow(why);
    expect(() => readParams(config(null, { lowPct: 30, cmaxPct: 90, highPct: 80 }))).toThrow(why);
    expect(readParams(config(null, { lowPct: 30, cmaxPct: 80, highPct: 80 })).cmaxPct).toBe(80);
  });
});

describe('reconciliation', () => {
  const e1 = { c: 1, n: 'n1' };
  const loserEpoch = { c: 2, n: 'n5' };
  const winnerEpoch = { c: 3, n: 'n1' };
  let base = emptyData;
  for (let i = 1; i <= 2; i++) base = write(base, e1, 'c0', i);
  const loserData = write(write(base, loserEpoch, 'c1', 1), loserEpoch, 'c2', 1);
  const winnerData = write(base, winnerEpoch, 'c1', 1);

  it('the loser installs the winner state tagged by epoch ' +
    'and re-submits its orphans (merge)', () => {
    const s = boot('n5');
    const rep: Replica = {
      ...s.reps.get(0)!, role: 'reconciling', primary: 'n1', epoch: winnerEpoch, data: loserData,
    };
    const step = onXfer(
      s, rep, 'n1', { t: 'xfer', svc: 0, claim: claim('n1', 3), data: winnerData },
    );
    expect(step.rep?.role).toBe('backup');
    expect(step.rep?.data).toBe(winnerData);
    const resubmit = step.out.find((e) => e.kind === 'send' && e.msg.t === 'resubmit');
    expect(resubmit?.kind === 'send' && resubmit.msg.t === 'resubmit'
      ? resubmit.msg.reqs.map((r) => `${r.client}#${r.seq}`)
      : []).toEqual(['c1#1', 'c2#1']);
  });

  it('rejects a stale transfer from an epoch it does not follow (P2.10 #10)', () => {
    const s = boot('n5');
    const rep: Replica = {
      ...s.reps.get(0)!, role: 'backup', primary: 'n1', epoch: { c: 4, n: 'n1' }, data: loserData,
    };
    const step = onXfer(
      s, rep, 'n1', { t: 'xfer', svc: 0, claim: claim('n1', 3), data: winnerData },
    );
    expect(step.rep?.data).toBe(loserData);
  });

  it('the winner skips re-submitted requests it already executed ' +
    '(dedup in the replicated state)', () => {
    const s = boot('n1');
    const rep: Replica = {
      ...s.reps.get(0)!, role: 'primary', primary: 'n1', epoch: winnerEpoch, data: winnerData,
    };
    const reqs = [
      { client: 'c1', seq: 1, op: { type: 'append' as const, key: 'k0', value: 'c1.1;' } },
      { client: 'c2', seq: 1, op: { type: 'append' as const, key: 'k0', value: 'c2.1;' } },
    ];
    const step = onResubmit(s, rep, winnerEpoch, reqs);
    expect(step.rep!.data.log.length).toBe(winnerData.log.length + 1);
    const mutant = boot('n1', 'opb:no-dedup');
    const bad = onResubmit(mutant, { ...rep }, winnerEpoch, reqs);
    expect(bad.rep!.data.log.length).toBe(winnerData.log.length + 2);
  });

  it('applies shipped state deltas without re-executing', () => {
    const entry = loserData.log.items[2]!;
    const applied = applyEntry(base, entry);
    expect(applied.store.get('k0')).toBe(loserData.log.items[2]!.value);
  });
});

describe('power state', () => {
  it('a sleeping node ignores gossip, redirects clients, and wakes on JOIN', () => {
    // n2 hosts nothing (replicas are n1, n3, n5); put it to sleep by hand.
    const s0 = boot('n2');
    const asleep: State = { ...s0, agent: { ...s0.agent, on: false } };
    const gossip = opb.step(asleep, { kind: 'message', now: 10, from: 'n1',
      msg: { t: 'gossip', load: 0, on: true, hosted: 1, claims: [] } });
    expect(gossip.state.agent).toBe(asleep.agent);
    expect(gossip.effects).toEqual([]);
    const req = opb.step(asleep, { kind: 'clientRequest', now: 10,
      request: { client: 'c0', seq: 1, op: { type: 'get', key: 'k0' } } });
    // It serves nothing: the client is pointed at the group it knows.
    const reply = req.effects[0] as unknown as { kind: string; outcome: { type: string;
      members: string[] } };
    expect(req.effects).toHaveLength(1);
    expect(reply.kind).toBe('reply');
    expect(reply.outcome.type).toBe('redirect');
    expect(reply.outcome.members).toEqual(['n1', 'n3', 'n5']);
    const join = opb.step(asleep, { kind: 'message', now: 10, from: 'n1',
      msg: { t: 'join', svc: 0, claim: claim('n1', 1, ['n1', 'n3', 'n2'], 1) } });
    expect(join.state.agent.on).toBe(true);
    expect(join.effects)
      .toContainEqual({ kind: 'send', to: 'n1', msg: { t: 'joinAck', svc: 0, ok: true } });
  });
  it('a sleeping node drops a forwarded request unread: only the wake-on-LAN path is up', () => {
    // dispatch.ts wakeFilter drops a FWD to a sleeper before `route`, the only reader of a
    // forward's hops, so route's asleep branch for hops > 0 is dead code (it says the same:
    // nothing) and Stryker #2623 of the seed-51 sample (that branch's `[]` emitting a bogus
    // effect) is equivalent. Explore trial 11006 of opb-clients-asleep delivers such a FWD (n4
    // to sleeping n8 at 6.0028 s): same trace hash with and without that mutant.
    const s0 = boot('n2');
    const fwd = { kind: 'message' as const, now: 10, from: 'n4', msg: { t: 'fwd' as const,
      svc: 0, req: { client: 'c0', seq: 1, op: { type: 'get' as const, key: 'k0' } }, hops: 1 } };
    const asleep: State = { ...s0, agent: { ...s0.agent, on: false } };
    const dropped = opb.step(asleep, fwd);
    expect(dropped.effects).toEqual([]);
    expect(dropped.state).toBe(asleep);
    // Awake, the same node passes it on to a member it knows (not vacuous).
    expect(opb.step(s0, fwd).effects).toEqual([{ kind: 'send', to: 'n1',
      msg: { ...fwd.msg, hops: 2 } }]);
  });
  it('a node that knows no primary and no other member rejects a client at once (Stryker ' +
    '#1758 of the seed-48 sample emitted nothing there: no campaign run reaches it)', () => {
    const s0 = boot('n2');
    const alone: State = { ...s0,
      dir: new Map([[0, { members: ['n2'], mver: 0, primary: null, epoch: s0.epochTop }]]) };
    const req = opb.step(alone, { kind: 'clientRequest', now: 10,
      request: { client: 'c0', seq: 1, op: { type: 'get', key: 'k0' } } });
    expect(req.effects).toEqual([{ kind: 'reply', to: 'c0', seq: 1,
      outcome: { type: 'reject', reason: 'no known primary' } }]);
  });
  it('peers keep a node that said it went to sleep as a candidate, unlike a silent one', () => {
    const s0 = boot('n1');
    let s = opb.step(s0, { kind: 'message', now: 10, from: 'n2',
      msg: { t: 'gossip', load: 0, on: false, hosted: 0, claims: [] } }).state;
    s = opb.step(s, { kind: 'message', now: 10, from: 'n4',
      msg: { t: 'gossip', load: 0, on: true, hosted: 0, claims: [] } }).state;
    const later: State = { ...s, now: 10 + 10 * s.params.gossipUs };
    expect(freshPeer(later, 'n2')?.on).toBe(false);
    expect(freshPeer(later, 'n4')).toBeUndefined();
  });
});

describe('capacity reservations (P2.6, P2.10 #9)', () => {
  it('two groups reserving the last room on a node: the first wins, the second is refused', () => {
    const s0 = boot('n2');
    const nearlyFull: State = { ...s0, agent: { ...s0.agent, load: 750 } };
    const first = opb.step(nearlyFull, { kind: 'message', now: 10, from: 'n1',
      msg: { t: 'join', svc: 0, claim: claim('n1', 1, ['n1', 'n3', 'n2'], 1) } });
    expect(first.effects).toContainEqual({ kind: 'send', to: 'n1',
      msg: { t: 'joinAck', svc: 0, ok: true } });
    const second = opb.step(first.state, { kind: 'message', now: 11, from: 'n5',
      msg: { t: 'join', svc: 1, claim: claim('n5', 1, ['n5', 'n4', 'n2'], 1) } });
    expect(second.effects).toContainEqual({ kind: 'send', to: 'n5',
      msg: { t: 'joinAck', svc: 1, ok: false } });
    expect([...second.state.reps.keys()]).toEqual([0]);
  });
  it('a refused primary drops the target and remembers the refusal', () => {
    const s = boot('n5');
    const rep: Replica = { ...newReplica(1, ['n5', 'n4', 'n2'], 1, 0), role: 'primary',
      primary: 'n5',
      move: { add: 'n2', drop: null, kind: 'repair', at: 0, members: ['n5', 'n4', 'n2'] } };
    const step = onJoinAck({ ...s, now: 20 }, rep, 'n2', false);
    expect(step.rep!.members).toEqual(['n5', 'n4']);
    expect(step.rep!.mver).toBe(2);
    expect(step.rep!.move).toBeNull();
    expect(step.rep!.refused.get('n2')).toBe(20);
  });
});

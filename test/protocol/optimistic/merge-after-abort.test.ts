/**
 * P2.10 #4, membership merge on heal: the winner takes the loser's members but for data centers
 * it holds and nodes that refused its JOIN within T_cool (first reservation wins, P2.6). A move
 * aborted after 20 T_fd without its new member catching up is no refusal: the repair skips that
 * node for T_cool, but a merge still takes it from the loser, whose live member it is. Explore
 * trial 1492408 of opb-clients-asleep: n10's move adding n18 to s2 aborted at 7.5 s across a
 * cut, and at 7.76 s n10 won over n9's [n9,n13,n18,n12] with [n10,n13,n8]: n18 left and n10
 * repaired by JOIN of n16 instead (the abort shared the refusal's map).
 */
import { describe, expect, it } from 'vitest';
import { onClaim } from '../../../protocol/optimistic/conflict.js';
import { opb } from '../../../protocol/optimistic/index.js';
import { candidates, progressMove } from '../../../protocol/optimistic/reorg.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Replica, State } from '../../../protocol/optimistic/types.js';
import type { NodePlacement } from '../../../protocol/types.js';

const nodes: NodePlacement[] = [
  ['n1', 'a1', 'za'], ['n2', 'a2', 'za'], ['n3', 'b1', 'zb'], ['n4', 'b2', 'zb'],
  ['n5', 'c1', 'zc'], ['n6', 'c2', 'zc'],
].map(([id, dc, zone]) => ({ id: id!, dc: dc!, zone: zone! }));

/** Node n1 booted, its clock at `now`, every other node gossiping as on and idle at `now`. */
function state(now: number): State {
  const s0 = opb.init('n1', { nodes, replicas: ['n1', 'n3', 'n5'], params: opb.defaults,
    mutant: null });
  const s = opb.step(s0, { kind: 'restart', now: 0, durable: null }).state;
  const peers = new Map(nodes.filter((n) => n.id !== 'n1')
    .map((n) => [n.id, { at: now, load: 0, on: true, hosted: 0 }]));
  return { ...s, now, agent: { ...s.agent, peers } };
}

/** n1 leads s0 with n3 at epoch 5.n1, membership version 8, its move adding n6 under way. */
function leading(at: number): Replica {
  return { ...newReplica(0, ['n1', 'n3', 'n6'], 8, 0, undefined, { c: 5, n: 'n1' }),
    role: 'primary', primary: 'n1',
    move: { add: 'n6', drop: null, kind: 'repair', at, members: ['n1', 'n3', 'n6'] } };
}

/** n5's claim of s0 at epoch 3.n5, membership version 7: its group holds n6. */
const loser = { node: 'n5', epoch: { c: 3, n: 'n5' }, mver: 7, members: ['n5', 'n6', 'n4'] };

describe('a merge on heal after an aborted move (P2.10 #4, P2.6)', () => {
  const abortAt = 20 * (opb.defaults['fdUs'] as number);
  const aborted = progressMove(state(abortAt), leading(0)).rep!;

  it('the abort drops the new member and cools it down for a repair, as no refusal', () => {
    expect(aborted.members).toEqual(['n1', 'n3']);
    expect(aborted.aborted.get('n6')).toBe(abortAt);
    expect(aborted.refused.has('n6')).toBe(false);
    expect(candidates(state(abortAt + 1000), aborted, aborted.members, null, 0))
      .not.toContain('n6');
    const cool = opb.defaults['coolUs'] as number;
    expect(candidates(state(abortAt + cool + 1), aborted, aborted.members, null, 0))
      .toContain('n6');
  });

  it('a winner within T_cool of the abort takes the aborted node from the loser\'s members', () => {
    const s = state(abortAt + 250_000);
    const step = onClaim(s, aborted, loser, 'n5');
    expect(step.rep!.members).toEqual(['n1', 'n3', 'n5', 'n6', 'n4']);
    expect(step.out).toContainEqual({ kind: 'send', to: 'n5', msg: { t: 'claim', svc: 0,
      claim: { node: 'n1', epoch: { c: 5, n: 'n1' }, mver: 10,
        members: ['n1', 'n3', 'n5', 'n6', 'n4'] }, ageUs: 0 } });
  });

  it('but leaves out a node that refused its JOIN within T_cool (first reservation wins)', () => {
    const s = state(abortAt + 250_000);
    const refused: Replica = { ...aborted, refused: new Map([['n6', abortAt]]) };
    expect(onClaim(s, refused, loser, 'n5').rep!.members).toEqual(['n1', 'n3', 'n5', 'n4']);
  });
});

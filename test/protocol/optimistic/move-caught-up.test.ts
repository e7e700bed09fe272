/**
 * P2.6 make-before-break: a move completes once its new member has caught up. Under a steady
 * stream of writes no backup's ack is ever at the tip when it lands, so "caught up" is holding
 * what every live backup holds. opb-join-refused seed 0: the node that took s0's JOIN acked two
 * entries behind the tip for 3 s, the move aborted after 20 T_fd and s0 lost its reservation.
 */
import { describe, expect, it } from 'vitest';
import { progressMove } from '../../../protocol/optimistic/reorg.js';
import { newReplica } from '../../../protocol/optimistic/replica.js';
import type { Replica, State } from '../../../protocol/optimistic/types.js';
import { members, state, writes } from './three-members.js';

const NOW = 1_000_000;

/**
 * n1 leads s0 (12 entries) with n3 and n5; n5 was added at `NOW - 100 ms`; acks as given;
 * `merged`: members a heal merged in after the JOIN.
 */
function leading(acked: [string, number][], heard: string[], merged: string[] = []): Replica {
  const e = { c: 1, n: 'n1' };
  return { ...newReplica(0, [...members, ...merged], 2, 0, writes(e, 12), e), role: 'primary',
    primary: 'n1', acked: new Map(acked), heard: new Map(heard.map((n) => [n, NOW - 10_000])),
    move: { add: 'n5', drop: null, kind: 'repair', at: NOW - 100_000, members } };
}

const phase = (rep: Replica, mutant: State['mutant'] = null): string | undefined => {
  const o = progressMove({ ...state(NOW), mutant }, rep).out.find((e) => e.kind === 'observe');
  return o === undefined ? undefined : (o.data as { phase: string }).phase;
};

describe('a move\'s new member has caught up', () => {
  it('when it holds what every live backup holds, though both lag the tip', () => {
    expect(phase(leading([['n3', 10], ['n5', 10]], ['n3', 'n5']))).toBe('done');
    expect(phase(leading([['n3', 10], ['n5', 11]], ['n3', 'n5']))).toBe('done');
  });

  it('not while it holds less than a live backup', () => {
    expect(phase(leading([['n3', 10], ['n5', 9]], ['n3', 'n5']))).toBeUndefined();
  });

  it('a new member that never acked has caught up with nothing, though a backup never acked '
    + 'either; a backup that never acked sets no floor', () => {
    expect(phase(leading([], ['n3', 'n5']))).toBeUndefined();
    expect(phase(leading([['n5', 11]], ['n3', 'n5']))).toBeUndefined();
    expect(phase(leading([['n5', 12]], ['n3', 'n5']))).toBe('done');
  });

  it('a backup not heard within T_fd sets no floor; alone, it must hold the whole log', () => {
    expect(phase(leading([['n3', 4], ['n5', 11]], ['n5']))).toBeUndefined();
    expect(phase(leading([['n3', 4], ['n5', 12]], ['n5']))).toBe('done');
  });

  it('not on the floor of a member merged in after the JOIN (explore trial 1861541)', () => {
    // n7, merged in on a heal, is still installing our state: its ACK of 2 is no floor.
    const acks: [string, number][] = [['n3', 10], ['n5', 9], ['n7', 2]];
    expect(phase(leading(acks, ['n3', 'n5', 'n7'], ['n7']))).toBeUndefined();
    expect(phase(leading([['n3', 10], ['n5', 10], ['n7', 2]], ['n3', 'n5', 'n7'], ['n7'])))
      .toBe('done');
    expect(phase(leading(acks, ['n3', 'n5', 'n7'], ['n7']), 'done-floor-merged')).toBe('done');
  });
});

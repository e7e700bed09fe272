/** Eras of an OPB epoch's name (properties/opb-eras.ts): a claimant's amnesia starts a new one. */
import { describe, expect, it } from 'vitest';
import { claimantOf, erasOf } from '../../properties/opb-eras.js';
import { buildWorld } from '../../properties/opb-world.js';
import type { Observation } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

let seq = 0;
const boot = (at: number, node: string, amnesia: boolean): Observation => ({ at, seq: seq++,
  node, label: 'opb.node', data: { dc: 'd1', zone: 'z1', amnesia, hosted: 1 } });

describe('OPB epoch eras', () => {
  it('reads the claimant from every text form of an epoch', () => {
    expect(claimantOf('3.n7')).toBe('n7');
    expect(claimantOf('1:1.n9')).toBe('n9');
    expect(claimantOf('0._')).toBe('_');
  });

  it('counts the claimant\'s amnesiac restarts up to an instant, and only the claimant\'s', () => {
    const run = { ...fakeRun({ observations: [boot(0, 'n9', false), boot(100, 'n9', true),
      boot(150, 'n1', true), boot(300, 'n9', true)] }), protocol: 'opb' };
    const eras = erasOf(buildWorld(run));
    expect([0, 99, 100, 299, 300, 1000].map((t) => eras.of('1:1.n9', t)))
      .toEqual([0, 0, 1, 1, 2, 2]);
    expect(eras.of('2.n1', 200)).toBe(1);
    expect(eras.of('2.n5', 1000)).toBe(0);
  });
});

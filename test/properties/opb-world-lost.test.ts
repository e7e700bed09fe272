/**
 * The facts a crash dropped (`writes-lost`'s `lost`), as the OPB world reads them: typed like
 * recorded ones, at the time of the step that observed them.
 */
import { describe, expect, it } from 'vitest';
import { buildWorld } from '../../properties/opb-world.js';
import type { Json } from '../../protocol/types.js';
import type { NodeEvent } from '../../simulator/run-record.js';
import { fakeRun } from '../helpers/record.js';

const exec = { service: 0, epoch: '1:1.n5', index: 110, client: 'c2', seq: 16, value: 'c2.16',
  resubmit: false };
const crash = (data: unknown): NodeEvent => ({ at: 1_500_000, seq: 7, node: 'n5',
  kind: 'writes-lost', diskAsOf: 1_260_647,
  lost: [{ label: 'opb.exec', data: data as Json, stepAt: 1_420_000 }] });

describe('OPB world: facts a crash dropped', () => {
  it('reads them typed, at their step, with the crash fact\'s order', () => {
    const world = buildWorld({ ...fakeRun({ nodeEvents: [crash(exec)] }), protocol: 'opb' });
    expect(world.obs('opb.exec')).toEqual([]);
    expect(world.lost('opb.exec')).toEqual([
      { at: 1_420_000, seq: 7, node: 'n5', label: 'opb.exec', data: exec }]);
    expect(world.lost('opb.acked')).toEqual([]);
  });

  it('holds a dropped fact to the declared fields like a recorded one', () => {
    const world = buildWorld({ ...fakeRun({ nodeEvents: [crash({ ...exec, index: 'x' })] }),
      protocol: 'opb' });
    expect(() => world.lost('opb.exec')).toThrow(/index/);
  });
});

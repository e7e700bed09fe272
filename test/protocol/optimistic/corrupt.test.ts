/**
 * The `corrupt` fault (C9, protocol/optimistic/corrupt.ts) scrambles epochs within their type:
 * counters from 0 up to below `epochLimit`, some small, some anywhere, some right at the limit
 * so that the reset runs. Seed-48 survivor #1162 (`Math.min(limit, 3)` → `Math.max`) spread the
 * "at the limit" ones over the whole range, and with `epochLimit` 2 drew a counter of -1.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Epoch, State } from '../../../protocol/optimistic/types.js';
import type { NodePlacement } from '../../../protocol/types.js';

const nodes: NodePlacement[] = [['n1', 'a1', 'za'], ['n3', 'b1', 'zb'], ['n5', 'c1', 'zc']]
  .map(([id, dc, zone]) => ({ id: id!, dc: dc!, zone: zone! }));

function boot(epochLimit: number): State {
  const config = { nodes, replicas: ['n1', 'n3', 'n5'], params: { ...opb.defaults, epochLimit },
    mutant: null };
  return opb.step(opb.init('n1', config), { kind: 'restart', now: 0, durable: null }).state;
}

/** A fixed stream of draws in [0, n) (an LCG: the test needs variety, not quality). */
function draws(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return Math.floor((x / 2147483648) * n);
  };
}

/** Every epoch 200 corruptions of n1 leave behind: its replica's, its claim's, its floor. */
function corruptedEpochs(epochLimit: number): Epoch[] {
  const s = boot(epochLimit);
  const out: Epoch[] = [];
  for (let seed = 1; seed <= 200; seed++) {
    const c = opb.corrupt!(s, draws(seed));
    const rep = c.reps.get(0)!;
    out.push(rep.epoch, c.epochTop, ...(rep.pclaim === null ? [] : [rep.pclaim.epoch]));
  }
  return out;
}

describe('OPB corrupt: epochs scrambled within their type', () => {
  for (const limit of [2, 3, 2 ** 48]) {
    it(`epochLimit ${limit}: every counter is in [0, limit), and some are at the limit`, () => {
      const cs = corruptedEpochs(limit).map((e) => e.c);
      expect(cs.every((c) => Number.isInteger(c) && c >= 0 && c < limit)).toBe(true);
      expect(cs.some((c) => c === limit - 1)).toBe(true);
      expect(cs.some((c) => c >= limit - 3 && c < limit - 1)).toBe(true);
    });
  }
});

/**
 * The placement repair's measure (placement.ts `misplacement`): members sharing a DC first,
 * then replicas over the zone cap. A repair takes a swap only if it lowers it, so it must be
 * zero exactly when the placement holds, and a swap that fixes one rule but not the other must
 * count as progress (explore trials 1852111, 1861409: no single swap met both rules).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lessMisplaced, misplacement, placementOk,
} from '../../../protocol/optimistic/placement.js';
import type { NodePlacement } from '../../../protocol/types.js';

// Three zones of two DCs, two nodes per DC: n1..n12.
const nodes: NodePlacement[] = Array.from({ length: 12 }, (_, i) => ({
  id: `n${i + 1}`, dc: `${'abc'[Math.floor(i / 4)]}${1 + (Math.floor(i / 2) % 2)}`,
  zone: `z${'abc'[Math.floor(i / 4)]}`,
}));

describe('misplacement', () => {
  it('is zero exactly when the placement holds', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 1, max: 5 }),
      (ids, k) => {
        const members = ids.map((i) => `n${i}`);
        const [shared, over] = misplacement(nodes, members, k);
        expect(shared === 0 && over === 0).toBe(placementOk(nodes, members, k));
      },
    ));
  });

  it('counts the shared DC before the zone cap', () => {
    // n9, n10 share DC c1; n9, n10, n11 are all in zone zc (cap 1 for k=3).
    expect(misplacement(nodes, ['n9', 'n10', 'n11'], 3)).toEqual([1, 2]);
    // Swapping n10 for n1 (za) fixes the DC, not the zone: progress all the same.
    expect(misplacement(nodes, ['n9', 'n11', 'n1'], 3)).toEqual([0, 1]);
    expect(lessMisplaced([0, 1], [1, 2])).toBe(true);
    // A swap that only lowers the zone excess while keeping a shared DC is worse than fixing
    // the DC: the hard rule first.
    expect(lessMisplaced([1, 0], [0, 1])).toBe(false);
    expect(lessMisplaced([0, 1], [0, 1])).toBe(false);
  });
});

/** SlotMap, the chunked immutable slot map behind logs, decisions and acknowledgements. */
import { describe, expect, it } from 'vitest';
import { SlotMap } from '../../../protocol/smart/slots.js';

describe('SlotMap', () => {
  it('counts each slot once: a new slot adds one, an overwrite none (Stryker #6770 of the ' +
    'seed-47 sample counted overwrites instead; a replica\'s LOGGED reports its log size)', () => {
    let m = SlotMap.empty<string>().set(3, 'a').set(40, 'b');
    expect(m.size).toBe(2);
    m = m.set(3, 'c');
    expect([m.size, m.get(3)]).toEqual([2, 'c']);
    expect(m.delete(40).size).toBe(1);
    expect(m.delete(41)).toBe(m);
  });

  it('above(): keeps only the slots above the cut, across chunks (Stryker #6805 of the seed-47 ' +
    'sample walked the chunks backwards and never ended)', () => {
    let m = SlotMap.empty<number>();
    for (let slot = 1; slot <= 70; slot++) m = m.set(slot, slot);
    const kept = m.above(40);
    expect(kept.entries().map(([slot]) => slot))
      .toEqual(Array.from({ length: 30 }, (_, i) => 41 + i));
    expect(kept.size).toBe(30);
    expect(m.above(0)).toBe(m);
    const none = m.above(70);
    expect([none.size, none.entries(), none.get(70)]).toEqual([0, [], undefined]);
    // Emptied, it works as a new map.
    expect(none.set(5, 5).entries()).toEqual([[5, 5]]);
  }, 10_000);

  it('has(): true exactly for the slots set, across chunks (Stryker #7273 of the seed-52 sample '
    + 'answered false always; a catch-up fact then listed slots already decided)', () => {
    const m = SlotMap.empty<number>().set(3, 3).set(70, 70);
    expect([1, 3, 4, 69, 70, 71, 500].map((slot) => m.has(slot)))
      .toEqual([false, true, false, false, true, false, false]);
    expect(m.delete(3).has(3)).toBe(false);
  });
});

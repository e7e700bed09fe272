/**
 * SlotMap inside a step (updated in place once the step owns it, protocol/owned.ts) must give
 * exactly the maps the copying path gives, laid out the same (state fingerprints hash the
 * layout), and must leave every map it did not build untouched.
 */
import { describe, expect, it } from 'vitest';
import { beginStep, endStep, owns } from '../../../protocol/owned.js';
import { SlotMap } from '../../../protocol/smart/slots.js';
import { serialize } from '../../../simulator/checker/fingerprint.js';
import { createPrng } from '../../../simulator/prng.js';

type Op = readonly ['set' | 'delete' | 'above', number];

/** Random updates around a window that moves up, as logs, acks and decisions do. */
function randomOps(seed: number, count: number): Op[] {
  const prng = createPrng(seed);
  const ops: Op[] = [];
  let base = 1 + prng.int(0, 39);
  for (let i = 0; i < count; i++) {
    const slot = Math.max(1, base + prng.int(0, 59) - 10);
    const kind = prng.int(0, 9);
    if (kind < 6) ops.push(['set', slot]);
    else if (kind < 9) ops.push(['delete', slot]);
    else if (prng.int(0, 3) > 0) {
      ops.push(['above', slot - 20]);
      base += prng.int(0, 29);
    } else {
      ops.push(['above', base + 60]); // Everything goes (a checkpoint past the whole log).
      base += 60;
    }
  }
  return ops;
}

/** The map with the same entries set in ascending order from empty: its canonical layout. */
function rebuilt(map: SlotMap<string>): SlotMap<string> {
  let out = SlotMap.empty<string>();
  for (const [slot, v] of map.entries()) out = out.set(slot, v);
  return out;
}

function apply(map: SlotMap<string>, [kind, slot]: Op, i: number): SlotMap<string> {
  if (kind === 'set') return map.set(slot, `v${i}`);
  if (kind === 'delete') return map.delete(slot);
  return map.above(slot);
}

describe('SlotMap updates in place within a step', () => {
  it('gives the copying path\'s maps, one layout per contents, and leaves other maps alone', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const ops = randomOps(seed, 120);
      // Outside a step: every update copies. Keep every version with its text.
      const copies: SlotMap<string>[] = [SlotMap.empty()];
      ops.forEach((op, i) => copies.push(apply(copies[i]!, op, i)));
      const texts = copies.map((m) => serialize(m));
      // Equal contents, equal layout: the checker counts states by these hashes.
      copies.forEach((m, i) => expect(texts[i]).toBe(serialize(rebuilt(m))));
      // The same updates as steps of a few updates each, starting from the copying path's maps.
      let at = 0;
      while (at < ops.length) {
        const length = 1 + (at % 7);
        const input = copies[at]!;
        beginStep();
        let map = input;
        try {
          for (let i = at; i < Math.min(ops.length, at + length); i++) {
            map = apply(map, ops[i]!, i);
            expect(serialize(map)).toBe(texts[i + 1]);
            expect(map.size).toBe(copies[i + 1]!.entries().length);
          }
        } finally {
          endStep();
        }
        expect(owns(map)).toBe(false);
        at += length;
      }
      // Nothing built outside the steps changed.
      expect(copies.map((m) => serialize(m))).toEqual(texts);
    }
  });

  it('updates in place within a step, and copies once the step is over', () => {
    const before = SlotMap.empty<string>().set(3, 'a');
    beginStep();
    let first: SlotMap<string>;
    let second: SlotMap<string>;
    try {
      first = before.set(4, 'b');
      second = first.set(40, 'c').delete(3);
    } finally {
      endStep();
    }
    expect(second).toBe(first);
    expect(before.entries()).toEqual([[3, 'a']]);
    expect(second.entries()).toEqual([[4, 'b'], [40, 'c']]);
    const after = second.set(5, 'd');
    expect(after).not.toBe(second);
    expect(second.entries()).toEqual([[4, 'b'], [40, 'c']]);
  });
});

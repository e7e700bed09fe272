/**
 * After amnesia a machine claims epochs above the boot time in ms (protocol/optimistic/node.ts
 * `amnesiaFloor`), whatever `epochLimit` is: it must never meet an epoch it claimed before.
 */
import { describe, expect, it } from 'vitest';
import { cmpEpoch, epochText, nextEpoch } from '../../../protocol/optimistic/epoch.js';
import { amnesiaFloor } from '../../../protocol/optimistic/node.js';
import type { Epoch } from '../../../protocol/optimistic/types.js';

/** Every epoch `n` claims in turn, `claims` times, from nothing (one claim per ms at most). */
function claimed(n: string, limit: number, claims: number): Epoch[] {
  const out: Epoch[] = [];
  let top: Epoch = { c: 0, n: '' };
  for (let i = 0; i < claims; i++) out.push(top = nextEpoch([top], n, limit));
  return out;
}

describe('OPB amnesia floor', () => {
  for (const limit of [2, 3, 5, 2 ** 48]) {
    it(`puts the first claim after amnesia above every earlier claim (epochLimit ${limit})`,
      () => {
        const before = claimed('n1', limit, 40);
        const after = nextEpoch([amnesiaFloor(40, limit)], 'n1', limit);
        for (const e of before) {
          expect(`${epochText(after)} > ${epochText(e)}: ${cmpEpoch(after, e) > 0}`)
            .toBe(`${epochText(after)} > ${epochText(e)}: true`);
        }
      });
  }

  it('keeps the counter floor of a large epochLimit and a generation floor of a small one', () => {
    expect(amnesiaFloor(1368, 2 ** 48)).toEqual({ c: 1368, n: '' });
    expect(epochText(nextEpoch([amnesiaFloor(1407, 2)], 'n9', 2))).toBe('1407:1.n9');
    expect(amnesiaFloor(1, 2)).toEqual({ c: 0, n: '', g: 1 });
  });
});

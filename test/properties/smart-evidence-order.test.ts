/**
 * The trace-order merge the SMART evidence checks judge facts in (properties/smart-evidence.ts):
 * lists already in order are merged without sorting, a list out of order (a hand-made record)
 * is visited in order all the same, and a tie goes to the earlier list.
 */
import { describe, expect, it } from 'vitest';
import { bySeq, inSeqOrder } from '../../properties/smart-evidence.js';

const facts = (...seqs: number[]) => seqs.map((seq) => ({ seq }));

function visited(lists: readonly (readonly { readonly seq: number }[])[]): string[] {
  const out: string[] = [];
  inSeqOrder(lists, (list, i) => out.push(`${list}:${lists[list]![i]!.seq}`));
  return out;
}

describe('inSeqOrder', () => {
  it('merges lists in trace order, the earlier list first on a tie', () => {
    expect(visited([facts(1, 4, 9), facts(), facts(2, 4, 5)]))
      .toEqual(['0:1', '2:2', '0:4', '2:4', '2:5', '0:9']);
  });

  it('visits nothing for no facts', () => {
    expect(visited([facts(), facts()])).toEqual([]);
  });
});

describe('bySeq', () => {
  it('keeps a list already in order as it is', () => {
    const list = facts(1, 2, 3);
    expect(bySeq(list)).toBe(list);
  });

  it('sorts a copy of a list out of order, leaving the list unchanged', () => {
    const list = facts(3, 1, 2);
    expect(bySeq(list).map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(list.map((f) => f.seq)).toEqual([3, 1, 2]);
  });
});

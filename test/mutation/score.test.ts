/**
 * mutation/score.mjs: Stryker's timeouts (a wall-clock verdict) count as killed only when the
 * step-counted re-test kills them; one never re-tested is not scored at all.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the mutation scripts, without type declarations.
import { scoreRows, wilson } from '../../mutation/score.mjs';

interface Row {
  protocol: string; killed: number; timeouts: number; timeoutsKilledOnRetest: number;
  timeoutsHung: number;
  survived: number; errors: number; score: number; ci95: [number, number];
  survivors: { id: string }[];
}
const m = (id: string, status: string, protocol = 'smart') => ({ id, status, protocol });

describe('scoreRows', () => {
  it('a timeout is killed only if its re-test kills it; otherwise it is a survivor', () => {
    const all = [m('1', 'Killed'), m('2', 'Timeout'), m('3', 'Timeout'), m('4', 'Survived'),
      m('5', 'NoCoverage'), m('6', 'Ignored'), m('7', 'Killed', 'opb')];
    const [smart, opb] = scoreRows(['smart', 'opb'], all,
      new Map([['2', true], ['3', false]])) as Row[];
    expect(smart).toMatchObject({ killed: 2, timeouts: 2, timeoutsKilledOnRetest: 1,
      survived: 3, errors: 0 });
    expect(smart!.survivors.map((s) => s.id).sort()).toEqual(['3', '4', '5']);
    expect(smart!.score).toBeCloseTo(2 / 5);
    expect(opb).toMatchObject({ killed: 1, survived: 0, timeouts: 0 });
  });

  it('a re-test that hung is a kill, counted apart', () => {
    const [row] = scoreRows(['smart'], [m('1', 'Timeout'), m('2', 'Timeout'), m('3', 'Killed')],
      new Map([['1', true], ['2', true]]), new Set(['2'])) as Row[];
    expect(row).toMatchObject({ killed: 3, timeoutsKilledOnRetest: 2, timeoutsHung: 1 });
  });

  it('a timeout without a re-test verdict is neither killed nor survived', () => {
    const [row] = scoreRows(['smart'], [m('1', 'Timeout'), m('2', 'Killed')],
      new Map()) as Row[];
    expect(row).toMatchObject({ killed: 1, survived: 0, errors: 1, timeouts: 1 });
  });

  it('wilson: the 95 % interval of the seed-19 smart figure (21 of 37)', () => {
    const [lo, hi] = wilson(21, 37) as [number, number];
    expect(lo).toBeCloseTo(0.409, 3);
    expect(hi).toBeCloseTo(0.713, 3);
  });
});

/**
 * mutation/score.mjs: Stryker's timeouts (a wall-clock verdict) and static survivors (never
 * activated) count as killed only when the step-counted re-test kills them; one never
 * re-tested is not scored at all.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the mutation scripts, without type declarations.
import { scoreRows, wilson } from '../../mutation/score.mjs';

interface Row {
  protocol: string; killed: number; timeouts: number; timeoutsKilledOnRetest: number;
  retestsHung: number; staticSurvivors: number; staticKilledOnRetest: number;
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
    expect(row).toMatchObject({ killed: 3, timeoutsKilledOnRetest: 2, retestsHung: 1 });
  });

  it('a timeout without a re-test verdict is neither killed nor survived', () => {
    const [row] = scoreRows(['smart'], [m('1', 'Timeout'), m('2', 'Killed')],
      new Map()) as Row[];
    expect(row).toMatchObject({ killed: 1, survived: 0, errors: 1, timeouts: 1 });
  });

  it('a static survivor (never activated by Stryker) is decided by its re-test', () => {
    const s = (id: string, status: string) => ({ ...m(id, status), static: true });
    const all = [s('1', 'Survived'), s('2', 'Survived'), s('3', 'Survived'), s('4', 'Killed'),
      m('5', 'Survived')];
    const [row] = scoreRows(['smart'], all, new Map([['1', true], ['2', false]])) as Row[];
    expect(row).toMatchObject({ killed: 2, staticSurvivors: 3, staticKilledOnRetest: 1,
      survived: 2, errors: 1, timeouts: 0 });
    expect(row!.survivors.map((x) => x.id).sort()).toEqual(['2', '5']);
  });

  it('wilson: the 95 % interval of the seed-19 smart figure (21 of 37)', () => {
    const [lo, hi] = wilson(21, 37) as [number, number];
    expect(lo).toBeCloseTo(0.409, 3);
    expect(hi).toBeCloseTo(0.713, 3);
  });
});

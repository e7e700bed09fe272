/**
 * Without --keep-going explore stops at its first failing trial; trials of later seeds that
 * finished meanwhile (several workers) are not counted, so the summary does not depend on timing.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { countedTrials } from '../../cli/cmd-explore.js';
import { renderExplore } from '../../reports/explore.js';

const ok = (position: number) => ({ position });
const failed = (position: number) => ({ position, found: true });

describe('countedTrials', () => {
  it('sorts by seed and cuts after the first failing seed, whatever finished first', () => {
    const trials = [ok(0), failed(5), ok(6), ok(2), ok(1), failed(3), ok(4)];
    expect(countedTrials(trials, false).map((t) => t.position)).toEqual([0, 1, 2, 3]);
    expect(countedTrials(trials, true).map((t) => t.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('an internal error or a lost worker is a failing trial too; no failure keeps all', () => {
    expect(countedTrials([ok(0), { position: 1, error: 'x' }, ok(2)], false)).toHaveLength(2);
    expect(countedTrials([{ position: 1, lost: {} }, ok(0), ok(2)], false)).toHaveLength(2);
    expect(countedTrials([ok(2), ok(0), ok(1)], false).map((t) => t.position)).toEqual([0, 1, 2]);
  });

  it('the report says how many later trials finished while stopping, only when some did', () => {
    const base = { done: 8, found: [], saved: [], errors: [], lost: [], resultsFile: 'r.jsonl',
      resumed: 0, gaps: [], replayArgs: '' };
    const c = new Chalk({ level: 0 });
    expect(renderExplore({ ...base, finishedWhileStopping: 3 }, c))
      .toContain('3 trial(s) of later seeds finished while stopping at the first failing seed');
    expect(renderExplore({ ...base, finishedWhileStopping: 0 }, c)).not.toContain('while stopping');
  });
});

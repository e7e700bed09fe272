/**
 * The explore lines that render in reports/: the header, resuming, the queue's waiting line,
 * a trial's internal error, and the state-coverage lines in the summary and its document.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import {
  exploreDocument, renderExplore, renderExploreHeader, renderExploreResuming,
  renderQueueWaiting, renderTrialError, type ExploreSummary,
} from '../../reports/explore.js';

const c = new Chalk({ level: 0 });
const header = { protocol: 'smart', mutant: null, scenarios: 3, base: 10,
  shard: { index: 1, count: 4 }, resultsFile: 'out/results.jsonl' };

const summary: ExploreSummary = { done: 4, found: [], saved: [], errors: [], lost: [],
  finishedWhileStopping: 0,
  resultsFile: 'r.jsonl', resumed: 0, gaps: [], replayArgs: '' };
const figure = { trials: 4, distinct: 30, byScenario: [{ scenario: 'a', trials: 2,
  distinct: 20 }, { scenario: 'b', trials: 2, distinct: 12 }],
saturation: [{ trials: 1, distinct: 10 }, { trials: 2, distinct: 18 },
  { trials: 4, distinct: 30 }] };

describe('explore report lines', () => {
  it('the header names workers or the queue', () => {
    expect(renderExploreHeader({ ...header, runner: { workers: 2 } }, c)).toBe('explore ' +
      'protocol=smart mutant=- scenarios=3 seeds from 10 shard 1/4 workers=2 → out/results.jsonl');
    expect(renderExploreHeader({ ...header, mutant: 'smart:x',
      runner: { queue: 'redis://h:1', batch: 5 } }, c)).toBe('explore protocol=smart ' +
      'mutant=smart:x scenarios=3 seeds from 10 shard 1/4 queue=redis://h:1 batch=5 → ' +
      'out/results.jsonl');
  });

  it('resuming, waiting for queue workers, a trial error', () => {
    expect(renderExploreResuming(7, 'f.jsonl')).toBe('resuming: 7 seed(s) already in f.jsonl');
    expect(renderQueueWaiting(3, 'redis://h:1')).toBe('3 batch(es) queued on redis://h:1; ' +
      'start `replisim worker --queue redis://h:1` on any machine to run them');
    expect(renderTrialError(4, 'smart-steady', 'boom')).toBe('seed 4 (smart-steady): boom');
  });

  it('state coverage: in the summary before the verdict, and in the document', () => {
    const without = renderExplore(summary, c);
    expect(without).toBe('explore: 4 runs, no violation');
    expect(exploreDocument(summary)).not.toHaveProperty('stateCoverage');
    const lines = renderExplore({ ...summary, stateCoverage: figure }, c).split('\n');
    expect(lines[0]).toBe('state coverage: 30 distinct protocol states in 4 trials ' +
      '(64-bit node-state fingerprints)');
    expect(lines.slice(1)).toEqual(['  saturation (trials→states): 1→10 2→18 4→30',
      '  the last 2 trials added 12 new states (40 % of the total)',
      'state coverage by scenario', 'scenario  trials  states', 'a              2      20',
      'b              2      12', 'explore: 4 runs, no violation']);
    expect(exploreDocument({ ...summary, stateCoverage: figure }))
      .toMatchObject({ stateCoverage: figure });
  });
});

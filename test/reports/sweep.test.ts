/**
 * The sweep report from outcomes made by hand: counts per property, failing seeds with their
 * reproduce commands, lost seeds apart from internal errors, and the closing verdict line.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import {
  renderSweep, renderSweepCoverage, renderSweepFolder, renderSweepHeader, sweepDocument,
  type SweepSeedResult, type SweepSummary,
} from '../../reports/sweep.js';
import { coverage } from '../../properties/sometimes.js';

const c = new Chalk({ level: 0 });
const pass = (seed: number): SweepSeedResult => ({ ok: true, seed, pass: true, traceHash: 'h',
  verdicts: [{ property: 'p', status: 'pass', message: '' },
    { property: 'q', status: 'skip', message: '' }] });
const fail = (seed: number): SweepSeedResult => ({ ok: true, seed, pass: false, traceHash: 'h',
  verdicts: [{ property: 'p', status: 'fail', message: 'broke' },
    { property: 'q', status: 'pass', message: '' }] });

const summary = (results: SweepSeedResult[]): SweepSummary => ({
  name: 's', protocol: 'example', mutant: null, first: 0, count: results.length, results,
  reproduce: (seed) => `npx replisim run s --seed ${seed}`, coverage: [], gaps: [],
});

describe('sweep report', () => {
  it('all seeds pass: counts, no failing seed, a green verdict', () => {
    const s = summary([pass(0), pass(1)]);
    const doc = sweepDocument(s);
    expect(doc.failedSeeds).toEqual([]);
    expect(doc['properties']).toEqual([{ property: 'p', pass: 2, fail: 0, other: 0 },
      { property: 'q', pass: 0, fail: 0, other: 2 }]);
    expect(renderSweep(s, c).split('\n').at(-1)).toBe('sweep: 2 seeds, every property held');
  });

  it('a failing seed, a lost one and an internal error are each reported apart', () => {
    const s = summary([pass(0), fail(1), { ok: false, seed: 2, error: 'hung', lost: true },
      { ok: false, seed: 3, error: 'bug' }]);
    const doc = sweepDocument(s);
    expect(doc.failedSeeds).toEqual([1]);
    expect(doc.lostSeeds).toEqual([{ seed: 2, error: 'hung',
      reproduce: 'npx replisim run s --seed 2' }]);
    expect(doc.errors).toEqual([{ seed: 3, error: 'bug' }]);
    const text = renderSweep(s, c);
    expect(text).toContain('✗ seed 1: p: broke\n  reproduce: npx replisim run s --seed 1');
    expect(text).toContain('✗ seed 2: hung');
    expect(text).toContain('error at seed 3: bug');
    expect(text.split('\n').at(-1)).toBe('sweep: 1 of 4 seeds failed, 1 killed their worker, ' +
      '1 stopped on an internal error');
  });

  it('flags an expected "sometimes" event that no seed showed', () => {
    const rows = coverage([[], []], ['leader-change'], 'smart');
    expect(renderSweepCoverage(rows, ['leader-change'], 2, c))
      .toContain('coverage: expected but never happened: leader-change');
    expect(renderSweepCoverage(rows, [], 2, c)).not.toContain('never happened:');
  });

  it('the header and the run-folder line', () => {
    expect(renderSweepHeader({ name: 's', protocol: 'opb', mutant: null, first: 5, count: 3,
      workers: 2 }, c)).toBe('sweep s protocol=opb mutant=- seeds 5..7 workers=2');
    expect(renderSweepFolder('out/sweep/x')).toBe('run folder: out/sweep/x (results.json; ' +
      'seed-N/: report.html, history, trace)');
  });

  it('state coverage: one scenario, no per-scenario table; in the document when asked', () => {
    const stateCoverage = { trials: 1, distinct: 9, byScenario: [{ scenario: 's', trials: 1,
      distinct: 9 }], saturation: [{ trials: 1, distinct: 9 }] };
    const s = summary([pass(0)]);
    expect(sweepDocument(s)).not.toHaveProperty('stateCoverage');
    expect(sweepDocument({ ...s, stateCoverage })['stateCoverage']).toEqual(stateCoverage);
    const lines = renderSweep({ ...s, stateCoverage }, c).split('\n');
    expect(lines.slice(-3)).toEqual(['state coverage: 9 distinct protocol states in 1 trial ' +
      '(64-bit node-state fingerprints)', '  saturation (trials→states): 1→9',
    'sweep: 1 seeds, every property held']);
  });
});

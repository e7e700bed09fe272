import { describe, expect, it } from 'vitest';
import { findExperiment } from '../../scenarios/experiments/index.js';

const NAMES = ['smart-latency', 'smart-pipelining', 'smart-disconnect', 'smart-migration',
  'smart-repeated-migration'];

describe('SMART experiments reproduce the paper’s shapes (one seed per point)', () => {
  for (const name of NAMES) {
    it(`${name}: every shape check holds`, () => {
      const e = findExperiment(name);
      expect(e).toBeDefined();
      const result = e!.run({ seeds: 1 });
      expect(result.checks.length).toBeGreaterThanOrEqual(2);
      for (const c of result.checks) {
        const got = { claim: c.claim, ok: c.ok, detail: c.detail };
        expect(got).toEqual({ ...got, ok: true });
      }
    });
  }
});

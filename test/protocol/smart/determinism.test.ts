import { describe, expect, it } from 'vitest';
import { runSmart } from '../../../scenarios/experiments/smart-catalog.js';

describe('smart determinism', () => {
  for (const name of ['smart-steady', 'smart-leader-churn', 'smart-migrate-chain']) {
    it(`${name}: the same seed gives the same trace hash; another seed another`, () => {
      const a = runSmart(name, 7);
      const b = runSmart(name, 7);
      const c = runSmart(name, 8);
      expect(a.run.traceHash).toBe(b.run.traceHash);
      expect(a.run.observations).toEqual(b.run.observations);
      expect(c.run.traceHash).not.toBe(a.run.traceHash);
    });
  }
});

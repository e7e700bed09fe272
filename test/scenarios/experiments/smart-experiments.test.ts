import { describe, expect, it } from 'vitest';
import { findExperiment } from '../../../scenarios/experiments/index.js';

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
      // The paper's figure, redrawn with the paper's values beside ours.
      expect(result.figures?.length).toBeGreaterThan(0);
    });
  }
});

describe('smart-pipelining: the cost model explains §6.6', () => {
  const e = findExperiment('smart-pipelining')!;
  const checkOf = (result: ReturnType<typeof e.run>, start: string): boolean =>
    result.checks.find((c) => c.claim.startsWith(start))!.ok;

  it('with the cost model off, neither contention nor pipelining’s gain shows', () => {
    expect(e.ablations!.map((a) => a.name)).toEqual(['costs']);
    const result = e.run({ seeds: 1, ablate: 'costs' });
    expect(checkOf(result, 'at α=10, two clients are at least')).toBe(false);
    expect(checkOf(result, 'with two clients, α=10 is at least')).toBe(false);
    expect(result.data).toMatchObject({ costModel: false });
  });

  it('an unknown ablation is refused', () => {
    expect(() => e.run({ seeds: 1, ablate: 'disk' })).toThrow(/no ablation "disk"/);
  });
});

describe('smart-migration and smart-repeated-migration: null filling bounds a migration', () => {
  const failing = (result: { checks: readonly { claim: string; ok: boolean }[] }): string[] =>
    result.checks.filter((c) => !c.ok).map((c) => c.claim);

  it('with null filling off, the migration costs seconds and throughput does not recover',
    () => {
      const e = findExperiment('smart-migration')!;
      expect(e.ablations!.map((a) => a.name)).toEqual(['null-fill']);
      const result = e.run({ seeds: 1, ablate: 'null-fill', quick: true });
      expect(failing(result)).toEqual(result.checks.map((c) => c.claim));
      expect(result.data).toMatchObject({ ablated: 'null-fill' });
      // The old range never fills, so R never gets its starting state.
      expect(result.tables[0]!.rows.map((r) => r[5])).toEqual(['never', 'never']);
      expect(() => e.run({ seeds: 1, ablate: 'costs' })).toThrow(/no ablation "costs"/);
    });

  it('with null filling off, repeated migrations never complete and each costs too much', () => {
    const e = findExperiment('smart-repeated-migration')!;
    const result = e.run({ seeds: 1, ablate: 'null-fill', quick: true });
    expect(failing(result)).toEqual(result.checks.map((c) => c.claim));
  });
});

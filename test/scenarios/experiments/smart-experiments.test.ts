import { describe, expect, it } from 'vitest';
import { findExperiment } from '../../../scenarios/experiments/index.js';

const NAMES = ['smart-latency', 'smart-pipelining', 'smart-disconnect', 'smart-migration',
  'smart-repeated-migration'];

/** Run short: smart-migration's full run copies the paper's 1 MB state for 53 s. */
const QUICK = new Set(['smart-migration']);

/**
 * Shape checks known to fail, by the start of their claim: a gap between our model and the
 * paper, kept visible (the experiment reports it ✗ and exits 1) instead of a bound lowered to
 * pass. Fixed, this test fails: drop the entry. None now: Fig. 11's two-delayed share (52 %,
 * paper 83 %; bound 50 %) passes narrowly since the fix of explore seed 952098 shifted the
 * clients' timing around migrations (46 % before; docs/smart.md has the probes).
 */
const KNOWN_GAPS: { readonly [name: string]: readonly string[] } = {};

describe('SMART experiments reproduce the paper’s shapes (one seed per point)', () => {
  for (const name of NAMES) {
    it(`${name}: every shape check holds`, () => {
      const e = findExperiment(name);
      expect(e).toBeDefined();
      const result = e!.run({ seeds: 1, quick: QUICK.has(name) });
      expect(result.checks.length).toBeGreaterThanOrEqual(2);
      const gaps = KNOWN_GAPS[name] ?? [];
      for (const c of result.checks) {
        const got = { claim: c.claim, ok: c.ok, detail: c.detail };
        expect(got).toEqual({ ...got, ok: !gaps.some((g) => c.claim.startsWith(g)) });
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
      expect(e.ablations!.map((a) => a.name))
        .toEqual(['null-fill', 'transfer-cost', 'state-source']);
      const result = e.run({ seeds: 1, ablate: 'null-fill', quick: true });
      // No request completes while R waits: neither elevation check accepts a stall.
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

describe('smart-repeated-migration: sends, contention, checkpoint explain phases 2–4', () => {
  const e = findExperiment('smart-repeated-migration')!;
  const failing = (ablate: string): string[] => e.run({ seeds: 1, ablate, quick: true })
    .checks.filter((c) => !c.ok).map((c) => c.claim.slice(0, 7));

  it('lists its ablations and refuses others', () => {
    expect(e.ablations!.map((a) => a.name))
      .toEqual(['null-fill', 'cpu', 'checkpoint-pause', 'send-cost']);
    expect(() => e.run({ seeds: 1, ablate: 'transfer-cost' })).toThrow(/no ablation/);
  });

  it('without CPU time the nulls do not queue (phase 3 is a round trip) and sending is free',
    () => {
      expect(failing('cpu')).toEqual(['phase 3', 'phase 2', 'two del']);
    });

  it('without a send cost, executing MIGRATE is one short step and one request is delayed',
    () => {
      expect(failing('send-cost')).toEqual(['phase 2', 'two del']);
    });

  it('with a checkpoint that takes no time, execution never waits: no phase 4', () => {
    // 'two del' fails without the ablation too (KNOWN_GAPS).
    expect(failing('checkpoint-pause')).toEqual(['phase 4', 'two del']);
  });

  it('measures the four phases and why a request is delayed once or twice', () => {
    const data = e.run({ seeds: 1, quick: true }).data as { phaseUs: number[];
      oldRangeShare: number; histogram: number[]; requestLogRoundUs: number };
    // Phase 4 ends with the leader's execution timer, the end of the 8 ms checkpoint pause.
    expect(data.phaseUs[3]).toBeGreaterThan(7_000);
    expect(data.phaseUs[3]).toBeLessThanOrEqual(8_000);
    expect(data.phaseUs.every((us) => us >= 0)).toBe(true);
    expect(data.histogram.reduce((a, n) => a + n, 0)).toBe(6);
    // MIGRATE's log round (phase 1) is longer than a client request's: it contends with the
    // client's request in flight at the leader and the followers.
    expect(data.requestLogRoundUs).toBeGreaterThan(1_000);
    expect(data.phaseUs[0]).toBeGreaterThan(data.requestLogRoundUs + 200);
  });

  it('without CPU time, phase 1 is just a request’s log round (nothing to contend for)', () => {
    const data = e.run({ seeds: 1, ablate: 'cpu', quick: true }).data as { phaseUs: number[];
      requestLogRoundUs: number };
    expect(Math.abs(data.phaseUs[0]! - data.requestLogRoundUs)).toBeLessThan(100);
  });
});

describe('smart-migration: the streamed state copy explains Fig. 9 against Fig. 10', () => {
  const e = findExperiment('smart-migration')!;
  const check = (result: ReturnType<typeof e.run>, start: string): boolean =>
    result.checks.find((c) => c.claim.startsWith(start))!.ok;

  it('with the copy costing nothing, 3 replicas show no elevated period', () => {
    const result = e.run({ seeds: 1, ablate: 'transfer-cost', quick: true });
    expect(check(result, 'with 3 replicas, mean latency while R gets its state')).toBe(false);
    // The delayed requests do not depend on the copy.
    expect(check(result, 'the delayed requests together')).toBe(true);
  });

  it('when R asks the leader too (and again at every FINISHED), 5 replicas are elevated', () => {
    const result = e.run({ seeds: 1, ablate: 'state-source', quick: true });
    expect(check(result, 'with 5 replicas, mean latency while R gets its state')).toBe(false);
    expect(check(result, 'with 3 replicas, mean latency while R gets its state')).toBe(true);
  });

  it('with the copy streamed, 3 replicas are elevated and 5 are not (quick: 25 kB)', () => {
    const result = e.run({ seeds: 1, quick: true });
    const { three, five } = (result.data as { elevationPermille: { three: number[];
      five: number[] } }).elevationPermille;
    expect(three[0]!).toBeGreaterThan(five[0]! + 30);
  });
});

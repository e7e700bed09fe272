/**
 * PCT delivery priorities (network.pct): they change the order in which messages arrive, the
 * same seed still gives the same trace, and a scenario without them runs as before (the golden
 * trace hashes pin that).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { Scenario } from '../../simulator/config.js';

function withPct(pct: { depth: number; holdUs: number } | null): Scenario {
  const base = loadScenario('smart-steady');
  return pct === null ? base : { ...base, network: { ...base.network, pct } };
}

/**
 * Per slot, which follower's Logged reached n1 first, during the fault window (the leader's own
 * Logged, sent to itself once its write lands, is not a follower's).
 */
function firstLogged(s: Scenario, seed: number): Map<string, number> {
  const run = runChecked({ scenario: s, seed, keepTrace: true });
  expect(run.violations).toEqual([]);
  const first = new Map<string, string>();
  for (const line of run.record.trace!) {
    const m = /^t=(\d+) (n\d)->n1 Logged c=\d+ b=\S+ s=(\d+) /.exec(line);
    if (m === null || m[2] === 'n1' || Number(m[1]) >= s.durationUs || first.has(m[3]!)) continue;
    first.set(m[3]!, m[2]!);
  }
  const wins = new Map<string, number>();
  for (const who of first.values()) wins.set(who, (wins.get(who) ?? 0) + 1);
  return wins;
}

describe('PCT delivery priorities', () => {
  it('order deliveries by sender priority: one follower always answers first', () => {
    const plain = firstLogged(withPct(null), 3);
    // Without priorities both followers win races for some slots.
    expect(plain.size).toBe(2);
    expect(Math.min(...plain.values())).toBeGreaterThan(5);
    // Depth 1 (no change point) and a hold well above the latency spread: the higher-priority
    // follower's Logged overtakes the other's every time.
    const pct = firstLogged(withPct({ depth: 1, holdUs: 4_000 }), 3);
    expect(pct.size).toBe(1);
    expect([...pct.values()][0]).toBeGreaterThan(20);
  });

  it('are deterministic: same seed, same trace hash; another depth or seed, another trace', () => {
    const hash = (s: Scenario, seed: number): string =>
      runChecked({ scenario: s, seed }).record.traceHash;
    const d3 = withPct({ depth: 3, holdUs: 1_000 });
    expect(hash(d3, 7)).toBe(hash(d3, 7));
    expect(hash(d3, 7)).not.toBe(hash(withPct(null), 7));
    expect(hash(d3, 7)).not.toBe(hash(withPct({ depth: 1, holdUs: 1_000 }), 7));
    expect(hash(d3, 7)).not.toBe(hash(d3, 8));
  });

  it('reject a bad knob with a one-line error', () => {
    const raw = (pct: unknown): unknown => ({
      schema: 'replisim/scenario@1', name: 'bad', protocols: ['smart'],
      topology: { dcs: [{ name: 'd', zone: 'z' }], nodes: [{ id: 'n1', dc: 'd' }],
        replicas: ['n1'] },
      network: { pct }, clients: { count: 0 }, durationUs: 100_000,
    });
    expect(parseScenario(raw({ depth: 2 }), 'f').network.pct).toEqual({ depth: 2, holdUs: 1_000 });
    expect(() => parseScenario(raw({ depth: 0 }), 'f'))
      .toThrow(/^f: invalid scenario at network\.pct\.depth: [^\n]*$/);
    expect(() => parseScenario(raw({ depth: 2, hold: 5 }), 'f'))
      .toThrow(/^f: invalid scenario at network\.pct: [^\n]*hold/);
  });
});

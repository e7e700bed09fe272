/** The run record's node facts, recorded where the simulator applies them (simulator/sim.ts). */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../simulator/config.js';
import { simulate } from '../../simulator/sim.js';

function run(faults: Scenario['faults']): ReturnType<typeof simulate> {
  const base = loadScenario('example-steady');
  const scenario: Scenario = { ...base, durationUs: 600_000, settleUs: 200_000, faults };
  return simulate({ scenario, protocol: findProtocol('example')!, seed: 1 });
}

describe('RunRecord.nodeEvents', () => {
  it('records boots, crashes, restarts, pauses and the settle phase', () => {
    const r = run([
      { at: 100_000, kind: 'crash', node: 'n2' },
      { at: 200_000, kind: 'restart', node: 'n2' },
      { at: 250_000, kind: 'restart', node: 'n3', amnesia: true },
      { at: 300_000, kind: 'pause', node: 'n3' },
      { at: 350_000, kind: 'pause', node: 'n3' },
      { at: 400_000, kind: 'resume', node: 'n3' },
      { at: 450_000, kind: 'crash', node: 'replicas' },
    ]);
    const events = r.nodeEvents.filter((e) => e.at > 0).map((e) => `${e.at} ${e.node} ${e.kind}`);
    expect(events).toEqual([
      '100000 n2 down',
      '200000 n2 up', // Restarting a crashed node boots it: no second `down`.
      '250000 n3 down', '250000 n3 up', // A restart of a live node: down, then up.
      '300000 n3 paused', // Pausing a paused node is no new fact.
      '400000 n3 resumed',
      '450000 n1 down', '450000 n2 down', '450000 n3 down',
      '600000 n1 up', '600000 n2 up', '600000 n3 up', // The settle phase restarts them.
    ]);
    expect(r.nodeEvents.filter((e) => e.at === 0).map((e) => e.kind)).toEqual(['up', 'up', 'up']);
  });
  it('records skew and (for protocols that support it) corruption per node', () => {
    const r = run([{ at: 100_000, kind: 'skew', node: 'n1', offsetUs: 50, ratePpm: 10 }]);
    expect(r.nodeEvents.filter((e) => e.kind === 'skewed').map(({ seq: _s, ...e }) => e))
      .toEqual([{ at: 100_000, node: 'n1', kind: 'skewed' }]);
  });
  it('records a corruption only where the protocol state was scrambled', () => {
    const base = loadScenario('opb-corruption');
    const r = simulate({ scenario: base, protocol: findProtocol('opb')!, seed: 0 });
    const corrupt = base.faults.filter((f) => f.kind === 'corrupt');
    expect(corrupt.length).toBeGreaterThan(0);
    const facts = r.nodeEvents.filter((e) => e.kind === 'corrupted');
    expect(facts.length).toBeGreaterThan(0);
    for (const f of facts) expect(corrupt.some((c) => c.at === f.at)).toBe(true);
    // The example protocol has no `corrupt`: the fault changes nothing, so no fact.
    const ex = run([{ at: 100_000, kind: 'corrupt', node: 'n1' }]);
    expect(ex.nodeEvents.some((e) => e.kind === 'corrupted')).toBe(false);
  });
});

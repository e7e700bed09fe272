/**
 * What the disk model tells checkers: a crash that loses writes in flight records
 * `writes-lost` with the time of the step whose image the disk kept (`diskAsOf`), and a fact
 * that waited for a write keeps the time of the step that observed it (`stepAt`).
 */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../simulator/config.js';
import { simulate } from '../../simulator/sim.js';

function run(faults: Scenario['faults'], durationUs = 600_000): ReturnType<typeof simulate> {
  const base = loadScenario('opb-slow-disk');
  const scenario: Scenario = { ...base, durationUs, settleUs: 200_000, faults };
  return simulate({ scenario, protocol: findProtocol('opb')!, seed: 0 });
}

describe('disk facts', () => {
  it('records writes-lost with the image kept, before the crash, on a slowed disk', () => {
    const r = run([
      { at: 50_000, kind: 'disk', node: 'n1', delayUs: 100_000 },
      { at: 400_000, kind: 'crash', node: 'n1' },
      { at: 450_000, kind: 'disk', node: 'n1', delayUs: 0 },
    ]);
    const lost = r.nodeEvents.filter((e) => e.kind === 'writes-lost');
    expect(lost.map((e) => [e.node, e.at])).toEqual([['n1', 400_000]]);
    const asOf = lost[0]!.diskAsOf!;
    expect(asOf).toBeLessThan(400_000 - 100_000); // A write issued later cannot have landed.
    const down = r.nodeEvents.find((e) => e.kind === 'down' && e.node === 'n1')!;
    expect(down.seq).toBeGreaterThan(lost[0]!.seq);
    // Facts that waited for a write keep their step's time, earlier than their record.
    const waited = r.observations.filter((o) => o.stepAt !== undefined);
    expect(waited.length).toBeGreaterThan(0);
    for (const o of waited) expect(o.stepAt!).toBeLessThan(o.at);
  });

  it('records nothing when the crash finds every write landed', () => {
    const r = run([{ at: 400_000, kind: 'crash', node: 'n1' }]);
    expect(r.nodeEvents.some((e) => e.kind === 'writes-lost')).toBe(false);
  });
});

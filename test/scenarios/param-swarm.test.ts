/** Explore varies protocol parameters per trial (Protocol.swarmParams) as well as faults. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { applySchedule, scheduleArb } from '../../scenarios/generator.js';
import { loadScenario } from '../../scenarios/load.js';

describe('parameter swarm', () => {
  it('each trial draws its own SMART parameters, and the scenario runs with them', () => {
    const smart = findProtocol('smart')!;
    const base = loadScenario('smart-steady');
    const drawn = fc.sample(scheduleArb(['crash'], smart), { seed: 5, numRuns: 40 })
      .map((s) => applySchedule(base, s).params['smart']!);
    const alphas = new Set(drawn.map((p) => p['alpha']));
    expect(alphas.size).toBeGreaterThan(5);
    for (const p of drawn) {
      const [alpha, every, log] = [p['alpha'], p['checkpointEvery'], p['maxLogSize']] as number[];
      expect(log).toBeGreaterThan(alpha! + 2 * every! - 1);
      // The scenario's own timing parameters are kept.
      expect(p['heartbeatUs']).toBe(base.params['smart']!['heartbeatUs']);
    }
  });

  it('OPB trials cover both policies, k 2..5 with w 0..k-1, small logKeep and epochLimit', () => {
    const opb = findProtocol('opb')!;
    const base = loadScenario('opb-steady');
    const trials = fc.sample(scheduleArb(['crash'], opb), { seed: 9, numRuns: 80 })
      .map((s) => applySchedule(base, s));
    const drawn = trials.map((t) => t.params['opb']!);
    expect(new Set(drawn.map((p) => p['policy']))).toEqual(new Set(['merge', 'discard']));
    expect(new Set(drawn.map((p) => p['k']))).toEqual(new Set([2, 3, 4, 5]));
    expect(new Set(drawn.map((p) => p['w']))).toEqual(new Set([0, 1, 2, 3, 4]));
    for (const [i, p] of drawn.entries()) {
      expect(p['w']).toBeLessThan(p['k'] as number);
      // The group is the replica set: as many replicas as k, in distinct data centers.
      const replicas = trials[i]!.topology.replicas;
      expect(replicas).toHaveLength(p['k'] as number);
      const dcs = replicas.map((r) => base.topology.nodes.find((n) => n.id === r)!.dc);
      expect(new Set(dcs).size).toBe(replicas.length);
    }
    expect(drawn.some((p) => p['logKeep'] === 2)).toBe(true);
    expect(drawn.some((p) => p['epochLimit'] === 2)).toBe(true);
  });

  it('a protocol without swarmParams keeps its scenario parameters', () => {
    const example = findProtocol('example')!;
    const base = loadScenario('example-steady');
    const [s] = fc.sample(scheduleArb(['crash'], example), { seed: 1, numRuns: 1 });
    expect(s!.knobs.params).toBeNull();
    expect(applySchedule(base, s!).params).toEqual(base.params);
  });
});

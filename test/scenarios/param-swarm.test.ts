/** Explore varies protocol parameters per trial (Protocol.swarmParams) as well as faults. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { trialArb } from '../../scenarios/explore.js';
import { applySchedule, scheduleArb } from '../../scenarios/generator.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import type { FaultOf } from '../../simulator/faults/kinds.js';

type Operator = FaultOf<'operator'>;
const migrationsOf = (faults: readonly { kind: string }[]): Operator[] =>
  faults.filter((f): f is Operator => f.kind === 'operator');
const membersOf = (f: Operator): string[] => (f.args as { members: string[] }).members;

describe('parameter swarm', () => {
  it('each trial draws its own SMART parameters, and the scenario runs with them', () => {
    const smart = findProtocol('smart')!;
    const base = loadScenario('smart-steady');
    const drawn = fc.sample(scheduleArb(['crash'], smart), { seed: 5, numRuns: 40 })
      .map((s) => applySchedule(base, s).params['smart']!);
    const alphas = new Set(drawn.map((p) => p['alpha']));
    expect(alphas.size).toBeGreaterThan(5);
    let sparse = 0;
    for (const p of drawn) {
      const [alpha, every, log] = [p['alpha'], p['checkpointEvery'], p['maxLogSize']] as number[];
      // Either the log has room for two checkpoints past the window, or checkpoints are rarer
      // than the log allows and only the forced ones (every maxLogSize - alpha slots) happen.
      if (every! > log! - alpha!) sparse++;
      else expect(log).toBeGreaterThan(alpha! + 2 * every! - 1);
      // The scenario's own timing parameters are kept.
      expect(p['heartbeatUs']).toBe(base.params['smart']!['heartbeatUs']);
    }
    expect(sparse).toBeGreaterThan(0);
    expect(sparse).toBeLessThan(drawn.length / 2);
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

  it('SMART trials draw configurations of 3 to 6 members, and migrations to even sizes', () => {
    const base = loadScenario('smart-steady');
    const trials = fc.sample(trialArb('smart'), { seed: 11, numRuns: 80 })
      .map((s) => applySchedule(base, s));
    const sizes = trials.map((t) => t.topology.replicas.length);
    expect(new Set(sizes)).toEqual(new Set([3, 4, 5, 6]));
    const migrations = trials.flatMap((t) => migrationsOf(t.faults));
    expect(migrations.length).toBeGreaterThan(20);
    for (const m of migrations) expect(m).toMatchObject({ node: '*', name: 'migrate' });
    expect(new Set(migrations.map((m) => membersOf(m).length))).toEqual(new Set([3, 4, 5, 6]));
    // The configuration repository is a directory, never a replica or a migration target.
    const repo = loadScenario('smart-repository');
    for (const s of fc.sample(trialArb('smart'), { seed: 12, numRuns: 40 })) {
      const t = applySchedule(repo, s);
      expect(t.topology.replicas).not.toContain('n7');
      for (const m of migrationsOf(t.faults.slice(repo.faults.length))) {
        expect(membersOf(m)).not.toContain('n7');
      }
    }
  });

  it('a SMART trial with 4 members migrating to 6 runs clean and creates the 6-member config',
    () => {
      const base = loadScenario('smart-steady');
      const schedule = fc.sample(trialArb('smart'), { seed: 13, numRuns: 400 }).find((s) => {
        const t = applySchedule(base, { ...s, episodes: [] });
        const m = migrationsOf(t.faults);
        return t.topology.replicas.length === 4 && m.length === 1 && membersOf(m[0]!).length === 6;
      })!;
      const scenario = applySchedule(base, { ...schedule, episodes: [] });
      const run = runChecked({ scenario, seed: 1 });
      expect(run.violations).toEqual([]);
      expect(run.record.replicas).toHaveLength(4);
      const created = run.record.observations.filter((o) => o.label === 'cfg')
        .map((o) => (o.data as { members: string[] }).members.length);
      expect(created).toContain(6);
    });

  it('trials draw targeted faults where the protocol names its messages, and PCT knobs', () => {
    for (const protocol of ['smart', 'opb']) {
      const drawn = fc.sample(trialArb(protocol), { seed: 14, numRuns: 200 });
      expect(drawn.some((s) => s.knobs.kinds.includes('targeted'))).toBe(true);
      const depths = new Set(drawn.map((s) => s.knobs.pct?.depth ?? null));
      expect(depths).toEqual(new Set([null, 1, 2, 3, 4]));
      const base = loadScenario(protocol === 'smart' ? 'smart-steady' : 'opb-steady');
      const targeted = drawn.flatMap((s) => applySchedule(base, s).faults)
        .filter((f) => f.kind === 'targeted');
      expect(targeted.length).toBeGreaterThan(10);
      expect(new Set(targeted.map((f) => f.action))).toEqual(new Set(['drop', 'delay']));
    }
    // The example protocol names no message types: explore never draws a targeted fault for it.
    const example = fc.sample(trialArb('example'), { seed: 14, numRuns: 60 });
    expect(example.some((s) => s.knobs.kinds.includes('targeted'))).toBe(false);
  });
});

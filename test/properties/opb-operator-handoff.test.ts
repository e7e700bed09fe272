/**
 * opb-operator-handoff (P2.6 #2 through the operator): a handoff asked of a converged group in
 * calm time moves the primary role to the named member, judged from the other members' digests.
 */
import { describe, expect, it } from 'vitest';
import { operatorHandoffProblems } from '../../properties/opb-operator-handoff.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { FaultEvent } from '../../simulator/config.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const scenario = loadScenario('opb-operator-handoff');
const record = (mutant: string | null): RunRecord =>
  simulate({ scenario, protocol: findProtocol('opb')!, seed: 0, mutant });
const withFaults = (run: RunRecord, faults: FaultEvent[]): RunRecord => ({ ...run, faults });

describe('opb-operator-handoff', () => {
  const run = record(null);

  it('holds when each named member comes to lead (two handoffs judged)', () => {
    expect(operatorHandoffProblems(run)).toEqual({ problems: [], judged: 2 });
  });

  it('fails when the primary drops the command (opb:ignore-operator, mutation #2354)', () => {
    const r = operatorHandoffProblems(record('opb:ignore-operator'));
    expect(r.judged).toBe(2);
    expect(r.problems).toEqual([
      's0: the operator asked n1 (primary at 1.n1) to hand the role to member n9 at ' +
        't=1000000us; no other member followed n9 within 1500000us',
      's0: the operator asked n1 (primary at 1.n1) to hand the role to member n5 at ' +
        't=2000000us; no other member followed n5 within 1500000us',
    ]);
  });

  it('fails when a backup acts on the command too (mutation #2438 of the seed-31 sample)', () => {
    // The same run with the primary's first handoff fact also reported by backup n5.
    const real = run.observations.find((o) => o.label === 'opb.handoff')!;
    expect(real.node).toBe('n1');
    const observations = [...run.observations, { ...real, node: 'n5', seq: 1e9 }];
    expect(operatorHandoffProblems({ ...run, observations }).problems).toEqual([
      's0: n5, not the primary n1, handed the role to n9 on the operator\'s command at ' +
        't=1000000us',
    ]);
  });

  it('fails when the run shows another member leading than the one asked', () => {
    // The same run, read as if the second command had named n1: n5 led instead.
    const faults = run.faults.map((f) => (f.kind === 'operator' && f.at === 2_000_000
      ? { ...f, args: { svc: 0, to: 'n1' } } : f));
    expect(operatorHandoffProblems(withFaults(run, faults)).problems.join('\n'))
      .toMatch(/asked n9 \(primary at 2\.n9\) to hand the role to member n1 at t=2000000us/);
  });

  it('judges no command naming a non-member, its own primary, or in a window with a fault', () => {
    const named = (to: string): FaultEvent[] => run.faults.map((f) =>
      (f.kind === 'operator' && f.at === 1_000_000 ? { ...f, args: { svc: 0, to } } : f));
    expect(operatorHandoffProblems(withFaults(run, named('n2'))).judged).toBe(1);
    expect(operatorHandoffProblems(withFaults(run, named('n1'))).judged).toBe(1);
    // A corruption of an uninvolved node at 2.4 s, inside both commands' windows: none judged.
    const corrupt: FaultEvent = { at: 2_400_000, kind: 'corrupt', node: 'n2' };
    expect(operatorHandoffProblems(withFaults(run, [...run.faults, corrupt])).judged).toBe(0);
  });
});

/**
 * opb-move-budget: at most one load/power move per node per window (protocol/optimistic/
 * README.md), judged from the HANDOFFs and JOINs in the message record. opb-spike seed 0: n1,
 * overloaded, sheds s1, s2 and s3 one window after another. A second HANDOFF in one of those
 * windows fails (mutation #1584 of the seed-37 sample never spent the budget: all three at
 * 1.25 s); repairs, handbacks and operator orders are not budgeted.
 */
import { describe, expect, it } from 'vitest';
import { moveBudgetProblems } from '../../properties/opb-move-budget.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { MessageFact, Observation, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (name: string, keepTrace = true): RunRecord => simulate({
  scenario: loadScenario(name), protocol: findProtocol('opb')!, seed: 0, keepTrace });
const problemsOf = (r: RunRecord): string[] =>
  (moveBudgetProblems(r) as { problems: string[] }).problems;

describe('opb-move-budget', () => {
  const run = record('opb-spike');
  const first = run.messages!.find((m) => m.from === 'n1' && m.label.startsWith('Handoff s'))!;
  const extra: MessageFact = { ...first, to: 'n2',
    label: first.label.replace(/^Handoff s\d+/, 'Handoff s3') };
  const twice: RunRecord = { ...run, messages: [...run.messages!, extra] };

  it('holds on opb-spike seed 0, where n1 hands its primaries off one window at a time', () => {
    const r = moveBudgetProblems(run) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThanOrEqual(3);
  });

  it('fails two load/power moves of one node in one window (#1584)', () => {
    const r = problemsOf(twice);
    expect(r).toHaveLength(1);
    expect(r[0]).toMatch(new RegExp(`^n1 at t=${first.sent}us started 2 load/power moves in ` +
      'one window \\(service>target: \\d+>n\\d+, 3>n2\\)$'));
  });

  it('does not budget a repair, a handback or an operator order', () => {
    for (const kind of ['repair', 'handback', 'operator']) {
      const fact: Observation = { ...run.observations.find((o) => o.label === 'opb.move')!,
        node: 'n1', at: first.sent, stepAt: first.sent,
        data: { service: 3, kind, add: 'n2', drop: null, phase: 'start', coolUs: 1_500_000,
          members: [] } };
      expect(problemsOf({ ...twice, observations: [...twice.observations, fact] })).toEqual([]);
    }
    expect(moveBudgetProblems(record('opb-spike', false))).toBe('the run kept no message record');
  });
});

/**
 * opb-join-completes (P2.6 make-before-break): a replica added to a group comes to hold the
 * group's state. opb-join-refused seed 0: n9 crashes and both groups' primaries repair onto
 * other nodes, whose joins complete.
 */
import { describe, expect, it } from 'vitest';
import { joinCompletionProblems, opbJoinCompletes } from '../../properties/opb-join-completes.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';

const run = simulate({ scenario: loadScenario('opb-join-refused'), protocol: findProtocol('opb')!,
  seed: 0 });

describe('opb-join-completes', () => {
  it('holds on the run, judging its joiners', () => {
    const r = joinCompletionProblems(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
    expect(opbJoinCompletes.check(run).status).toBe('pass');
  });

  it('fails when a joiner never reports the state it should hold (mutation #242 of the ' +
    'seed-23 sample: a joiner at its primary\'s tip stayed `joining`)', () => {
    const join = run.observations.filter((o) => o.label === 'opb.join').at(-1)!;
    const svc = (join.data as { service: number }).service;
    const silent = { ...run, observations: run.observations.filter((o) => !(o.label === 'state'
      && o.node === join.node && (o.data as { group: string }).group === `s${svc}`)) };
    const r = joinCompletionProblems(silent);
    expect(r.problems).toContainEqual(expect.stringMatching(new RegExp(`^${join.node} joined ` +
      `s${svc} at t=\\d+us and still hosted it after t=\\d+us without ever holding its state$`)));
    expect(opbJoinCompletes.check(silent).status).toBe('fail');
  });
});

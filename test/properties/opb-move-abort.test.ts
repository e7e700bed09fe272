/**
 * opb-move-abort: a move whose new member accepted the JOIN and keeps acking aborts only after
 * 20 T_fd (protocol/optimistic/README.md), judged from the JOINs, JoinAcks and ACKs in the
 * message record. opb-three-way-discard seed 0: after the heal n9 repairs s0. Under the declared
 * mutant opb:early-abort (mutation #3398 of the seed-37 sample) it aborts the move adding n11
 * 250 ms after its JOIN, while n11 acks, and refuses live candidates one after another.
 */
import { describe, expect, it } from 'vitest';
import { moveAbortProblems, opbMoveAbort } from '../../properties/opb-move-abort.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null, keepTrace = true): RunRecord => simulate({
  scenario: loadScenario('opb-three-way-discard'), protocol: findProtocol('opb')!, seed: 0,
  mutant, keepTrace });
const resultOf = (r: RunRecord): { problems: string[]; judged: number } =>
  moveAbortProblems(r) as { problems: string[]; judged: number };

describe('opb-move-abort', () => {
  it('holds unmutated on opb-three-way-discard seed 0', () => {
    const run = record(null);
    expect(resultOf(run).problems).toEqual([]);
    expect(opbMoveAbort.check(run).status).not.toBe('fail');
  });

  it('fails a move aborted one round after its JOIN while the new member acks (#3398)', () => {
    const r = resultOf(record('opb:early-abort'));
    expect(r.judged).toBeGreaterThan(0);
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toBe('s0: n9 aborted its repair move adding n11 at t=1750000us, ' +
      '250000us after its JOIN (t=1500000us), before 20 T_fd = 3000000us, while n11 had ' +
      'accepted the JOIN and was acking');
  });

  it('does not judge a run without the message record', () => {
    expect(moveAbortProblems(record('opb:early-abort', false)))
      .toBe('the run kept no message record');
  });
});

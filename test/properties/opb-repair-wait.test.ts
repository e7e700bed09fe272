/**
 * opb-repair-wait (P2.6 #1 as docs/opb.md states it: a member unheard for repairUs is replaced).
 * opb-join-refused seed 0: n9 crashes at 0.46 s; its two groups' primary n1 replaces it at
 * 1.25 s, 790 ms after its last heartbeat. Under opb:early-repair (mutation #3530 of the seed-35
 * sample) n1 replaces it at 0.75 s, 290 ms after it.
 */
import { describe, expect, it } from 'vitest';
import { opbRepairWait, repairWaitProblems } from '../../properties/opb-repair-wait.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null, keepTrace = true): RunRecord => simulate({
  scenario: loadScenario('opb-join-refused'), protocol: findProtocol('opb')!, seed: 0, mutant,
  keepTrace });
const run = record(null);
const problemsOf = (r: RunRecord): string[] =>
  (repairWaitProblems(r) as { problems: string[] }).problems;

describe('opb-repair-wait', () => {
  it('holds on the run: both repairs of n9 come 790 ms after its last heartbeat', () => {
    expect(repairWaitProblems(run)).toEqual({ problems: [], judged: 2 });
    expect(opbRepairWait.check(run).status).toBe('pass');
  });

  it('fails when the dropped member was heard within repairUs (a heartbeat at 1.0 s)', () => {
    const hb: MessageFact = { sent: 990_000, at: 1_000_000, from: 'n9', to: 'n1',
      label: 'Hb s0 backup p=n1 e=1.n1 m0[n1,n5,n9] i=24@1.n1 age=0', drop: null };
    expect(problemsOf({ ...run, messages: [...run.messages!, hb] })).toEqual([
      's0: n1 replaced n9 at t=1250000us, 250000us after hearing it (Hb at t=1000000us): a ' +
        'member is replaced only once unheard for repairUs (600000us)',
    ]);
    // One about another service, or lost on the way, is no word on s0.
    const other = { ...hb, label: hb.label.replace('Hb s0', 'Hb s7') };
    const lost = { ...hb, drop: 'lost' };
    expect(problemsOf({ ...run, messages: [...run.messages!, other, lost] }))
      .toEqual([]);
  });

  it('fails on the declared mutant opb:early-repair', () => {
    expect(problemsOf(record('opb:early-repair'))[0]).toBe(
      's0: n1 replaced n9 at t=750000us, 290000us after hearing it (Hb at t=460000us): a member ' +
        'is replaced only once unheard for repairUs (600000us)');
  });

  it('skips a run without a message record', () => {
    expect(opbRepairWait.check(record(null, false)).status).toBe('skip');
  });
});

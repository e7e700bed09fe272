/**
 * opb-repair-wait (P2.6 #1 as docs/opb.md states it: a member unheard for repairUs is replaced).
 * opb-join-refused seed 0: n9 crashes at 0.46 s; its two groups' primary n1 replaces it at
 * 1.25 s, 790 ms after its last heartbeat. Under opb:early-repair (mutation #3530 of the seed-35
 * sample) n1 replaces it at 0.75 s, 290 ms after it.
 * opb-one-way-relayed-primary seed 861335 (explore): n1 resumes from a pause and, in one instant,
 * first replaces n5 (unheard for 873 ms), then handles n5's held heartbeats in later steps.
 */
import { describe, expect, it } from 'vitest';
import { opbRepairWait, repairWaitProblems } from '../../properties/opb-repair-wait.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { savedRun } from '../helpers/regressions.js';

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

  it('judges steps, not instants: a resumed node\'s backlog is heard after the repair (explore ' +
    'seed 861335 of opb-one-way-relayed-primary, a false alarm when judged by instant)', () => {
    // n1 (primary, e=3.n1) stopped hearing n5 at 1.76 s (cut n5 -> n1 from 1.8 s to 2.6 s) and
    // was paused from 2.403 s to 2.634 s. On resume it handles what it held in arrival order:
    // its timers (due before the heal) first, replacing n5 with n6, then c0's request #6, then
    // n5's two heartbeats (sent at 2.6 s), all at t=2634000us.
    const saved = savedRun(new URL('../protocol/optimistic/regressions/' +
      'explore-one-way-relayed-primary-861335-backlog-heard-after-repair.json', import.meta.url),
    'opb', true);
    const repair = saved.observations.find((o) => o.label === 'opb.move' && o.node === 'n1')!;
    expect([repair.at, (repair.data as { drop: string }).drop]).toEqual([2_634_000, 'n5']);
    const hbs = saved.messages!.filter((m) => m.from === 'n5' && m.to === 'n1'
      && m.drop === null && m.at === 2_634_000);
    expect(hbs.map((m) => m.label.slice(0, 6))).toEqual(['Hb s0 ', 'Hb s0 ']);
    expect(hbs.every((m) => m.step! > repair.step!)).toBe(true);
    // The message record numbers steps as the reply record does: c0's request #6 and its answer.
    const req = saved.messages!.find((m) => m.from === 'c0' && m.to === 'n1'
      && m.at === 2_634_000)!;
    const reply = saved.replies.find((r) => r.node === 'n1' && r.to === 'c0' && r.seq === 6)!;
    expect(req.step).toBe(reply.step);
    expect(repairWaitProblems(saved)).toEqual({ problems: [], judged: 1 });
    expect(opbRepairWait.check(saved).status).toBe('pass');
    // Handled by the repair's step (or an earlier one), the same heartbeat fails.
    const heardFirst = { ...saved, messages: saved.messages!.map((m) =>
      (m === hbs[0] ? { ...m, step: repair.step! } : m)) };
    expect(problemsOf(heardFirst)).toEqual([
      's0: n1 replaced n5 at t=2634000us, 0us after hearing it (Hb at t=2634000us): a member is ' +
        'replaced only once unheard for repairUs (600000us)']);
  });

  it('skips a run without a message record', () => {
    expect(opbRepairWait.check(record(null, false)).status).toBe('skip');
  });
});

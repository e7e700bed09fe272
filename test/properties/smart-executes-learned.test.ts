/**
 * smart-executes-learned (P1.1, P1.4 step 4, P1.5): a machine executes the decided slot after its
 * execution point in the step that learns it, at a restart from its own disk's log or from a
 * DECIDED or DECIDED-RANGE.
 */
import { describe, expect, it } from 'vitest';
import { executesLearnedProblems } from '../../properties/smart-executes-learned.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { recordedOnce } from '../helpers/record.js';
import { savedRun } from '../helpers/regressions.js';

const plain = (scenario: string, mutant: string | null = null): RunRecord => simulate({
  scenario: loadScenario(scenario), protocol: findProtocol('smart')!, seed: 0, mutant });

const judged = (run: RunRecord): { problems: readonly string[]; judged: number;
  boots: number } => {
  const r = executesLearnedProblems(run);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

const MUTANT = 'smart:restart-forgets-decided';

describe('smart-executes-learned', () => {
  it('holds on restarts and on every DECIDED of the next slot, judging both sides', () => {
    // smart-follower-restart: n3 is down 300-1000 ms; smart-slow-disk restarts n2 and n3.
    for (const [scenario, boots] of [['smart-follower-restart', 1], ['smart-slow-disk', 2]]) {
      const r = judged(recordedOnce(scenario as string, 'smart', 0));
      expect(r.problems, scenario as string).toEqual([]);
      expect(r.boots, scenario as string).toBe(boots);
      expect(r.judged - r.boots, scenario as string).toBeGreaterThan(1000);
    }
  });

  it('judges the boot side without the message record, the receipt side only with it', () => {
    const r = judged(plain('smart-follower-restart'));
    expect(r).toMatchObject({ problems: [], judged: 1, boots: 1 });
  });

  it('fails when a restarted machine does not re-learn its own decided entries (#5986)', () => {
    const r = judged(plain('smart-follower-restart', MUTANT));
    expect(r.problems).toEqual(['n3 restarted at t=1000000us from a disk whose checkpoint is ' +
      '220 and whose log held slot 221\'s decision (configuration 1, learnt at t=292937us and ' +
      'written before its crash at t=300000us), but did not execute slot 221 at boot: a ' +
      'restarted machine learns the decided entries of its own log (P1.1, P1.5)']);
  });

  it('fails, with the record, when the DECIDED-RANGE of the next slots is ignored too', () => {
    // smart-idle-catch-up: n2 restarts at 1.2 s with checkpoint 280 and asks n1 for the rest;
    // the mutant ignores the range for the slots its log holds decided, at every heartbeat.
    const r = judged(recordedOnce('smart-idle-catch-up', 'smart', 0, MUTANT));
    expect(r.problems[0]).toMatch(/^n2 restarted at t=1200000us from a disk whose checkpoint /);
    expect(r.problems[1]).toBe('n2 handled n1\'s DecidedRange c=1 s=281..285 n=5 at ' +
      't=1202824us having executed up to slot 280, but did not execute slot 281 in that step: ' +
      'a machine executes the decided slot after its execution point when it learns it (P1.4 ' +
      'step 4, P1.5)');
    expect(r.problems.length).toBeGreaterThan(10);
  });

  it('fails on a hand-made record: the boot step\'s executions removed', () => {
    const run = plain('smart-follower-restart');
    const boot = run.nodeEvents.find((e) => e.node === 'n3' && e.kind === 'up' && e.at > 0)!;
    const observations = run.observations.filter((o) => !(o.node === 'n3'
      && o.label === 'exec' && o.at === boot.at));
    expect(observations.length).toBeLessThan(run.observations.length);
    const r = judged({ ...run, observations });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^n3 restarted at t=1000000us from a disk whose checkpoint is/);
  });

  it('fails on a hand-made record: a DECIDED handled without executing its slot', () => {
    const run = recordedOnce('smart-steady', 'smart', 1);
    // n2's steps that handled a DECIDED and executed its slot: drop that step's executions.
    const m = run.messages!.find((x) => x.to === 'n2' && x.drop === null
      && x.label.startsWith('Decided c=1') && x.step !== undefined && x.at > 100_000
      && run.observations.some((o) => o.node === 'n2' && o.label === 'exec'
        && o.step === x.step))!;
    const slot = Number(/ s=(\d+) /.exec(m.label)![1]);
    const observations = run.observations.filter((o) => !(o.node === 'n2'
      && o.label === 'exec' && o.step === m.step));
    const r = judged({ ...run, observations });
    expect(r.problems[0]).toBe(`n2 handled n1's ${m.label} at t=${m.at}us having executed up ` +
      `to slot ${slot - 1}, but did not execute slot ${slot} in that step: a machine executes ` +
      'the decided slot after its execution point when it learns it (P1.4 step 4, P1.5)');
  });

  it('does not judge a boot whose disk is not known to hold the entry', () => {
    // Without a write known to have landed after n3 learnt slot 221 (its `logged` and `ckpt`
    // facts from then to the crash removed), its disk may not hold the decision: not judged.
    const run = plain('smart-follower-restart', MUTANT);
    const observations = run.observations.filter((o) => !(o.node === 'n3'
      && (o.label === 'logged' || o.label === 'ckpt') && o.at > 292_937 && o.at <= 300_000));
    expect(judged({ ...run, observations })).toMatchObject({ problems: [], boots: 0 });
  });

  it('judges a machine whose clock reads before 0 (explore trial 1230041, fixed)', () => {
    // n2 is skewed by -50 ms from the start and handles the DECIDED of slot 1 at 20.9 ms, when
    // its clock reads before 0. The EM took busyUntil 0 for a save in progress and ran slot 1
    // only once its clock passed 0; with "no save" as null it runs it in that step.
    const url = new URL('../protocol/smart/regressions/' +
      'explore-leader-crash-1230041-clock-before-zero.json', import.meta.url);
    const run = savedRun(url, 'smart', true);
    expect(run.nodeEvents.some((e) => e.node === 'n2' && e.kind === 'skewed' && e.at === 0))
      .toBe(true);
    const r = judged(run);
    expect(r.problems).toEqual([]);
    const first = run.observations.find((o) => o.node === 'n2' && o.label === 'exec')!;
    expect(first.at).toBeLessThan(50_000);
  });

  it('skips a run with an amnesia restart', () => {
    const run = plain('smart-follower-restart');
    const faults = [...run.faults, { at: 1_200_000, kind: 'restart' as const, node: 'n2',
      amnesia: true }];
    expect(executesLearnedProblems({ ...run, faults })).toBe('an amnesia restart: a disk was ' +
      'lost');
  });
});

/**
 * smart-fetch-behind: a machine asks another for state only while behind what that machine told
 * it it has. smart-leader-churn seed 0: n3, elected leader of configuration 1 behind n2, asks
 * n2 until it has executed what n2's POLL-REPLY reported; under smart:fetch-while-caught-up
 * (Stryker #5132 of the seed-39 sample) it goes on asking at every heartbeat.
 */
import { describe, expect, it } from 'vitest';
import { fetchBehindProblems, smartFetchBehind } from '../../properties/smart-fetch-behind.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null, keepTrace = true): RunRecord => simulate({
  scenario: loadScenario('smart-leader-churn'), protocol: findProtocol('smart')!, seed: 0,
  mutant, keepTrace });
const run = record(null);

describe('smart-fetch-behind', () => {
  it('holds on the unmutated run, judging every state request', () => {
    const r = fetchBehindProblems(run) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(10);
    expect(smartFetchBehind.check(run).status).toBe('pass');
  });

  it('fails when a leader elected behind keeps asking once caught up (smart:fetch-while-' +
    'caught-up, Stryker #5132 of the seed-39 sample)', () => {
    const mutated = record('smart:fetch-while-caught-up');
    const problems = (fetchBehindProblems(mutated) as { problems: string[] }).problems;
    expect(problems.length).toBeGreaterThan(10);
    expect(problems[0]).toMatch(new RegExp('^n3 sent n2 StateRequest c=1 have=\\d+ at ' +
      't=\\d+us, but the most n2 had told it was \\S+ c=1 .*: a machine asks for state only ' +
      'while behind what the asked machine has$'));
    expect(smartFetchBehind.check(mutated).status).toBe('fail');
  });

  it('fails on a request no report justifies, and skips a run without a message record', () => {
    const ask = run.messages!.find((m) => m.label.startsWith('StateRequest '))!;
    const cfg = /c=(\d+)/.exec(ask.label)![1];
    const silent = { ...run, messages: run.messages!.filter((m) => m === ask
      || !(m.from === ask.to && m.to === ask.from && m.label.includes(` c=${cfg}`))) };
    const problems = (fetchBehindProblems(silent) as { problems: string[] }).problems;
    expect(problems).toContain(`${ask.from} sent ${ask.to} ${ask.label} at ` +
      `t=${ask.stepAt ?? ask.sent}us, but ${ask.to} had told it nothing of configuration ${cfg} ` +
      'since its last boot: a machine asks for state only while behind what the asked machine has');
    expect(smartFetchBehind.check(record(null, false)).status).toBe('skip');
  });
});

describe('smart-fetch-behind on smart-idle-catch-up (no workload after the election)', () => {
  const idle = (mutant: string | null): RunRecord => simulate({
    scenario: loadScenario('smart-idle-catch-up'), protocol: findProtocol('smart')!, seed: 0,
    mutant, keepTrace: true });

  it('holds unmutated: n1, elected one slot behind n3, asks n3 only until it has slot 285', () => {
    expect((fetchBehindProblems(idle(null)) as { problems: string[] }).problems).toEqual([]);
  });

  it('fails when the leader asks again at exactly the cohort\'s point (smart:fetch-at-catch-' +
    'point, Stryker #5227 of the seed-41 sample)', () => {
    const problems = (fetchBehindProblems(idle('smart:fetch-at-catch-point')) as
      { problems: string[] }).problems;
    expect(problems[0]).toBe('n1 sent n3 StateRequest c=1 have=285 at t=991798us, but the most ' +
      'n3 had told it was PollReply c=1 b=3.0 n=5 trunc=280 exec=285 ckpt=280 (t=961798us): a ' +
      'machine asks for state only while behind what the asked machine has');
  });
});

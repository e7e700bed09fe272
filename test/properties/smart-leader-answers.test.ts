/**
 * smart-leader-answers (P1.4 steps 2 and 5): the leader answers every request it executes, one
 * decided twice from its reply cache. smart-duplicate-across-configs seed 1: c2#120 is decided
 * in configuration 2 and again in configuration 3, whose leader n2 executes the second slot.
 */
import { describe, expect, it } from 'vitest';
import { leaderAnswerProblems, smartLeaderAnswers } from '../../properties/smart-leader-answers.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';

const run = simulate({
  scenario: loadScenario('smart-duplicate-across-configs'), protocol: findProtocol('smart')!,
  seed: 1, mutant: null, keepTrace: false });

describe('smart-leader-answers', () => {
  it('holds on the run, judging the request decided twice', () => {
    const r = leaderAnswerProblems(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
    expect(run.replies.some((r) => r.node === 'n2' && r.to === 'c2' && r.seq === 120
      && r.outcome === 'done')).toBe(true);
    expect(smartLeaderAnswers.check(run).status).toBe('pass');
  });

  it('fails when the leader gives no cached answer (mutation #4287 of the seed-35 sample)', () => {
    const mute = { ...run, replies: run.replies.filter((r) =>
      !(r.node === 'n2' && r.to === 'c2' && r.seq === 120 && r.outcome === 'done')) };
    const problems = leaderAnswerProblems(mute).problems;
    const missing = new RegExp('^n2, leader of configuration 3, executed slot \\d+ \\(c2#120\\) ' +
      'at t=\\d+us and sent c2 no answer \\(decided twice: from its reply cache\\)$');
    expect(problems.some((p) => missing.test(p))).toBe(true);
    expect(smartLeaderAnswers.check(mute).status).toBe('fail');
  });
});

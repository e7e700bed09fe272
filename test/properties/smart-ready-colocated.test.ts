/**
 * smart-ready-colocated: a machine running a finished replica and its successor sends itself
 * READY with every FINISHED it sends. smart-migrate-replace-one seed 0: n1 and n2 run both
 * configuration 1 and 2; under smart:no-self-ready (Stryker #5689 of the seed-39 sample)
 * neither sends itself READY and configuration 1 retires on the other members' READY alone.
 */
import { describe, expect, it } from 'vitest';
import {
  readyColocatedProblems, smartReadyColocated,
} from '../../properties/smart-ready-colocated.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null, keepTrace = true): RunRecord => simulate({
  scenario: loadScenario('smart-migrate-replace-one'), protocol: findProtocol('smart')!, seed: 0,
  mutant, keepTrace });

describe('smart-ready-colocated', () => {
  it('holds on the unmutated run: n1 and n2 each send themselves READY c=1', () => {
    const run = record(null);
    const r = readyColocatedProblems(run) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThanOrEqual(2);
    expect(smartReadyColocated.check(run).status).toBe('pass');
  });

  it('fails when a colocated successor sends itself no READY (smart:no-self-ready, Stryker ' +
    '#5689 of the seed-39 sample)', () => {
    const mutated = record('smart:no-self-ready');
    const problems = (readyColocatedProblems(mutated) as { problems: string[] }).problems;
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems[0]).toMatch(new RegExp('^n1 told configuration 2\'s members FINISHED c=1 ' +
      'at t=\\d+us while it ran configuration 2\'s replica \\(first slot \\d+\\) with a ' +
      'checkpoint at \\d+, but sent itself no READY c=1: a colocated successor is ready too ' +
      '\\(P1\\.6 step 7\\)$'));
    expect(smartReadyColocated.check(mutated).status).toBe('fail');
  });

  it('skips a run without a message record', () => {
    expect(smartReadyColocated.check(record(null, false)).status).toBe('skip');
  });
});

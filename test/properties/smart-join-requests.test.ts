/**
 * smart-join-requests (P1.6 step 10): FINISHED, HEARTBEAT or ELECT for a configuration a machine
 * has not joined is answered with JOIN-REQUEST, judged from the message record.
 * smart-flush-cut-leader seed 1: n4, a member of configuration 2 that has not joined it yet,
 * gets FINISHED from n2.
 */
import { describe, expect, it } from 'vitest';
import { joinRequestProblems, smartJoinRequests } from '../../properties/smart-join-requests.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (keepTrace: boolean): RunRecord => simulate({
  scenario: loadScenario('smart-flush-cut-leader'), protocol: findProtocol('smart')!, seed: 1,
  mutant: null, keepTrace });
const run = record(true);

describe('smart-join-requests', () => {
  it('holds on the run, judging the FINISHED n4 got before it joined', () => {
    const r = joinRequestProblems(run) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
    expect(run.messages!.some((m) => m.from === 'n4' && m.label === 'JoinRequest c=2')).toBe(true);
    expect(smartJoinRequests.check(run).status).toBe('pass');
  });

  it('fails when a machine answers FINISHED with nothing (mutation #5224 of the seed-23 ' +
    'sample)', () => {
    const mute = { ...run, messages: run.messages!.filter((m) =>
      !(m.from === 'n4' && m.label === 'JoinRequest c=2')) };
    const problems = (joinRequestProblems(mute) as { problems: string[] }).problems;
    expect(problems[0]).toMatch(new RegExp('^n4 got FINISHED for configuration 2, which it had ' +
      'not joined, from n2 at t=\\d+us and sent no JOIN-REQUEST$'));
    expect(smartJoinRequests.check(mute).status).toBe('fail');
  });

  it('skips a run without a message record', () => {
    expect(smartJoinRequests.check(record(false)).status).toBe('skip');
  });
});

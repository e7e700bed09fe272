/**
 * smart-elect-behind-join (our ELECT behind a JOIN): a candidate answers a member's JOIN-REQUEST
 * with JOIN and its ELECT again. smart-elect-behind-join seed 0: n1's ELECT for configuration 2
 * reaches n4 and n5 before any JOIN.
 */
import { describe, expect, it } from 'vitest';
import {
  electBehindJoinProblems, smartElectBehindJoin,
} from '../../properties/smart-elect-behind-join.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (keepTrace: boolean): RunRecord => simulate({
  scenario: loadScenario('smart-elect-behind-join'), protocol: findProtocol('smart')!, seed: 0,
  mutant: null, keepTrace });
const run = record(true);

describe('smart-elect-behind-join', () => {
  it('holds on the run, judging the JOIN-REQUESTs n1 got while campaigning', () => {
    const r = electBehindJoinProblems(run) as { problems: string[]; judged: number };
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
    expect(smartElectBehindJoin.check(run).status).toBe('pass');
  });

  it('fails when the candidate sends no ELECT behind the JOIN (mutation #5529 of the seed-35 ' +
    'sample)', () => {
    const firstAsk = run.messages!.find((m) => m.to === 'n1' && m.label === 'JoinRequest c=2')!;
    const mute = { ...run, messages: run.messages!.filter((m) => !(m.from === 'n1'
      && m.to === firstAsk.from && m.label.startsWith('Elect c=2 ') && m.sent >= firstAsk.at)) };
    const problems = (electBehindJoinProblems(mute) as { problems: string[] }).problems;
    expect(problems[0]).toMatch(new RegExp(`^n1, a candidate of configuration 2 \\(its Elect c=2 ` +
      `b=\\S+ left at t=\\d+us\\), got JOIN-REQUEST from member ${firstAsk.from} at t=\\d+us`));
    expect(smartElectBehindJoin.check(mute).status).toBe('fail');
  });

  it('skips a run without a message record', () => {
    expect(smartElectBehindJoin.check(record(false)).status).toBe('skip');
  });
});

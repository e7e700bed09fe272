/**
 * smart-fetch-preferred (P1.6 step 5 with fetchRetryUs): a machine lacking its starting state,
 * with no request outstanding, asks a preferred source at its FINISHED; judged from the message
 * record.
 */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import { preferredFetchProblems } from '../../properties/smart-fetch-preferred.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { recordedRun } from '../helpers/record.js';

describe('smart-fetch-preferred', () => {
  // The second migration's newcomers n1, n2, n3 get FINISHED from n4, n5, n6, all members of
  // the new configuration that do not lead it.
  const run = recordedRun('smart-leader-fetch-once', 'smart', 0);

  it('holds on smart-leader-fetch-once seed 0, judging FINISHED from preferred sources', () => {
    const r = preferredFetchProblems(run);
    expect(r).toMatchObject({ problems: [] });
    expect((r as { judged: number }).judged).toBeGreaterThan(0);
  });

  it('fails when no source is preferred (smart:no-preferred-source, Stryker #4492)', () => {
    const bad = simulate({ scenario: loadScenario('smart-leader-fetch-once'),
      protocol: findProtocol('smart')!, seed: 0, mutant: 'smart:no-preferred-source',
      keepTrace: true });
    const r = preferredFetchProblems(bad) as { problems: string[] };
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toMatch(new RegExp('^n\\d lacked its starting state of configuration 3 ' +
      '.* got FINISHED from n\\d, a preferred source .* sent no STATE-REQUEST within 15000us'));
  });

  it('fails when the request answering a preferred FINISHED is removed from the record', () => {
    const judged = (preferredFetchProblems(run) as { judged: number }).judged;
    expect(judged).toBeGreaterThan(0);
    // Drop every STATE-REQUEST of the newcomers: their FINISHED from n4 go unanswered.
    const stripped: RunRecord = { ...run, messages: run.messages!.filter((m) =>
      !m.label.startsWith('StateRequest ')) };
    const r = preferredFetchProblems(stripped) as { problems: string[] };
    expect(r.problems.length).toBeGreaterThan(0);
  });

  it('is not judged without fetchRetryUs or without a message record', () => {
    expect(preferredFetchProblems({ ...run, params: { ...run.params, fetchRetryUs: 0 } }))
      .toMatch(/^fetchRetryUs is 0/);
    const { messages: _m, ...bare } = run;
    expect(preferredFetchProblems(bare)).toBe('the run kept no message record');
  });
});

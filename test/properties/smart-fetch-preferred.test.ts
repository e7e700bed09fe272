/**
 * smart-fetch-preferred (P1.6 step 5 with fetchRetryUs): a machine lacking its starting state,
 * with no request outstanding, asks a preferred source at its FINISHED; judged from the message
 * record.
 */
import { describe, expect, it } from 'vitest';
import { findProtocol } from '../../protocol/registry.js';
import {
  preferredFetchProblems, smartFetchPreferred, unpreferredWaitProblems,
} from '../../properties/smart-fetch-preferred.js';
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

  it('holds on the first migration: the newcomers wait fetchRetryUs before asking a departing ' +
    'machine', () => {
    // n4 and n5 (configuration 2, n6 paused) get FINISHED only from n1-n3, which leave.
    const r = unpreferredWaitProblems(run);
    expect(r).toMatchObject({ problems: [] });
    expect((r as { judged: number }).judged).toBeGreaterThan(0);
    expect(smartFetchPreferred.check(run).status).toBe('pass');
  });

  it('fails when a source that is not preferred is asked at the first reason ' +
    '(smart:ask-unpreferred-at-once, Stryker #4777 of the seed-43 sample)', () => {
    for (const scenario of ['smart-leader-fetch-once', 'smart-costed-migration']) {
      const bad = simulate({ scenario: loadScenario(scenario), protocol: findProtocol('smart')!,
        seed: 0, mutant: 'smart:ask-unpreferred-at-once', keepTrace: true });
      const r = unpreferredWaitProblems(bad) as { problems: string[] };
      expect(r.problems.length).toBeGreaterThan(0);
      expect(r.problems[0]).toMatch(new RegExp('^n\\d asked n1 for state \\(StateRequest c=1 ' +
        'have=0\\) .* not preferred \\(its FINISHED of configuration 1 came from n1, no member ' +
        'of 2\\), with no reason to fetch .* between its boot \\(t=0us\\)'));
      expect(smartFetchPreferred.check(bad).status).toBe('fail');
    }
  });

  it('fails when the reasons that started the wait are removed from the record', () => {
    // Without the FINISHED and HEARTBEAT deliveries, n4's and n5's first requests come from
    // nowhere.
    const stripped: RunRecord = { ...run, messages: run.messages!.filter((m) =>
      !/^(Finished|Heartbeat) /.test(m.label)) };
    const r = unpreferredWaitProblems(stripped) as { problems: string[] };
    expect(r.problems.length).toBeGreaterThan(0);
  });

  it('is not judged without fetchRetryUs or without a message record', () => {
    expect(preferredFetchProblems({ ...run, params: { ...run.params, fetchRetryUs: 0 } }))
      .toMatch(/^fetchRetryUs is 0/);
    const { messages: _m, ...bare } = run;
    expect(preferredFetchProblems(bare)).toBe('the run kept no message record');
    expect(unpreferredWaitProblems(bare)).toBe('the run kept no message record');
    expect(unpreferredWaitProblems({ ...run, params: { ...run.params, fetchRetryUs: 0 } }))
      .toMatch(/^fetchRetryUs is 0/);
  });
});

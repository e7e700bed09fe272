/**
 * smart-fetch-one-at-a-time (P1.6 step 5 with fetchRetryUs): one state request per machine at a
 * time, judged from the message record.
 */
import { describe, expect, it } from 'vitest';
import { fetchProblems } from '../../properties/smart-fetch.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { MessageFact, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { recordedRun } from '../helpers/record.js';
import { savedRun } from '../helpers/regressions.js';

describe('smart-fetch-one-at-a-time', () => {
  // fetchRetryUs is 30 ms there; each new member sends one request.
  const run = recordedRun('smart-costed-migration', 'smart', 0);
  const requests = run.messages!.filter((m) => m.label.startsWith('StateRequest'));
  const first = requests[0]!;
  const firstStep = first.stepAt ?? first.sent;
  /** The run with a second request of `first`'s sender, from a step `afterUs` later, to n1. */
  const again = (afterUs: number, label = first.label): RunRecord => {
    const extra: MessageFact = { ...first, label, to: 'n1', sent: first.sent + afterUs,
      at: first.at + afterUs, stepAt: firstStep + afterUs };
    return { ...run, messages: [...run.messages!, extra].sort((a, b) => a.sent - b.sent) };
  };

  it('holds on smart-leader-fetch-once seed 5235: a new leader lacking its starting state '
    + 'asks one source at a time (its catch-up requests bypassed the fetch, a bug this check '
    + 'found)', () => {
    const found = recordedRun('smart-leader-fetch-once', 'smart', 5235);
    // The situation: n3 leads configuration 3 and asks for state as its leader.
    expect(found.messages!.some((m) => m.from === 'n3' && m.label.startsWith('Heartbeat c=3 ')))
      .toBe(true);
    // It asked for its state (as a new member first: that request covers the leader's too).
    expect(found.messages!.filter((m) => m.from === 'n3'
      && m.label.startsWith('StateRequest ')).length).toBeGreaterThan(0);
    expect(fetchProblems(found)).toMatchObject({ problems: [] });
  });

  it('holds on the run as recorded: no machine repeats a request', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(fetchProblems(run)).toEqual({ problems: [], judged: 0 });
  });

  it('fails on a second request with the same have within the retry period (#4460)', () => {
    const r = fetchProblems(again(500));
    expect(r).toMatchObject({ judged: 1 });
    expect((r as { problems: string[] }).problems[0]).toBe(`${first.from} sent STATE-REQUEST ` +
      `(have=${/have=(\d+)/.exec(first.label)![1]}) at a step at t=${firstStep}us and again to ` +
      `n1 at one at t=${firstStep + 500}us, 500us later, with no state in between: one request ` +
      'at a time, renewed after fetchRetryUs (30000us)');
    expect(fetchProblems(again(29_999)))
      .toMatchObject({ judged: 1, problems: [expect.any(String)] });
  });

  it('allows a renewal after the period, and a request after the state moved on', () => {
    expect(fetchProblems(again(30_000))).toEqual({ problems: [], judged: 1 });
    const moved = first.label.replace(/have=\d+/, 'have=999999');
    expect(fetchProblems(again(500, moved))).toEqual({ problems: [], judged: 0 });
  });

  it('is not judged without fetchRetryUs or without a message record', () => {
    expect(fetchProblems({ ...again(500), params: { ...run.params, fetchRetryUs: 0 } }))
      .toMatch(/^fetchRetryUs is 0/);
    const { messages: _m, ...bare } = run;
    expect(fetchProblems(bare)).toBe('the run kept no message record');
  });

  it('judges steps, not sends: a resumed backlog delays sends (explore trial 2 of '
    + 'smart-leader-fetch-once, a false alarm when sends were judged)', () => {
    // n6, paused 12-906 ms, asked n1 at a step at 906.2 ms and renewed to n4 at 936.75 ms (past
    // fetchRetryUs), but the first send queued behind the CPU work of the held backlog.
    const file = new URL('../protocol/smart/regressions/' +
      'explore-leader-fetch-once-2-resumed-backlog-delays-sends.json', import.meta.url);
    const found = savedRun(file, 'smart', true);
    const asks = found.messages!
      .filter((m) => m.from === 'n6' && m.label.startsWith('StateRequest'));
    expect(asks.map((m) => [m.stepAt, m.sent, m.to, m.label])).toEqual([
      [906_205, 936_800, 'n1', 'StateRequest c=1 have=0'],
      [936_750, 947_441, 'n4', 'StateRequest c=3 have=0']]);
    const pauses = found.nodeEvents.filter((e) => e.node === 'n6' && e.kind !== 'up');
    expect(pauses.map((e) => [e.at, e.kind])).toEqual([[12_000, 'paused'], [906_000, 'resumed']]);
    expect(fetchProblems(found)).toEqual({ problems: [], judged: 1 });
    // Judged by the sends' instants, the pair is the false alarm explore reported.
    const bySends = { ...found, messages: found.messages!.map(({ stepAt: _s, ...m }) => m) };
    expect((fetchProblems(bySends) as { problems: string[] }).problems).toEqual([
      'n6 sent STATE-REQUEST (have=0) at a step at t=936800us and again to n4 at one at ' +
      't=947441us, 10641us later, with no state in between: one request at a time, renewed ' +
      'after fetchRetryUs (30000us)']);
  });

  it('fails under smart:fetch-from-all on smart-leader-fetch-once seed 0', () => {
    const run = simulate({ scenario: loadScenario('smart-leader-fetch-once'),
      protocol: findProtocol('smart')!, seed: 0, mutant: 'smart:fetch-from-all', keepTrace: true });
    const r = fetchProblems(run) as { problems: string[]; judged: number };
    // n6 too, paused until 906 ms: its resumed backlog is judged by step.
    expect(r.problems.some((p) => p.startsWith('n6 '))).toBe(true);
    expect(r.problems.some((p) => p.startsWith('n4 '))).toBe(true);
  });
});

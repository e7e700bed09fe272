/**
 * opb-failover: a primary that crashes in calm conditions is replaced within T_fd + T_hb of its
 * group last hearing it (P2.5). opb-primary-crash seed 0: n1 crashes at 0.8 s, n5 claims at
 * 1.0 s. The same record with n5's claim 150 ms later fails (mutation #3711 of the seed-37
 * sample relayed sightings of the primary with age 0: the claim came at 1.15 s).
 */
import { describe, expect, it } from 'vitest';
import { failoverProblems } from '../../properties/opb-failover.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (name: string, keepTrace = true, mutant: string | null = null): RunRecord =>
  simulate({ scenario: loadScenario(name), protocol: findProtocol('opb')!, seed: 0, keepTrace,
    mutant });

describe('opb-failover', () => {
  const run = record('opb-primary-crash');
  const claim = run.observations.find((o) => o.label === 'opb.role' && o.at > 800_000
    && (o.data as { role: string }).role === 'primary')!;
  const late = (by: number): RunRecord => ({ ...run, observations: run.observations
    .map((o): Observation => (o === claim ? { ...o, at: o.at + by, stepAt: o.at + by } : o)) });

  it('holds on opb-primary-crash seed 0, judging n1\'s crash', () => {
    expect(claim).toMatchObject({ node: 'n5', at: 1_000_000 });
    expect(failoverProblems(run)).toEqual({ problems: [], judged: 1 });
  });

  it('fails a claim one T_fd later (#3711)', () => {
    const r = failoverProblems(late(150_000)) as { problems: string[] };
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(new RegExp('^s0: primary n1 crashed at t=800000us, last heard ' +
      'by \\[n5,n9\\] at t=\\d+us; n5 claimed at t=1150000us, after h \\+ T_fd \\+ 2 T_hb = ' +
      '\\d+us$'));
  });

  it('judges the step of the claim, not its record behind a slow disk', () => {
    const slow: RunRecord = { ...run, observations: run.observations.map((o): Observation =>
      (o === claim ? { ...o, at: o.at + 150_000, stepAt: o.at } : o)) };
    expect(failoverProblems(slow)).toEqual({ problems: [], judged: 1 });
  });

  it('does not judge a crash while a survivor reboots, nor without the message record', () => {
    const up = { ...run.nodeEvents.find((e) => e.kind === 'up' && e.node === 'n9')!, at: 900_000 };
    expect(failoverProblems({ ...late(150_000), nodeEvents: [...run.nodeEvents, up] }))
      .toEqual({ problems: [], judged: 0 });
    expect(failoverProblems(record('opb-primary-crash', false)))
      .toBe('the run kept no message record');
  });
});

/**
 * A survivor back from its disk with an older history owes its boot guard, but delays nobody:
 * opb-stale-recovered-last seed 0, n5 (primary of epoch 2.n5) crashes at 2 s, n9 boots at 2.02 s
 * holding only n1's epoch 1; n1, which followed n5 and holds its writes, claims at 2.2 s. Under
 * opb:epoch-blind-freshness (Stryker #4182 of the seed-43 sample) n9 counts as the freshest and
 * claims at 2.52 s, when its guard ends, n1 waiting for it.
 */
describe('opb-failover with a booted survivor', () => {
  const run = record('opb-stale-recovered-last');

  it('holds on opb-stale-recovered-last seed 0, judging n5\'s crash with n9 booted', () => {
    const claim = run.observations.find((o) => o.label === 'opb.role' && o.at > 2_000_000
      && (o.data as { role: string }).role === 'primary');
    expect(claim).toMatchObject({ node: 'n1' });
    expect(failoverProblems(run)).toEqual({ problems: [], judged: 1 });
  });

  it('fails the stale member\'s late claim (#4182)', () => {
    const r = failoverProblems(record('opb-stale-recovered-last', true,
      'opb:epoch-blind-freshness')) as { problems: string[] };
    expect(r.problems).toEqual([expect.stringMatching(new RegExp('^s0: primary n5 crashed at ' +
      't=2000000us, last heard by \\[n1,n9\\] at t=\\d+us; n9 claimed at t=2520000us, after '))]);
  });

  it('does not judge it when the booted member heartbeated a history as new', () => {
    const fresh: RunRecord = { ...run, messages: run.messages!.map((m) => (m.from === 'n9'
      ? { ...m, label: m.label.replace(/ i=\d+@1\.n1/, ' i=500@2.n5') } : m)) };
    expect(failoverProblems(fresh)).toEqual({ problems: [], judged: 0 });
  });
});

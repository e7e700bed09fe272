/**
 * opb-join-reported: a node that starts hosting a service after boot has reported the join
 * (`opb.join`), read against its own digests. opb-three-way seed 0: new members join the cut
 * groups. The same record fails with one of those join facts removed; a restart that resumes
 * what the node hosted, and the initial groups, need none.
 */
import { describe, expect, it } from 'vitest';
import { joinReportProblems } from '../../properties/opb-join-reported.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (name: string): RunRecord => simulate({ scenario: loadScenario(name),
  protocol: findProtocol('opb')!, seed: 0 });

describe('opb-join-reported', () => {
  const run = record('opb-three-way');

  it('holds on opb-three-way seed 0, judging the joiners', () => {
    const r = joinReportProblems(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBe(3);
  });

  it('fails when a joiner\'s opb.join is missing', () => {
    const first = run.observations.find((o) => o.label === 'opb.join')!;
    const r = joinReportProblems({ ...run,
      observations: run.observations.filter((o) => o !== first) });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(new RegExp(`^${first.node} hosts s0 from t=\\d+us ` +
      '\\(membership version \\d+\\) with no opb.join of it since its last boot or leave$'));
  });

  it('asks nothing of the initial groups nor of a restart resuming its replicas', () => {
    const restart = record('opb-backup-restart');
    expect(restart.nodeEvents.some((e) => e.kind === 'up' && e.at > 0)).toBe(true);
    expect(joinReportProblems(restart).problems).toEqual([]);
    expect(joinReportProblems(record('opb-steady'))).toEqual({ problems: [], judged: 0 });
  });
});

/** smart-first-timeout: a new replica of rank k ≥ 1 waits its timeout and stagger (P1.5). */
import { describe, expect, it } from 'vitest';
import { smartFirstTimeout } from '../../properties/smart-first-timeout.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';

const record = (mutant: string | null): RunRecord => runChecked({
  scenario: loadScenario('smart-null-fill-deadlock'), protocol: 'smart', seed: 0, mutant,
}).record;

describe('smart-first-timeout', () => {
  it('holds on the correct protocol, judging the later members of the new configuration', () => {
    const v = smartFirstTimeout.check(record(null));
    expect(v.status, v.message).toBe('pass');
    expect(v.message).toMatch(/^2 first campaign/);
  });

  it('fails when the stagger is subtracted: n4, rank 2, campaigns before its timeout', () => {
    const v = smartFirstTimeout.check(record('smart:stagger-subtracted'));
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/^n4 \(rank 2 of configuration 2, its replica started at/);
    expect(v.message).toMatch(/campaigned at t=853312us, before t=1093312us, and no other/);
  });

  it('judges against the timeout alone once another member campaigned', () => {
    // The same run with a campaign of n1 in configuration 2 added at n4's instant: n4 then owes
    // leaderTimeoutUs alone, which its campaign 80 ms after its start breaks too.
    const run = record('smart:stagger-subtracted');
    const n4 = run.observations.find((o) => o.label === 'elect' && o.node === 'n4');
    expect(n4).toBeDefined();
    const early = { ...n4!, node: 'n1', seq: -1 };
    const v = smartFirstTimeout.check({ ...run, observations: [early, ...run.observations] });
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(/before t=973312us \(/);
  });
});

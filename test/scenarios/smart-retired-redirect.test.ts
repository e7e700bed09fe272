/**
 * Built-in smart-retired-redirect (campaign step, mutation #4753): a client back from a
 * partition knows only machines that retired meanwhile; they are up and must answer it with
 * NEW-CONFIGURATION (P1.6 step 8), or smart-progress-quorum fails its next operation.
 */
import { describe, expect, it } from 'vitest';
import { retirements } from '../../properties/smart-observations.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';

describe('smart-retired-redirect', () => {
  it('reaches a returning client that knows only retired, live machines; every check holds', () => {
    const scenario = loadScenario('smart-retired-redirect');
    const heal = scenario.faults.find((f) => f.kind === 'heal')!.at;
    const run = runChecked({ scenario, protocol: 'smart', seed: 0 });
    expect(run.violations).toEqual([]);
    const rec = run.record;
    // Every old member retired before the heal, and none of them ever went down.
    const retired = retirements(rec).filter((o) => o.data.config === 1 && o.at < heal);
    expect(retired.map((o) => o.node).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(rec.nodeEvents.filter((e) => e.kind === 'down')).toEqual([]);
    // c0's operation outstanding since the partition completes soon after the heal, and the
    // progress check judged c0's operations after it.
    const c0 = rec.history.ops.filter((o) => o.client === 'c0');
    const pending = c0.find((o) => o.call < heal && (o.return ?? Infinity) > heal)!;
    expect(pending.status).toBe('ok');
    expect(pending.return! - heal).toBeLessThan(scenario.clients.requestTimeoutUs * 2);
    const progress = run.verdicts.find((v) => v.property === 'smart-progress-quorum')!;
    expect(progress.status).toBe('pass');
    expect(c0.filter((o) => o.call > heal).length).toBeGreaterThan(10);
  });
});

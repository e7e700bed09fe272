/**
 * Built-in smart-flush-cut-leader (campaign step, mutation #4260): when the old leader's range
 * is full it must tell the clients still queued there of the new configuration at once; here
 * it cannot retire (cut from the new members, their DEFUNCT notices dropped) and the clients
 * reach no other old member, so only that redirect lets them reach the new quorum, which
 * smart-progress-quorum judges for the operations outstanding when it is established.
 */
import { describe, expect, it } from 'vitest';
import { progressWindows } from '../../properties/smart-progress.js';
import { retirements } from '../../properties/smart-observations.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';

describe('smart-flush-cut-leader', () => {
  it('leaves n1 leading a full range; its queued clients are redirected; every check holds', () => {
    const scenario = loadScenario('smart-flush-cut-leader');
    const run = runChecked({ scenario, protocol: 'smart', seed: 0 });
    expect(run.violations).toEqual([]);
    const rec = run.record;
    // n2 and n3 retire from configuration 1 during the faults; n1 does not.
    const retired = retirements(rec).filter((o) => o.data.config === 1
      && o.at < rec.faultWindowEndUs);
    expect(retired.map((o) => o.node).sort()).toEqual(['n2', 'n3']);
    // Configuration 2's window opens during the faults, with operations outstanding then.
    const w = progressWindows(rec).find((x) => x.config === 2 && x.from < rec.faultWindowEndUs)!;
    const outstanding = rec.history.ops.filter((o) => o.call < w.from
      && (o.return ?? Infinity) > w.from);
    expect(outstanding.length).toBeGreaterThan(0);
    // They were told of configuration 2 by n1 (redirects) and completed soon after.
    const told = rec.replies.filter((r) => r.node === 'n1' && r.outcome === 'redirect'
      && r.stepAt < w.from);
    expect(told.length).toBeGreaterThan(0);
    for (const o of outstanding) expect(o.return! - w.from, `op #${o.id}`).toBeLessThan(100_000);
  });
});

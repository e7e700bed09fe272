/**
 * Built-in smart-preempt-race (campaign step, mutations #4309 and #5779): n2 wins n3's promise
 * but never hears its vote and crashes; n1, back with an older promise, campaigns below n3's
 * promise while n3 follows nobody, so n3 answers PREEMPT and n1 campaigns again above it at
 * once (not one election timeout later) and wins with n3.
 */
import { describe, expect, it } from 'vitest';
import { elections, leaderships } from '../../properties/smart-observations.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';

describe('smart-preempt-race', () => {
  it('has n1 refused by PREEMPT, re-campaign at once and lead; every check holds', () => {
    const run = runChecked({ scenario: loadScenario('smart-preempt-race'), protocol: 'smart',
      seed: 0 });
    expect(run.violations).toEqual([]);
    const rec = run.record;
    const n2 = elections(rec).find((o) => o.node === 'n2')!;
    const back = elections(rec).filter((o) => o.node === 'n1' && o.at > 760_000);
    // n1's first ballot is below n2's (n3's promise); its second, a round trip later, above.
    expect(back.length).toBe(2);
    expect(back[0]!.data.ballot).toBeLessThan(n2.data.ballot);
    expect(back[1]!.data.ballot).toBeGreaterThan(n2.data.ballot);
    expect(back[1]!.at - back[0]!.at).toBeLessThan(5_000);
    const won = leaderships(rec).find((o) => o.at > 760_000)!;
    expect([won.node, won.data.ballot]).toEqual(['n1', back[1]!.data.ballot]);
  });
});

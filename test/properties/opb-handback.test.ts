/**
 * opb-handback (P2.10 #3, non-sticky): once the top-priority member is back and caught up in a
 * calm, converged group, the primary hands the role back to it, judged from the other members'
 * digests.
 */
import { describe, expect, it } from 'vitest';
import { handbackProblems } from '../../properties/opb-handback.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const scenario = loadScenario('opb-recovering-top');
const record = (mutant: string | null): RunRecord =>
  simulate({ scenario, protocol: findProtocol('opb')!, seed: 0, mutant });

describe('opb-handback', () => {
  const run = record(null);

  it('holds when the recovered top-priority member gets the role back (one group judged)', () => {
    expect(handbackProblems(run)).toEqual({ problems: [], judged: 1 });
  });

  it('fails when the primary keeps the role (opb:no-handback, mutation #567)', () => {
    expect(handbackProblems(record('opb:no-handback'))).toEqual({ judged: 1, problems: [
      's0: at t=2000000us n9 was primary at 2.n9 and its top-priority member n5 was back and ' +
        'caught up (index 114); no other member followed n5 within 3100000us (calm until ' +
        't=5500001us)',
    ] });
  });

  it('fails when the digests show the role handed to another member than the top', () => {
    // The same run, with every digest that follows n5 after the wait began following n1.
    const observations = run.observations.map((o) => {
      const d = o.data as { primary?: string };
      return o.label === 'opb.digest' && o.at > 2_000_000 && d.primary === 'n5'
        ? { ...o, data: { ...(o.data as object), primary: 'n1' } } : o;
    });
    expect(handbackProblems({ ...run, observations }).problems.join('\n'))
      .toMatch(/top-priority member n5 was back and caught up/);
  });

  it('judges no sticky, non-reorganizing or balancing run', () => {
    for (const key of ['sticky', 'balance']) {
      expect(handbackProblems({ ...run, params: { ...run.params, [key]: true } }).judged).toBe(0);
    }
    expect(handbackProblems({ ...run, params: { ...run.params, reorg: false } }).judged).toBe(0);
  });
});

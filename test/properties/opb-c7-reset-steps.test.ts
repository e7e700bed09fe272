/**
 * opb-c7-epoch-monotonic places the resets that excuse a re-claim (amnesia, leave, corruption)
 * between the steps of two facts, not their records. Explore trial 1660762 of
 * opb-corruption-services: n5, behind a disk slowed to 192 ms a write, claimed 1:2.n5 of s2 at
 * 680 ms (recorded at 872 ms); the 800 ms corruption set its epoch to 1:1.n10 and its top to 2,
 * and its tick in that instant claimed 1:2.n5 again (recorded at 992 ms). Placed by its record,
 * the first claim read as after the corruption and the re-claim as unexcused.
 */
import { describe, expect, it } from 'vitest';
import { opbEpochMonotonic } from '../../properties/opb-c7-epoch-monotonic.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { savedRun } from '../helpers/regressions.js';

const run = savedRun(new URL('../protocol/optimistic/regressions/explore-corruption-services-' +
  '1660762-claim-recorded-after-corruption.json', import.meta.url), 'opb');
/** The check's problems (its message lists the first three, `; ` apart), none when it passes. */
function problems(r: RunRecord): string[] {
  const v = opbEpochMonotonic.check(r);
  return v.status === 'pass' ? [] : v.message.split('; ');
}
const n5s2 = (o: Observation, label: string): boolean => o.node === 'n5' && o.label === label
  && (o.data as { service: number }).service === 2;
const claims = run.observations.filter((o) => n5s2(o, 'opb.role')
  && (o.data as { role: string }).role === 'primary');
const corruption = run.nodeEvents.find((e) => e.node === 'n5' && e.kind === 'corrupted')!;
/** The record with n5's corruption moved to `at` (the check reads only its time and seq). */
const corruptedAt = (at: number): RunRecord => ({ ...run,
  nodeEvents: run.nodeEvents.map((e) => (e === corruption ? { ...e, at } : e)) });

describe('opb-c7-epoch-monotonic: resets between steps', () => {
  it('the saved trial: a claim before the corruption\'s instant, recorded after it', () => {
    const [, first, again] = claims;
    expect([first?.data, first?.stepAt, first?.at]).toEqual([expect.objectContaining(
      { epoch: '1:2.n5', reason: 'reclaim' }), 680_181, 872_420]);
    expect([again?.data, again?.stepAt, again?.at]).toEqual([expect.objectContaining(
      { epoch: '1:2.n5', reason: 'suspect' }), 800_000, 992_239]);
    expect(corruption.at).toBe(800_000);
    expect(problems(run)).toEqual([]);
  });

  it('fails the re-claim with no reset between the steps', () => {
    expect(problems({ ...run, nodeEvents: run.nodeEvents.filter((e) => e !== corruption) }))
      .toContain('s2: n5 claimed epoch 1:2.n5 after 1:2.n5 at t=992239us');
  });

  it('fails it when the corruption came after the re-claim\'s step, before its record', () => {
    // Timed by records, 900 ms lay between 872 and 992 ms and excused it.
    expect(problems(corruptedAt(900_000)))
      .toContain('s2: n5 claimed epoch 1:2.n5 after 1:2.n5 at t=992239us');
  });

  it('places the epoch a replica follows by its step too', () => {
    // n5's epoch fact of the re-claim's step made lower: excused by the corruption at 800 ms.
    const again = run.observations.find((o) => n5s2(o, 'opb.epoch') && o.stepAt === 800_000)!;
    const lower = { ...run, observations: run.observations.map((o) => (o === again
      ? { ...o, data: { ...(o.data as object), counter: 1 } } : o)) };
    expect(problems(lower)).toEqual([]);
    expect(problems({ ...lower, nodeEvents: corruptedAt(900_000).nodeEvents }))
      .toContain('s2: n5 went from epoch 1:2.n5 to 1:1.n5 at t=992239us');
  });
});

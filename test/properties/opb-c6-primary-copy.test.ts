/**
 * C6 and the primary's own copy (P2.7): a primary replies on `w` backup acks, not on its own
 * log write, so a crash can lose its copy of an answered update. C6 excuses such a loss only
 * on the simulator's evidence that the write was still in flight (`writes-lost` with a disk
 * image older than the executing step) and only when every backup that acked also lost its
 * copy. The run: explore seed 102997 (k=2 w=1, n5's disk slowed, n5 crashed and n1 came back
 * with amnesia), a false alarm before that evidence existed. The same run with the evidence
 * saying the write had landed (or with no lost write at all) must fail.
 */
import { describe, expect, it } from 'vitest';
import { opbNoLossWithoutFork } from '../../properties/opb-c6-no-loss.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { savedRun } from '../helpers/regressions.js';

const file = new URL('../protocol/optimistic/regressions/' +
  'explore-slow-disk-102997-primary-copy-in-flight.json', import.meta.url);

let cached: RunRecord | null = null;
/** The saved run, simulated once (the tests only read it). */
const inFlightRun = (): RunRecord => (cached ??= savedRun(file, 'opb'));

/** The run with n5's `writes-lost` facts rewritten by `edit` (null: removed). */
type NodeEvent = RunRecord['nodeEvents'][number];
function withLostWrites(run: RunRecord, edit: (e: NodeEvent) => NodeEvent | null): RunRecord {
  const nodeEvents = run.nodeEvents.flatMap((e) => {
    if (e.kind !== 'writes-lost' || e.node !== 'n5') return [e];
    const out = edit(e);
    return out === null ? [] : [out];
  });
  return { ...run, nodeEvents };
}

describe("C6 and the primary's write in flight (opb-c6-no-loss-without-fork)", () => {
  it('excuses the loss: the primary crashed before its write landed, n1 lost its disk', () => {
    const run = inFlightRun();
    expect(run.nodeEvents.some((e) => e.kind === 'writes-lost' && e.node === 'n5')).toBe(true);
    const v = opbNoLossWithoutFork.check(run);
    expect(v.status).toBe('pass');
    expect(v.message).toContain('all copies lost');
  });

  it('fails when the primary\'s write had landed (its disk holds the image of the crash)', () => {
    const v = opbNoLossWithoutFork.check(
      withLostWrites(inFlightRun(), (e) => ({ ...e, diskAsOf: e.at })));
    expect(v.status).toBe('fail');
    expect(v.message).toContain('is missing (held by n5, n1)');
  });

  it('fails when the crash lost no write (a crash keeps what landed)', () => {
    const v = opbNoLossWithoutFork.check(withLostWrites(inFlightRun(), () => null));
    expect(v.status).toBe('fail');
  });

  it('fails when the acking backup kept its disk, though the primary\'s write was lost', () => {
    const run = inFlightRun();
    const observations = run.observations.filter((o) =>
      !(o.label === 'opb.node' && o.node === 'n1' && (o.data as { amnesia: boolean }).amnesia));
    expect(observations.length).toBeLessThan(run.observations.length);
    expect(opbNoLossWithoutFork.check({ ...run, observations }).status).toBe('fail');
  });
});

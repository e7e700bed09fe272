/**
 * smart-checkpoint-interval (P1.4): a machine saves a checkpoint every checkpointEvery requests,
 * at a configuration's last slot, or every maxLogSize − α slots; not more often.
 */
import { describe, expect, it } from 'vitest';
import { checkpointIntervalProblems } from '../../properties/smart-checkpoint-interval.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { Observation, RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (scenario: string): RunRecord => simulate({ scenario: loadScenario(scenario),
  protocol: findProtocol('smart')!, seed: 0 });

describe('smart-checkpoint-interval', () => {
  it('holds on runs with migrations and forced checkpoints, judging many', () => {
    for (const s of ['smart-steady', 'smart-migrate-consecutive', 'smart-sparse-checkpoints']) {
      const r = checkpointIntervalProblems(record(s));
      expect(r.problems, s).toEqual([]);
      expect(r.judged, s).toBeGreaterThan(50);
    }
  });

  it('fails on a checkpoint saved a few requests after the last one (#4312)', () => {
    const run = record('smart-steady');
    // n1's first checkpoint after slot 1, saved again one slot later (a copy of the fact).
    const i = run.observations.findIndex((o) => o.label === 'ckpt' && o.node === 'n1');
    const first = run.observations[i]!;
    const index = (first.data as { index: number }).index;
    const extra: Observation = { ...first, at: first.at + 1, seq: first.seq + 0.5,
      data: { ...(first.data as object), index: index + 1 } };
    const observations = [...run.observations.slice(0, i + 1), extra,
      ...run.observations.slice(i + 1)];
    const r = checkpointIntervalProblems({ ...run, observations });
    expect(r.problems[0]).toBe(`n1 saved checkpoint ${index + 1} at t=${first.at + 1}us, 1 ` +
      `slots after its checkpoint ${index} with 1 requests between: checkpoints come every ` +
      'checkpointEvery (20) requests, at a configuration\'s last slot, or every maxLogSize - ' +
      'alpha (70) slots');
  });

  it('fails on a checkpoint saved later than every maxLogSize - alpha slots (#4916)', () => {
    // smart-sparse-checkpoints: only the log-size rule saves, every maxLogSize - alpha slots.
    const run = record('smart-sparse-checkpoints');
    const mine = run.observations.filter((o) => o.label === 'ckpt' && o.node === 'n2');
    const [a, b, c] = mine.slice(1, 4).map((o) => (o.data as { index: number }).index);
    expect(b! - a!).toBe(c! - b!); // The forced interval, met exactly.
    const skipped = mine[2]!; // Drop n2's checkpoint b: a to c is twice the forced interval.
    const r = checkpointIntervalProblems({ ...run,
      observations: run.observations.filter((o) => o !== skipped) });
    expect(r.problems[0]).toBe(`n2 saved checkpoint ${c} at t=${mine[3]!.at}us, ${c! - a!} ` +
      `slots after its checkpoint ${a}: the log-size rule saves one at least every maxLogSize ` +
      `- alpha (${b! - a!}) slots`);
  });
});

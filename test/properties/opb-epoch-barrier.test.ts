/**
 * opb-epoch-barrier (P2.5 durable epochs): a node's steps wait behind its disk for an epoch write
 * only until it knows the write landed. opb-lost-synced-note seed 0 with its message record
 * holds: n5's claim's note to itself is lost, its next ticks ask again, and its heartbeats leave
 * on time once the drop ends. The declared mutant opb:synced-note-once (Stryker #4176 of the
 * seed-39 sample: the tick never asks again) fails it: n5's heartbeats leave 20 ms late, behind a
 * write of every step, to the end of the run. Without a record nothing is judged.
 */
import { describe, expect, it } from 'vitest';
import { epochBarrierProblems, opbEpochBarrier } from '../../properties/opb-epoch-barrier.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { runChecked } from '../../scenarios/runner.js';
import { loadScenario } from '../../scenarios/load.js';
import { stepTime } from '../../properties/run-values.js';
import { savedRun } from '../helpers/regressions.js';

const runOf = (mutant: string | null): RunRecord => runChecked({
  scenario: loadScenario('opb-lost-synced-note'), protocol: 'opb', seed: 0, mutant,
  keepTrace: true }).record;

const sound = runOf(null);

describe('opb-epoch-barrier', () => {
  it('holds when a lost note is asked for again at the next tick', () => {
    const r = epochBarrierProblems(sound);
    expect(r).toEqual({ problems: [], judged: expect.any(Number) as number });
    expect(typeof r === 'string' ? 0 : r.judged).toBeGreaterThan(0);
    // The claim's note to itself was lost: the path the check is about was reached.
    expect(sound.messages!.some((m) => m.from === 'n5' && m.to === 'n5'
      && m.label.startsWith('Synced ') && m.drop === 'targeted')).toBe(true);
    expect(opbEpochBarrier.check(sound).status).toBe('pass');
  });

  it('fails a node that never asks again (opb:synced-note-once)', () => {
    const run = runOf('opb:synced-note-once');
    const r = epochBarrierProblems(run);
    expect(typeof r).toBe('object');
    const problems = typeof r === 'string' ? [] : r.problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^n5: its heartbeats of the step at t=1050000us left at /);
    expect(opbEpochBarrier.check(run).status).toBe('fail');
  });

  it('a tick\'s own checkpoint goes after the heartbeats of every service (explore trial '
    + '1770357)', () => {
    // n1, alone in s0, checkpoints s0 at its ticks of 1.05 s and 1.15 s behind a 139.7 ms disk;
    // its s1 heartbeats to n6 in those steps once left that much later (the check failed).
    const run = savedRun(new URL('../protocol/optimistic/regressions/' +
      'explore-merge-refused-1770357-lone-checkpoint-before-heartbeats.json', import.meta.url),
    'opb', true);
    const ticks = [1_050_000, 1_150_000];
    expect(run.observations.filter((o) => o.node === 'n1' && o.label === 'opb.checkpoint'
      && ticks.includes(stepTime(o))).map(stepTime)).toEqual(ticks);
    // A message sent in its step's instant records no separate step time.
    const beats = run.messages!.filter((m) => m.from === 'n1' && m.label.startsWith('Hb s1 ')
      && ticks.includes(m.stepAt ?? m.sent));
    expect(beats.map((m) => [m.stepAt ?? m.sent, m.sent])).toEqual(ticks.map((t) => [t, t]));
    // No heartbeat of n1 waits behind a disk write any more (none is judged).
    expect(epochBarrierProblems(run)).toEqual({ problems: [], judged: 0 });
  });

  it('judges nothing without a message record', () => {
    const { messages: _, ...bare } = sound;
    expect(opbEpochBarrier.check(bare).status).toBe('skip');
  });
});

/**
 * opb-wake-asked (C8, P2.6 #3): a node asleep by its own decision wakes only on a WAKE, a JOIN,
 * a primary's heartbeat naming it or an operator's order, judged from the message record.
 * opb-night-disasters seed 0: one wake, asked for. Under
 * opb:wake-on-tick (Stryker #1617 of the seed-41 sample) every sleeping node of opb-diurnal
 * seed 0 wakes at its next heartbeat tick, with no message in that step.
 */
import { describe, expect, it } from 'vitest';
import { wakeProblems } from '../../properties/opb-wake.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (name: string, mutant: string | null = null, keepTrace = true): RunRecord =>
  simulate({ scenario: loadScenario(name), protocol: findProtocol('opb')!, seed: 0, mutant,
    keepTrace });
type Judged = { problems: string[]; judged: number };

describe('opb-wake-asked', () => {
  it('holds where a sleeping node is woken by a heartbeat naming it', () => {
    const r = wakeProblems(record('opb-night-disasters')) as Judged;
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
  });

  it('fails a node that wakes at its heartbeat tick with no replica (opb:wake-on-tick)', () => {
    const r = wakeProblems(record('opb-diurnal', 'opb:wake-on-tick')) as Judged;
    expect(r.judged).toBeGreaterThan(10);
    expect(r.problems).toHaveLength(r.judged);
    expect(r.problems[0]).toMatch(/^n\d+ woke at t=\d+us from a sleep of its own with no WAKE, /);
    expect(r.problems[0]).toMatch(/in that step \(no message\)$/);
  });

  it('judges nothing without a sleep, and skips a run without a message record', () => {
    expect((wakeProblems(record('opb-diurnal')) as Judged).judged).toBe(0);
    expect(wakeProblems(record('opb-diurnal', null, false)))
      .toBe('the run kept no message record');
  });
});

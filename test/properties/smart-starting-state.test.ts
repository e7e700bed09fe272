/**
 * smart-starting-state (P1.6 step 5): a replica of a later configuration proposes only once its
 * machine has executed or checkpointed up to the configuration's FirstSlot − 1, judged from the
 * execution module's `exec` and `ckpt` facts, never from the proposal's own `executed` figure.
 */
import { describe, expect, it } from 'vitest';
import { startingStateProblems } from '../../properties/smart-starting-state.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null): RunRecord => simulate({
  scenario: loadScenario('smart-migrate-consecutive'), protocol: findProtocol('smart')!, seed: 0,
  mutant });

describe('smart-starting-state', () => {
  const run = record(null);

  it('holds on consecutive migrations, judging each new replica’s first proposal', () => {
    const r = startingStateProblems(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThanOrEqual(2);
  });

  it('fails when a new leader proposes first (smart:propose-without-state, mutation #4703)', () => {
    expect(startingStateProblems(record('smart:propose-without-state')).problems[0]).toBe(
      'n1 proposed slot 695 of configuration 5 at t=902552us without its starting state: it ' +
      'had executed or checkpointed up to slot 693, and the configuration starts after slot 694');
  });

  it('reads the execution facts, not the proposal’s own report of what it executed', () => {
    // The same run without the proposer's execution of its configuration's last old slot.
    const cfg2 = run.observations.find((o) => o.label === 'cfg'
      && (o.data as { config: number }).config === 2)!;
    const first = (cfg2.data as { first: number }).first;
    const proposer = run.observations.find((o) => o.label === 'propose'
      && (o.data as { config: number }).config === 2)!.node;
    const observations = run.observations.filter((o) => o.node !== proposer
      || !((o.label === 'exec' && (o.data as { slot: number }).slot >= first - 1)
        || (o.label === 'ckpt' && (o.data as { index: number }).index >= first - 1)));
    expect(startingStateProblems({ ...run, observations }).problems[0]).toMatch(
      new RegExp(`^${proposer} proposed slot \\d+ of configuration 2 .* starts after slot ` +
        `${first - 1}$`));
  });
});

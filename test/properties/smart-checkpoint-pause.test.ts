/**
 * smart-checkpoint-pause (P1.4 step 7): with the cost model's checkpoint time, a machine that
 * saved a checkpoint executes nothing above it until the save is done, judged from its `ckpt`
 * and `exec` facts against `checkpointUs` + `checkpointNsPerByte` × `stateBytes`.
 */
import { describe, expect, it } from 'vitest';
import { checkpointPauseProblems } from '../../properties/smart-checkpoint-pause.js';
import { findProtocol } from '../../protocol/registry.js';
import { runTrial } from '../../scenarios/explore.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null): RunRecord => simulate({
  scenario: loadScenario('smart-costed-migration'), protocol: findProtocol('smart')!, seed: 0,
  mutant });

describe('smart-checkpoint-pause', () => {
  const run = record(null);

  it('holds when every save blocks execution for its time', () => {
    const r = checkpointPauseProblems(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(10);
  });

  it('fails when execution goes on during a save (smart:checkpoint-no-pause, #4157)', () => {
    expect(checkpointPauseProblems(record('smart:checkpoint-no-pause')).problems[0]).toBe(
      'n1 saved checkpoint 20 at t=28089us and executed slot 21 at t=28883us, 794us later: the ' +
      'save takes at least 4000us (checkpointUs + checkpointNsPerByte × stateBytes)');
  });

  it('fails when the pause is shorter than the per-byte part requires (#4150)', () => {
    // The same run, read as if the state were ten times larger: 2 ms + 20 ms per save.
    const r = checkpointPauseProblems({ ...run, params: { ...run.params, stateBytes: 4_000_000 } });
    expect(r.problems[0]).toMatch(/the save takes at least 22000us/);
  });

  it('judges nothing without a checkpoint time, or on a machine whose clock was skewed', () => {
    expect(checkpointPauseProblems({ ...run, params: { ...run.params, checkpointUs: 0,
      checkpointNsPerByte: 0 } }).judged).toBe(0);
    const nodes = [...new Set(run.observations.map((o) => o.node))];
    const nodeEvents = [...run.nodeEvents, ...nodes.map((node, i) => ({ at: 0, seq: -1 - i,
      node, kind: 'skewed' as const }))];
    expect(checkpointPauseProblems({ ...run, nodeEvents }).judged).toBe(0);
  });
  it('holds when a newer state is adopted during a save: the save still blocks execution '
    + '(explore trial 20181 of smart-leader-fetch-once, a protocol bug this check found)', () => {
    const trial = runTrial({ scenario: loadScenario('smart-leader-fetch-once'), protocol: 'smart',
      mutant: null, seed: 20181, shrinkRuns: 0 });
    expect(trial.violations).toEqual([]);
  });
});

/** A trial as a plain message (workers receive names, not objects), and its execution. */
import { runTrial, type TrialResult } from '../scenarios/explore.js';
import { loadScenario } from '../scenarios/load.js';
import { describeError } from './errors.js';

export interface TrialJob {
  readonly scenario: string;
  readonly protocol: string;
  readonly mutant: string | null;
  readonly seed: number;
  readonly shrinkMs: number;
}

export type JobOutcome = { readonly ok: true; readonly result: TrialResult }
  | { readonly ok: false; readonly error: string };

export function runTrialJob(job: TrialJob): JobOutcome {
  try {
    return { ok: true, result: runTrial({ ...job, scenario: loadScenario(job.scenario) }) };
  } catch (error) {
    return { ok: false,
      error: describeError(error) };
  }
}

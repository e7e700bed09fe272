/**
 * A trial as a plain message: the scenario travels as data (a file given with --scenario is
 * read once, in the main thread), and its execution.
 */
import { runTrial, type TrialResult } from '../scenarios/explore.js';
import type { Scenario } from '../simulator/config.js';
import { describeError } from './errors.js';

export interface TrialJob {
  readonly scenario: Scenario;
  /** What the user named: a built-in scenario or the file path (for reproduce commands). */
  readonly source: string;
  readonly protocol: string;
  readonly mutant: string | null;
  readonly seed: number;
  readonly shrinkRuns: number;
  /** Fingerprint the trial's protocol states (explore --state-coverage). */
  readonly stateCoverage: boolean;
  /** Keep every run's message record (explore --record). */
  readonly record?: boolean;
}

export type JobOutcome = { readonly ok: true; readonly result: TrialResult }
  | { readonly ok: false; readonly error: string; readonly lost?: boolean };

export function runTrialJob(job: TrialJob): JobOutcome {
  try {
    const { source: _source, ...request } = job;
    return { ok: true, result: runTrial(request) };
  } catch (error) {
    return { ok: false,
      error: describeError(error) };
  }
}

/** One seed of a sweep as a plain message (workers get the scenario as data), and its run. */
import { happenedEvents } from '../properties/sometimes.js';
import type { SweepSeedResult } from '../reports/sweep.js';
import { runChecked } from '../scenarios/runner.js';
import { trialStates, type TrialStates } from '../scenarios/state-coverage.js';
import type { Scenario } from '../simulator/config.js';
import { describeError } from './errors.js';

export interface SweepJob {
  readonly scenario: Scenario;
  readonly protocol: string;
  readonly mutant: string | null;
  readonly seed: number;
  /** Fingerprint the run's protocol states (scenarios/state-coverage.ts). */
  readonly stateCoverage?: boolean;
  /** Keep the run's message record, so the checks judged from it run (sweep --record). */
  readonly record?: boolean;
}

/**
 * A seed's outcome as the report reads it, plus the "sometimes" events its run showed and, when
 * asked, its protocol states' fingerprints.
 */
export type SweepOutcome =
  | (Extract<SweepSeedResult, { ok: true }> & { readonly happened: readonly string[];
    readonly states?: TrialStates })
  | Extract<SweepSeedResult, { ok: false }>;

export function runSweepJob(job: SweepJob): SweepOutcome {
  try {
    const run = runChecked({ scenario: job.scenario, protocol: job.protocol, seed: job.seed,
      mutant: job.mutant, stateCoverage: job.stateCoverage === true,
      keepTrace: job.record === true });
    const fingerprints = run.record.stateFingerprints;
    const verdicts = run.verdicts.map((v) => ({ property: v.property, status: v.status,
      message: v.message }));
    return { ok: true, seed: job.seed, pass: run.ok, traceHash: run.record.traceHash, verdicts,
      happened: happenedEvents(run.record),
      ...(fingerprints === undefined ? {} : { states: trialStates(fingerprints) }) };
  } catch (error) {
    return { ok: false, seed: job.seed,
      error: describeError(error) };
  }
}

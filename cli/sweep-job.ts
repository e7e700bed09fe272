/** One seed of a sweep as a plain message (workers get the scenario as data), and its run. */
import { happenedEvents } from '../properties/sometimes.js';
import type { SweepSeedResult } from '../reports/sweep.js';
import { runChecked } from '../scenarios/runner.js';
import type { Scenario } from '../simulator/config.js';
import { describeError } from './errors.js';

export interface SweepJob {
  readonly scenario: Scenario;
  readonly protocol: string;
  readonly mutant: string | null;
  readonly seed: number;
}

/** A seed's outcome as the report reads it, plus the "sometimes" events its run showed. */
export type SweepOutcome =
  | (Extract<SweepSeedResult, { ok: true }> & { readonly happened: readonly string[] })
  | Extract<SweepSeedResult, { ok: false }>;

export function runSweepJob(job: SweepJob): SweepOutcome {
  try {
    const run = runChecked({ scenario: job.scenario, protocol: job.protocol, seed: job.seed,
      mutant: job.mutant });
    const verdicts = run.verdicts.map((v) => ({ property: v.property, status: v.status,
      message: v.message }));
    return { ok: true, seed: job.seed, pass: run.ok, traceHash: run.record.traceHash, verdicts,
      happened: happenedEvents(run.record) };
  } catch (error) {
    return { ok: false, seed: job.seed,
      error: describeError(error) };
  }
}

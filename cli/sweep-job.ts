/** One seed of a sweep as a plain message (workers get the scenario as data), and its run. */
import { happenedEvents } from '../properties/sometimes.js';
import { runChecked } from '../scenarios/runner.js';
import type { Scenario } from '../simulator/config.js';
import { describeError } from './errors.js';

export interface SweepJob {
  readonly scenario: Scenario;
  readonly protocol: string;
  readonly mutant: string | null;
  readonly seed: number;
}

export interface SeedVerdict {
  readonly property: string;
  readonly status: string;
  readonly message: string;
}

export type SweepOutcome =
  | { readonly ok: true; readonly seed: number; readonly pass: boolean; readonly traceHash: string;
      readonly verdicts: readonly SeedVerdict[];
      /** The "sometimes" events this run showed (properties/sometimes.ts). */
      readonly happened: readonly string[] }
  /** `lost`: the worker died or hung on this seed (a finding); otherwise an internal error. */
  | { readonly ok: false; readonly seed: number; readonly error: string;
      readonly lost?: boolean };

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

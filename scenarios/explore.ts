/**
 * One explore trial: draw swarm knobs and a fault schedule from the seed, run, check; on a
 * violation let fast-check shrink the schedule (episodes removed, times and targets shrunk)
 * while the run keeps failing, and return a replayable counterexample. Shrinking is budgeted in
 * runs, not wall time, so the same seed always shrinks to the same counterexample.
 */
import { happenedEvents } from '../properties/sometimes.js';
import fc from 'fast-check';
import type { Scenario } from '../simulator/config.js';
import { findProtocol } from '../protocol/registry.js';
import {
  applySchedule, describeKnobs, faultKinds, scheduleArb, type FaultKind, type GeneratedSchedule,
} from './generator.js';
import { toSavedRun, type SavedRun } from './run-file.js';
import { runChecked, type CheckedRun } from './runner.js';
import { trialStates, type TrialStates } from './state-coverage.js';

export interface TrialRequest {
  readonly scenario: Scenario;
  readonly protocol: string;
  readonly mutant: string | null;
  readonly seed: number;
  /** Shrinking budget: at most this many runs after the trial's own. */
  readonly shrinkRuns: number;
  /** Fingerprint the protocol states of the trial's run (not of its shrinking runs). */
  readonly stateCoverage?: boolean;
  /**
   * Keep the message record in the trial and in every shrinking run, so the checks judged from
   * it run (they skip without one) and a failure of theirs shrinks like any other.
   */
  readonly record?: boolean;
}

export interface TrialResult {
  readonly seed: number;
  readonly scenario: string;
  readonly protocol: string;
  readonly mutant: string | null;
  readonly ok: boolean;
  readonly traceHash: string;
  readonly events: number;
  readonly knobs: Record<string, string | number>;
  readonly violations: readonly { readonly property: string; readonly message: string }[];
  /** The "sometimes" events the trial showed (properties/sometimes.ts). */
  readonly happened: readonly string[];
  /** With `stateCoverage`: the distinct protocol states of the run (state-coverage.ts). */
  readonly states?: TrialStates;
  /** Present when the run violated a property: the shrunk, replayable run. */
  readonly counterexample?: SavedRun;
  readonly shrunkFaults?: number;
}

/** Fault kinds to draw: those the protocol claims to survive. */
function allowedKinds(protocol: string): FaultKind[] {
  const p = findProtocol(protocol);
  const survives = p?.survives;
  // A targeted fault needs message types to choose from.
  return faultKinds.filter((k) => (survives === undefined || survives.includes(k))
    && (k !== 'targeted' || (p?.messageTypes?.length ?? 0) > 0));
}

/** What one trial draws for a protocol: swarm knobs, its parameters and a fault schedule. */
export function trialArb(protocol: string): fc.Arbitrary<GeneratedSchedule> {
  return scheduleArb(allowedKinds(protocol), findProtocol(protocol));
}

function runSchedule(req: TrialRequest, schedule: GeneratedSchedule,
  keepTrace: boolean, stateCoverage = false): CheckedRun {
  return runChecked({
    scenario: applySchedule(req.scenario, schedule), protocol: req.protocol, seed: req.seed,
    mutant: req.mutant, keepTrace, stateCoverage,
  });
}

export function runTrial(req: TrialRequest): TrialResult {
  // fast-check generates the schedule from the seed and, if the run fails, shrinks it (with the
  // generation context, so knobs and episodes both shrink). The first call is the trial itself.
  let first: { schedule: GeneratedSchedule; run: CheckedRun } | null = null;
  let property: string | null = null;
  let shrinkRunsLeft = req.shrinkRuns;
  const result = fc.check(
    fc.property(trialArb(req.protocol), (schedule) => {
      if (first !== null) {
        // Budget spent: every further candidate counts as passing, so shrinking ends here.
        if (shrinkRunsLeft <= 0) return true;
        shrinkRunsLeft--;
      }
      const run = runSchedule(req, schedule, req.record === true,
        first === null && req.stateCoverage === true);
      if (first === null) {
        first = { schedule, run };
        property = run.violations[0]?.property ?? null;
      }
      return property === null || !run.violations.some((v) => v.property === property);
    }),
    { numRuns: 1, seed: req.seed },
  );
  if (first === null) throw new Error('explore: fast-check ran no trial');
  const { schedule, run } = first as { schedule: GeneratedSchedule; run: CheckedRun };
  const base = {
    seed: req.seed, scenario: req.scenario.name, protocol: req.protocol, mutant: req.mutant,
    traceHash: run.record.traceHash, events: run.record.metrics.events,
    knobs: describeKnobs(schedule.knobs, req.scenario),
    violations: run.violations.map((v) => ({ property: v.property, message: v.message })),
    happened: happenedEvents(run.record),
    ...(run.record.stateFingerprints === undefined ? {}
      : { states: trialStates(run.record.stateFingerprints) }),
  };
  if (run.ok) return { ...base, ok: true };
  const shrunk = result.counterexample?.[0] ?? schedule;
  const final = runSchedule(req, shrunk, true);
  const scenario = applySchedule(req.scenario, shrunk);
  const counterexample = toSavedRun(final, scenario, {
    schema: 'replisim/counterexample@1', property: property ?? final.violations[0]!.property,
    knobs: describeKnobs(shrunk.knobs, req.scenario),
  });
  return { ...base, ok: false, counterexample, shrunkFaults: scenario.faults.length };
}

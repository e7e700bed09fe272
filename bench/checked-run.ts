/**
 * A checked run as users run it (`replisim run`: invariants on, every applicable property),
 * timed in two parts: simulate, then each property's check. CPU time of this process.
 */
import { findProtocol } from '../protocol/registry.js';
import { appliesTo, checkProperty } from '../properties/types.js';
import { properties } from '../properties/registry.js';
import { loadScenario } from '../scenarios/load.js';
import type { Scenario } from '../simulator/config.js';
import type { RunRecord } from '../simulator/run-record.js';
import { simulate } from '../simulator/sim.js';
import { spread, timed } from './stats.js';

/** A built-in scenario stretched to `durationUs` of fault window (faults as in the file). */
export function stretched(name: string, durationUs: number): Scenario {
  const base = loadScenario(name);
  return { ...base, durationUs, settleUs: Math.min(base.settleUs, durationUs) };
}

export interface CheckedRunCost {
  readonly simulateCpuMs: number;
  readonly checkCpuMs: number;
  readonly simulateWallMs: number;
  readonly checkWallMs: number;
  readonly events: number;
  readonly ops: number;
  /** CPU ms per property. */
  readonly perProperty: Readonly<Record<string, number>>;
  readonly failed: readonly string[];
}

export function checkedRun(scenario: Scenario, protocolName: string, seed: number): CheckedRunCost {
  const protocol = findProtocol(protocolName);
  if (protocol === undefined) throw new Error(`unknown protocol ${protocolName}`);
  const sim = timed(() => simulate({ scenario, protocol, seed }));
  const run: RunRecord = sim.value;
  const perProperty: Record<string, number> = {};
  const failed: string[] = [];
  let checkCpuMs = 0;
  let checkWallMs = 0;
  for (const p of properties.filter((q) => appliesTo(q, run.protocol))) {
    const { value, sample } = timed(() => checkProperty(p, run));
    perProperty[p.name] = Math.round(sample.cpuMs * 100) / 100;
    checkCpuMs += sample.cpuMs;
    checkWallMs += sample.wallMs;
    if (value.status === 'fail') failed.push(p.name);
  }
  return {
    simulateCpuMs: sim.sample.cpuMs, checkCpuMs,
    simulateWallMs: sim.sample.wallMs, checkWallMs,
    events: run.metrics.events, ops: run.history.ops.length, perProperty, failed,
  };
}

/** Simulated time of the standard checked run: fault window plus settle phase. */
export const STANDARD_RUN_US = 10_000_000;

/** A built-in scenario as a standard 10-simulated-second run (its own settle phase kept). */
export function standardScenario(name: string): Scenario {
  const base = loadScenario(name);
  return { ...base, durationUs: STANDARD_RUN_US - base.settleUs };
}

const REPEATS = 5;
const WARM_UPS = 2;

function median(xs: readonly number[]): number {
  return spread(xs).median;
}

/**
 * The standard checked run of `scenario` on `protocol` as `replisim run` does it (invariants
 * after every step, every applicable property), same seed each time: warm-ups, then REPEATS
 * timed runs; simulate and check apart, CPU and wall, min / median / max.
 */
export function benchCheckedRun(scenarioName: string, protocol: string, seed = 1) {
  const scenario = standardScenario(scenarioName);
  for (let i = 0; i < WARM_UPS; i++) checkedRun(scenario, protocol, seed);
  const runs = Array.from({ length: REPEATS }, () => checkedRun(scenario, protocol, seed));
  const first = runs[0]!;
  return {
    scenario: scenarioName, protocol, seed, simulatedSeconds: STANDARD_RUN_US / 1e6,
    invariants: true, properties: Object.keys(first.perProperty).length,
    events: first.events, ops: first.ops, failed: first.failed,
    repeats: REPEATS, warmUps: WARM_UPS,
    ...summarizeCheckedRuns(runs),
  };
}

/** The figures of repeated checked runs: spreads, and where the check time goes. */
export function summarizeCheckedRuns(runs: readonly CheckedRunCost[]) {
  const total = runs.map((r) => r.simulateCpuMs + r.checkCpuMs);
  const perProperty = Object.fromEntries(Object.keys(runs[0]!.perProperty).map((p) =>
    [p, median(runs.map((r) => r.perProperty[p]!))]));
  return {
    simulateCpuMs: spread(runs.map((r) => r.simulateCpuMs)),
    checkCpuMs: spread(runs.map((r) => r.checkCpuMs)),
    totalCpuMs: spread(total),
    simulateWallMs: spread(runs.map((r) => r.simulateWallMs)),
    checkWallMs: spread(runs.map((r) => r.checkWallMs)),
    checkedRunsPerCpuSecond: Math.round(100_000 / median(total)) / 100,
    // Issue 12: no check may cost more than the simulation it judges (medians, CPU).
    checkOverSimulate: Math.round(100 * median(runs.map((r) => r.checkCpuMs))
      / median(runs.map((r) => r.simulateCpuMs))) / 100,
    costliestProperties: Object.entries(perProperty).sort(([, a], [, b]) => b - a).slice(0, 3)
      .map(([name]) => name),
    perPropertyNote: 'median CPU ms per property, in check order; a view several properties ' +
      'share (observations by label, SMART evidence, the OPB world) is computed once per run ' +
      'and counted to the first property that reads it',
    perPropertyCpuMs: perProperty,
  };
}

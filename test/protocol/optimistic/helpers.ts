/**
 * OPB runs for the tests, through the one run-and-check pipeline (scenarios/runner.ts): every
 * property `replisim run` checks on OPB is checked here too, not a hand-picked subset.
 */
import { builtinScenarioNames, loadScenario } from '../../../scenarios/load.js';
import { runChecked, type CheckedRun } from '../../../scenarios/runner.js';
import type { Scenario } from '../../../simulator/config.js';
import { withOpbParams } from '../../../scenarios/experiments/opb-common.js';
import type { Json } from '../../../protocol/types.js';

export const opbScenarioNames = (): string[] =>
  builtinScenarioNames().filter((n) => n.startsWith('opb-'));

/** One OPB run of a built-in scenario (by name) or a given one, every property checked. */
export function runOpb(
  scenario: string | Scenario, seed: number, mutant: string | null = null, keepTrace = false,
): CheckedRun {
  const sc = typeof scenario === 'string' ? loadScenario(scenario) : scenario;
  return runChecked({ scenario: sc, protocol: 'opb', seed, mutant, keepTrace });
}

/** A built-in scenario with some OPB parameters overridden. */
export function withParams(name: string, params: { readonly [k: string]: Json }): Scenario {
  const sc = loadScenario(name);
  return { ...sc, params: withOpbParams(sc, params) };
}

/** The failed verdicts as `property: message` lines (an empty list reads well in a diff). */
export function failures(run: CheckedRun): string[] {
  return run.violations.map((v) => `${v.property}: ${v.message}`);
}

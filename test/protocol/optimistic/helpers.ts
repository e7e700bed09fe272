import { findProtocol } from '../../../protocol/registry.js';
import { opbProperties } from '../../../properties/opb-all.js';
import { noFailure } from '../../../properties/no-failure.js';
import { liveness } from '../../../properties/liveness.js';
import { checkProperty, type Verdict } from '../../../properties/types.js';
import { builtinScenarioNames, loadScenario } from '../../../scenarios/load.js';
import { simulate } from '../../../simulator/sim.js';
import type { RunRecord } from '../../../simulator/run-record.js';
import type { Scenario } from '../../../simulator/config.js';
import { withOpbParams } from '../../../scenarios/experiments/opb-common.js';
import type { Json } from '../../../protocol/types.js';

export const opbScenarioNames = (): string[] =>
  builtinScenarioNames().filter((n) => n.startsWith('opb-'));

export function runOpb(
  scenario: string | Scenario, seed: number, mutant: string | null = null,
): RunRecord {
  const protocol = findProtocol('opb');
  if (protocol === undefined) throw new Error('opb is not registered');
  const sc = typeof scenario === 'string' ? loadScenario(scenario) : scenario;
  return simulate({ scenario: sc, protocol, seed, mutant });
}

/** A built-in scenario with some OPB parameters overridden. */
export function withParams(name: string, params: { readonly [k: string]: Json }): Scenario {
  const sc = loadScenario(name);
  return { ...sc, params: withOpbParams(sc, params) };
}

/** The properties OPB claims: no assertion failure, liveness after heal, and C1–C9. */
export function opbVerdicts(run: RunRecord): Verdict[] {
  return [noFailure, liveness, ...opbProperties].map((p) => checkProperty(p, run));
}

export function failures(run: RunRecord): string[] {
  return opbVerdicts(run)
    .filter((v) => v.status === 'fail')
    .map((v) => `${v.property}: ${v.message}`);
}

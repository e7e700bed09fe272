import { findProtocol } from '../../protocol/registry.js';
import { opbProperties } from '../../properties/opb-all.js';
import { noFailure } from '../../properties/no-failure.js';
import { liveness } from '../../properties/liveness.js';
import { checkProperty, type Verdict } from '../../properties/types.js';
import { builtinScenarioNames, loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';
import type { RunRecord } from '../../simulator/run-record.js';

export const opbScenarioNames = (): string[] => builtinScenarioNames().filter((n) => n.startsWith('opb-'));

export function runOpb(scenario: string, seed: number, mutant: string | null = null): RunRecord {
  const protocol = findProtocol('opb');
  if (protocol === undefined) throw new Error('opb is not registered');
  return simulate({ scenario: loadScenario(scenario), protocol, seed, mutant });
}

/** The properties OPB claims: no assertion failure, liveness after heal, and C1–C9. */
export function opbVerdicts(run: RunRecord): Verdict[] {
  return [noFailure, liveness, ...opbProperties].map((p) => checkProperty(p, run));
}

export function failures(run: RunRecord): string[] {
  return opbVerdicts(run).filter((v) => v.status === 'fail').map((v) => `${v.property}: ${v.message}`);
}

/**
 * One checked run: resolve the protocol and mutant, simulate, check every applicable property.
 * This is what `run`, `replay`, `explore` and the experiments all call.
 */
import { findProtocol, protocols } from '../protocol/registry.js';
import type { AnyProtocol } from '../protocol/types.js';
import { checkRun } from '../properties/registry.js';
import type { Verdict } from '../properties/types.js';
import type { Scenario } from '../simulator/config.js';
import type { RunRecord } from '../simulator/run-record.js';
import { simulate } from '../simulator/sim.js';
import { ScenarioError } from './errors.js';

export interface RunRequest {
  readonly scenario: Scenario;
  /** Defaults to the scenario's first protocol. */
  readonly protocol?: string;
  readonly seed: number;
  readonly mutant?: string | null;
  readonly keepTrace?: boolean;
  readonly onProgress?: (nowUs: number, endUs: number) => void;
}

export interface CheckedRun {
  readonly record: RunRecord;
  readonly verdicts: readonly Verdict[];
  /** The failed verdicts (safety, liveness, assertion): empty means the run is ok. */
  readonly violations: readonly Verdict[];
  readonly ok: boolean;
}

export function resolveProtocol(scenario: Scenario, name: string | undefined,
  mutant: string | null): AnyProtocol {
  const chosen = name ?? scenario.protocols[0]!;
  const protocol = findProtocol(chosen);
  if (protocol === undefined) {
    throw new ScenarioError(`unknown protocol ` +
      `"${chosen}" (known: ${protocols.map((p) => p.name).join(', ')})`);
  }
  if (!scenario.protocols.includes(chosen)) {
    throw new ScenarioError(`scenario ${scenario.name} does not run on protocol "${chosen}" (it ` +
      `runs on: ${scenario.protocols.join(', ')})`);
  }
  if (mutant !== null && !protocol.mutants.some((m) => m.name === mutant)) {
    const known = protocol.mutants.map((m) => m.name).join(', ') || 'none';
    throw new ScenarioError(`unknown mutant "${mutant}" for protocol ${chosen} (known: ${known})`);
  }
  return protocol;
}

export function runChecked(request: RunRequest): CheckedRun {
  const mutant = request.mutant ?? null;
  const protocol = resolveProtocol(request.scenario, request.protocol, mutant);
  const record = simulate({
    scenario: request.scenario, protocol, seed: request.seed, mutant,
    keepTrace: request.keepTrace === true,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  const verdicts = checkRun(record);
  const violations = verdicts.filter((v) => v.status === 'fail');
  return { record, verdicts, violations, ok: violations.length === 0 };
}

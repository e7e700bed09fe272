/**
 * One checked run: resolve the protocol and mutant, simulate, check every applicable property.
 * The one run-and-check pipeline: the commands (`run`, `replay`, `sweep`, `explore`, `campaign`,
 * `compare`), the library, the experiments' mutant catalogue and the test helpers all call
 * `runChecked`, so nothing checks a different set of properties than `replisim run` does.
 */
import { findProtocol, protocols } from '../protocol/registry.js';
import type { AnyProtocol } from '../protocol/types.js';
import { checkRun } from '../properties/registry.js';
import type { Verdict } from '../properties/types.js';
import type { Scenario } from '../simulator/config.js';
import type { RunRecord } from '../simulator/run-record.js';
import { simulate } from '../simulator/sim.js';
import { buildEndpoints } from '../simulator/topology.js';
import { AssertionFailure } from '../protocol/assert.js';
import { ScenarioError } from './errors.js';

export interface RunRequest {
  readonly scenario: Scenario;
  /** Defaults to the scenario's first protocol. */
  readonly protocol?: string;
  readonly seed: number;
  readonly mutant?: string | null;
  readonly keepTrace?: boolean;
  /** Fingerprint the nodes' states after every step (RunRecord.stateFingerprints). */
  readonly stateCoverage?: boolean;
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
    throw new ScenarioError(`unknown protocol "${chosen}" (known: ` +
      `${protocols.map((p) => p.name).join(', ')}; load your own with --protocol-file)`);
  }
  if (!scenario.protocols.includes(chosen)) {
    throw new ScenarioError(`scenario ${scenario.name} does not run on protocol "${chosen}" (it ` +
      `runs on: ${scenario.protocols.join(', ')})`);
  }
  if (mutant !== null && !protocol.mutants.some((m) => m.name === mutant)) {
    const known = protocol.mutants.map((m) => m.name).join(', ') || 'none';
    throw new ScenarioError(`unknown mutant "${mutant}" for protocol ${chosen} (known: ${known})`);
  }
  checkParams(scenario, protocol);
  checkTargeted(scenario, protocol);
  return protocol;
}

/** A targeted fault must name one of the protocol's message types. */
function checkTargeted(scenario: Scenario, protocol: AnyProtocol): void {
  scenario.faults.forEach((f, i) => {
    if (f.kind !== 'targeted') return;
    const known = protocol.messageTypes;
    if (known === undefined || protocol.messageType === undefined) {
      throw new ScenarioError(`scenario ${scenario.name}: faults.${i}: protocol ` +
        `${protocol.name} does not name its message types, so a targeted fault cannot select one`);
    }
    if (!known.includes(f.type)) {
      throw new ScenarioError(`scenario ${scenario.name}: faults.${i}.type: unknown ` +
        `${protocol.name} message type "${f.type}" (known: ${known.join(', ')})`);
    }
  });
}

/**
 * The scenario's parameters for this protocol name known keys and values the protocol accepts
 * (tried on one node's init): a typo or a bad value is a user error, not a crash mid-run.
 */
function checkParams(scenario: Scenario, protocol: AnyProtocol): void {
  const given = scenario.params[protocol.name] ?? {};
  // Own keys only: `toString` or `__proto__` are not parameters just because objects have them.
  const unknown = Object.keys(given).filter((k) => !Object.hasOwn(protocol.defaults, k)).sort();
  if (unknown.length > 0) {
    throw new ScenarioError(`scenario ${scenario.name}: unknown ${protocol.name} parameter(s) ` +
      `${unknown.join(', ')} (known: ${Object.keys(protocol.defaults).sort().join(', ')})`);
  }
  const node = scenario.topology.nodes[0];
  if (node === undefined) return;
  try {
    protocol.init(node.id, { nodes: buildEndpoints(scenario).placements,
      replicas: scenario.topology.replicas, params: { ...protocol.defaults, ...given },
      mutant: null });
  } catch (error) {
    if (!(error instanceof AssertionFailure)) throw error;
    throw new ScenarioError(`scenario ${scenario.name}: bad ${protocol.name} parameters: ` +
      error.message);
  }
}

export function runChecked(request: RunRequest): CheckedRun {
  const mutant = request.mutant ?? null;
  const protocol = resolveProtocol(request.scenario, request.protocol, mutant);
  const record = simulate({
    scenario: request.scenario, protocol, seed: request.seed, mutant,
    keepTrace: request.keepTrace === true, stateCoverage: request.stateCoverage === true,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  const verdicts = checkRun(record);
  const violations = verdicts.filter((v) => v.status === 'fail');
  return { record, verdicts, violations, ok: violations.length === 0 };
}

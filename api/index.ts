/**
 * The library: `import { defineProtocol, simulate, sweep, explore, check, lincheck } from
 * 'replisim'`. Thin typed wrappers over what the CLI runs (scenarios/runner.ts,
 * scenarios/explore.ts, the model checker in simulator/checker, the linearizability checker),
 * all in the calling thread; the CLI adds worker threads, files and printing on top of the same
 * functions. A protocol given as a value is registered under its name on first use.
 */
import { findProtocol, protocols as registered, registerProtocol } from '../protocol/registry.js';
import type { AnyProtocol, Protocol } from '../protocol/types.js';
import { asProtocol } from '../protocol/validate.js';
import { parseHistory, resolveFormat, type FormatName } from '../properties/formats/index.js';
import {
  checkHistory, formatExplanation, verdictName,
} from '../properties/linearizability/index.js';
import { linearizabilityHistoryCheck } from '../properties/linearizable.js';
import { defaultModelFor, getModel } from '../properties/models/index.js';
import { runTrial, type TrialResult } from '../scenarios/explore.js';
import { loadScenario, parseScenario } from '../scenarios/load.js';
import type { SavedRun } from '../scenarios/run-file.js';
import { runChecked, type CheckedRun } from '../scenarios/runner.js';
import {
  checker, soundNetwork, type CheckerOptions, type CheckResult,
} from '../simulator/checker/index.js';
import type { Scenario } from '../simulator/config.js';

export type {
  ClientId, ClientPolicy, ClientRequest, CommonObservation, Effect, FaultKind, Json, MutantInfo,
  NodeId, NodePlacement, ObservationData, OperatorCommand, Protocol, ProtocolConfig,
  ProtocolEvent, ReplyOutcome, StepResult, AnyProtocol,
} from '../protocol/types.js';
export type { KvOp, KvResult } from '../protocol/kv-types.js';
export type { Scenario } from '../simulator/config.js';
export type { Verdict } from '../properties/types.js';
export type { CheckedRun } from '../scenarios/runner.js';
export type { SavedRun } from '../scenarios/run-file.js';
export type { TrialResult } from '../scenarios/explore.js';
export type { CheckResult, CheckerOptions, Counterexample } from '../simulator/checker/index.js';
export { InvalidProtocolError } from '../protocol/validate.js';
export { DuplicateProtocolError } from '../protocol/registry.js';
export { ScenarioError } from '../scenarios/errors.js';
export { checkParamSchema, type ParamSchema } from '../protocol/param-schema.js';
export { readSavedRun, toSavedRun, writeSavedRun } from '../scenarios/run-file.js';
/** The key-value state machine the checkers model: apply it and your store matches theirs. */
export { describeOp, emptyStore, kvApply, kvDigest, type KvStore } from '../protocol/kv.js';

/**
 * Checks a protocol's shape now (name, description, mutants, client, defaults and the four
 * functions; protocol/validate.ts) rather than at its first run, and returns it typed.
 * @throws InvalidProtocolError naming the field that is wrong.
 */
export function defineProtocol<S, M, D>(protocol: Protocol<S, M, D>): Protocol<S, M, D> {
  asProtocol(protocol, 'defineProtocol');
  return protocol;
}

/** A scenario value (validated here), a built-in scenario's name, or a scenario JSON file. */
export type ScenarioInput = Scenario | string | Record<string, unknown>;
/** A protocol value (registered on first use) or a registered protocol's name. */
export type ProtocolInput = AnyProtocol | string;

export function scenarioOf(input: ScenarioInput): Scenario {
  return typeof input === 'string' ? loadScenario(input) : parseScenario(input, 'scenario');
}

/** The protocol's registered name; a value is registered first (same value again: no-op). */
export function protocolName(input: ProtocolInput): string {
  if (typeof input !== 'string') {
    registerProtocol(input, `protocol ${String((input as { name?: unknown }).name)}`);
    return input.name;
  }
  if (findProtocol(input) === undefined) {
    throw new Error(`unknown protocol "${input}" (known: ` +
      `${registered.map((p) => p.name).join(', ')})`);
  }
  return input;
}

interface RunSpec {
  readonly scenario: ScenarioInput;
  /** Default: the scenario's first protocol. */
  readonly protocol?: ProtocolInput;
  /** A declared mutant, `<protocol>:<bug>`. */
  readonly mutant?: string | null;
}

export interface SimulateOptions extends RunSpec {
  readonly seed?: number;
  /** Keep the trace lines (needed to save a replayable run with its trace). */
  readonly keepTrace?: boolean;
}

/** One run, every applicable property checked: what `replisim run` does. */
export function simulate(options: SimulateOptions): CheckedRun {
  return runChecked({
    scenario: scenarioOf(options.scenario), seed: options.seed ?? 1,
    mutant: options.mutant ?? null, keepTrace: options.keepTrace === true,
    ...(options.protocol === undefined ? {} : { protocol: protocolName(options.protocol) }),
  });
}

export interface SweepOptions extends RunSpec {
  /** How many seeds (default 10). */
  readonly seeds?: number;
  readonly firstSeed?: number;
}

export interface SweepRun {
  readonly seed: number;
  readonly ok: boolean;
  readonly traceHash: string;
  readonly violations: readonly { readonly property: string; readonly message: string }[];
}

export interface SweepResult {
  readonly ok: boolean;
  readonly runs: readonly SweepRun[];
  readonly failedSeeds: readonly number[];
}

/** The scenario on consecutive seeds, every property checked on each: `replisim sweep`. */
export function sweep(options: SweepOptions): SweepResult {
  const scenario = scenarioOf(options.scenario);
  const first = options.firstSeed ?? 0;
  const runs = Array.from({ length: options.seeds ?? 10 }, (_, i): SweepRun => {
    const run = simulate({ ...options, scenario, seed: first + i });
    return { seed: first + i, ok: run.ok, traceHash: run.record.traceHash,
      violations: run.violations.map((v) => ({ property: v.property, message: v.message })) };
  });
  const failedSeeds = runs.filter((r) => !r.ok).map((r) => r.seed);
  return { ok: failedSeeds.length === 0, runs, failedSeeds };
}

export interface ExploreOptions extends RunSpec {
  /** How many trials (default 20): trial t draws its fault schedule from seed firstSeed + t. */
  readonly trials?: number;
  readonly firstSeed?: number;
  /** At most this many runs to shrink a violation (default 100, as the CLI). */
  readonly shrinkRuns?: number;
  /** Keep running after the first violation (default: stop there). */
  readonly keepGoing?: boolean;
}

export interface ExploreResult {
  readonly ok: boolean;
  readonly trials: readonly TrialResult[];
  /** The first violation's shrunk, replayable run (`writeSavedRun` saves it), or null. */
  readonly counterexample: SavedRun | null;
}

/** Swarm testing: random fault schedules, each violation shrunk; `replisim explore`. */
export function explore(options: ExploreOptions): ExploreResult {
  const scenario = scenarioOf(options.scenario);
  const protocol = options.protocol === undefined ? scenario.protocols[0]!
    : protocolName(options.protocol);
  const trials: TrialResult[] = [];
  let counterexample: SavedRun | null = null;
  for (let t = 0; t < (options.trials ?? 20); t++) {
    const trial = runTrial({ scenario, protocol, mutant: options.mutant ?? null,
      seed: (options.firstSeed ?? 0) + t, shrinkRuns: options.shrinkRuns ?? 100 });
    trials.push(trial);
    if (trial.counterexample !== undefined) {
      counterexample ??= trial.counterexample;
      if (options.keepGoing !== true) break;
    }
  }
  return { ok: counterexample === null, trials, counterexample };
}

export type CheckOptions = CheckerOptions & {
  /** Maximum number of actions in a path (default 30). */
  readonly maxDepth?: number;
  /** Stop after this many unique states (the result is then incomplete). */
  readonly maxStates?: number;
  /** Search order (default 'bfs', which finds a shortest counterexample). */
  readonly order?: 'bfs' | 'dfs';
  /** Merge states equal up to a renaming of the replicas (only for name-blind protocols). */
  readonly symmetry?: boolean;
};

/**
 * Bounded exhaustive model checking of the protocol value itself: `replisim check`. The history
 * check defaults to linearizability (the kv model, per key); the in-flight message model to the
 * one that is sound for the protocol.
 */
export function check(protocol: ProtocolInput, options: CheckOptions = {}): CheckResult {
  const p = findProtocol(protocolName(protocol))!;
  const { maxDepth, maxStates, order, symmetry, ...bounds } = options;
  let builder = checker(p, { network: soundNetwork(p), history: linearizabilityHistoryCheck,
    ...bounds }).maxDepth(maxDepth ?? 30).symmetry(symmetry === true);
  if (maxStates !== undefined) builder = builder.maxStates(maxStates);
  return order === 'dfs' ? builder.dfs() : builder.bfs();
}

export interface LincheckOptions {
  /** Input format (default: detected): native, porcupine-kv, jepsen-log, jepsen-edn… */
  readonly format?: string;
  /** Sequential model (default: by the history's kind), e.g. kv or '(cas-register 0)'. */
  readonly model?: string;
  /** Search steps before the verdict is 'unknown' (counted, so machine-independent). */
  readonly maxSteps?: number;
}

export interface LincheckResult {
  readonly verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  readonly model: string;
  readonly ops: number;
  /** Why not linearizable: the longest partial linearization and the operation it blocks on. */
  readonly explanation?: string;
  readonly reason?: string;
}

/** Linearizability of a history's text (any format `replisim lincheck` reads). */
export function lincheck(text: string, options: LincheckOptions = {}): LincheckResult {
  let format: FormatName | undefined;
  if (options.format !== undefined) {
    format = resolveFormat(options.format);
    if (format === undefined) throw new Error(`unknown history format "${options.format}"`);
  }
  const parsed = parseHistory(text, format);
  const model = options.model === undefined ? defaultModelFor(parsed.kind)
    : getModel(options.model);
  if (model === undefined) throw new Error(`unknown model "${options.model}"`);
  const r = checkHistory(parsed.ops, model,
    options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps });
  return {
    verdict: verdictName(r.verdict), model: model.name, ops: parsed.invocations,
    ...(r.explanation === undefined ? {} : { explanation: formatExplanation(r.explanation) }),
    ...(r.reason === undefined ? {} : { reason: r.reason }),
  };
}

/** Every registered protocol (built-in ones and those registered so far). */
export function protocols(): readonly AnyProtocol[] {
  return registered;
}

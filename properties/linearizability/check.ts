import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import type { History } from '../../simulator/history.js';
import { fromNativeHistory } from '../formats/native.js';
import { kvModel } from '../models/kv.js';
import type { AnyModel, Operation } from '../models/types.js';
import { LinearizationSearch } from './engine.js';
import type { MemoryBudget, SearchOutcome, UnknownReason, Verdict } from './engine.js';
import { MalformedHistoryError } from './errors.js';

/** Options of a linearizability check. */
export interface CheckOptions {
  /**
   * Search steps for the whole check (all partitions); past it the verdict is 'unknown'
   * (reason 'steps'). Counted, not timed, so the same history gets the same verdict on any
   * machine. Default `DEFAULT_MAX_STEPS`.
   */
  readonly maxSteps?: number;
  /**
   * Optional wall-clock limit for a command (e.g. `lincheck --timeout`): it stops the check,
   * reported as reason 'timeout'. Nothing that decides a run's verdict sets it. Default none.
   */
  readonly timeoutMs?: number;
  /** Check the model's partitions (e.g. one per key) independently. Default true. */
  readonly partition?: boolean;
  /** Memory budget of the memo tables (all partitions together), in bytes. Default 1 GiB. */
  readonly maxCacheBytes?: number;
  /** Stop at the first illegal partition found (partitions are interleaved). Default true. */
  readonly failFast?: boolean;
}

/** The operation that could not be placed after the longest partial linearization. */
export interface BlockedOperation {
  readonly id: number;
  readonly client: string;
  readonly call: number;
  /** `null` for an indefinite operation (its return is after every other event). */
  readonly return: number | null;
  readonly line?: number;
  readonly description: string;
}

/** Why one partition is not linearizable. */
export interface PartitionExplanation {
  /** Index of the partition in the model's partition order. */
  readonly partition: number;
  readonly label: string;
  /** Number of operations checked in this partition. */
  readonly ops: number;
  /** The longest partial linearization found, as op ids in linearization order. */
  readonly linearized: readonly number[];
  /** The operation whose return was reached while it could not be placed next. */
  readonly blocked: BlockedOperation | null;
  /** The model state after `linearized` (`describeState`, or JSON). */
  readonly state: string;
}

/** Explanation of an illegal verdict: one entry per failing partition. */
export interface Explanation {
  readonly partitions: readonly PartitionExplanation[];
}

/** Result of `checkHistory`. */
export interface CheckResult {
  readonly verdict: Verdict;
  readonly explanation?: Explanation;
  /** Checking time in milliseconds (parsing excluded). */
  readonly ms: number;
  /** Number of partitions the history was split into. */
  readonly partitions: number;
  /** Number of operations checked (after dropping no-op reads with unknown results). */
  readonly ops: number;
  /** Set when the verdict is 'unknown'. */
  readonly reason?: UnknownReason;
  /** Search steps, summed over partitions (a machine-independent cost measure). */
  readonly steps: number;
  /**
   * The most memory the search held at once, as accounted against `maxCacheBytes` (tables,
   * buffers, interned states, the models' own tables), in bytes.
   */
  readonly peakBytes: number;
}

/**
 * About a minute of search on this machine class (1.5-2 M steps per CPU-second on a hard history
 * whose every subset of ops makes a new state); a linearizable run history needs about one step
 * per operation.
 */
export const DEFAULT_MAX_STEPS = 100_000_000;
const DEFAULT_MAX_CACHE_BYTES = 1024 * 1024 * 1024;
const FIRST_SLICE_STEPS = 1 << 14;

function whereOf(op: Operation): { op: number; line?: number } {
  return op.line === undefined ? { op: op.id } : { op: op.id, line: op.line };
}

/** Rejects histories that are not histories: bad times, return before call, duplicate ids. */
export function validateOperations(ops: readonly Operation[]): void {
  // Run histories have increasing ids: no set of ids is needed until one is out of order.
  let ids: Set<number> | undefined;
  let last = -Infinity;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Operation;
    if (ids === undefined && op.id <= last) ids = new Set(ops.slice(0, i).map((o) => o.id));
    last = op.id;
    if (ids !== undefined) {
      if (ids.has(op.id)) {
        throw new MalformedHistoryError(`duplicate op id ${op.id}`, whereOf(op));
      }
      ids.add(op.id);
    }
    if (!Number.isFinite(op.call)) {
      throw new MalformedHistoryError('call time is not a finite number', whereOf(op));
    }
    if (Number.isNaN(op.return) || op.return === -Infinity) {
      throw new MalformedHistoryError('return time is not a number', whereOf(op));
    }
    if (op.return < op.call) {
      throw new MalformedHistoryError(`return ${op.return} is before call ${op.call}`, whereOf(op));
    }
  }
}

function describeState(model: AnyModel, state: unknown): string {
  if (model.describeState !== undefined) return model.describeState(state);
  return JSON.stringify(state) ?? String(state);
}

/** `searched` is the model the search ran with (`model` or its specialization). */
function explain(
  model: AnyModel,
  searched: AnyModel,
  ops: readonly Operation[],
  index: number,
  outcome: SearchOutcome,
): PartitionExplanation {
  const label = model.describePartition?.(ops) ?? (index === 0 ? 'history' : `partition ${index}`);
  const op = ops[outcome.blocked];
  let blocked: BlockedOperation | null = null;
  if (op !== undefined) {
    const description =
      model.describeOperation?.(op.input, op.output) ??
      JSON.stringify({ input: op.input, output: op.output });
    const ret = Number.isFinite(op.return) ? op.return : null;
    blocked = {
      id: op.id,
      client: op.client,
      call: op.call,
      return: ret,
      ...(op.line === undefined ? {} : { line: op.line }),
      description,
    };
  }
  return {
    partition: index,
    label,
    ops: ops.length,
    linearized: outcome.longest.map((i) => (ops[i] as Operation).id),
    blocked,
    state: describeState(searched, outcome.blockedState),
  };
}

/**
 * Checks a history for linearizability against `model` (Porcupine-style search, partitions
 * checked one after another in the model's order, stopping at the first illegal one).
 * Operations must already exclude definite failures; indefinite ones have `return: Infinity`.
 * The verdict depends only on the history and the budgets (steps, accounted memory), which are
 * counted, never timed: the same history gets the same verdict on a slower machine. Running out
 * of a budget gives 'unknown' (an illegal partition found before that still makes the verdict
 * 'illegal'); so does the optional wall-clock `timeoutMs`, reported as reason 'timeout'.
 * @throws MalformedHistoryError when the operations do not form a history.
 */
export function checkHistory(
  ops: readonly Operation[],
  model: AnyModel,
  options: CheckOptions = {},
): CheckResult {
  const started = performance.now();
  validateOperations(ops);
  const deadline = options.timeoutMs === undefined ? Infinity : started + options.timeoutMs;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const limits = { deadline, maxBytes: options.maxCacheBytes ?? DEFAULT_MAX_CACHE_BYTES };
  const isNoop = model.isNoop;
  const kept = isNoop === undefined ? ops : ops.filter((op) => !isNoop(op.input, op.output));
  const groups =
    options.partition !== false && model.partition !== undefined ? model.partition(kept) : [kept];
  const failures: PartitionExplanation[] = [];
  const memory: MemoryBudget = { maxBytes: limits.maxBytes, used: 0, peak: 0 };
  // A cheaper equivalent model per partition when the model has one (e.g. kv on a single key).
  const models = groups.map((group) => model.specialize?.(group) ?? model);
  const searches = groups.map(
    (group, i) => new LinearizationSearch(models[i] as AnyModel, group, limits.deadline, memory),
  );
  let reason: UnknownReason | undefined;
  let steps = 0;
  // Interleave the partitions with doubling step budgets, so that an easy illegal partition is
  // found before a hard one is finished (what Porcupine gets from checking them in parallel).
  // Scheduling is by steps, never by time, so the verdict does not depend on the clock.
  // The step budget is shared: each slice gets at most what is left of it.
  let active = searches.map((_, i) => i);
  let budget = FIRST_SLICE_STEPS;
  let stop = false;
  let used = 0;
  while (active.length > 0 && !stop) {
    const still: number[] = [];
    for (const i of active) {
      const search = searches[i] as LinearizationSearch;
      const left = maxSteps - used;
      if (!stop && left <= 0) {
        reason ??= 'steps';
        stop = true;
      }
      const before = search.stepCount;
      const outcome = stop ? undefined : search.run(Math.min(budget, left));
      used += search.stepCount - before;
      if (outcome === undefined) {
        still.push(i);
        continue;
      }
      steps += outcome.steps;
      search.release();
      if (outcome.verdict === 'illegal') {
        failures.push(explain(model, models[i] as AnyModel, groups[i] as Operation[], i, outcome));
        if (options.failFast !== false) stop = true;
      } else if (outcome.verdict === 'unknown') {
        reason ??= outcome.reason;
        if (outcome.reason === 'timeout') stop = true;
      }
    }
    active = still;
    budget *= 2;
  }
  // Searches abandoned because the check stopped early.
  for (const i of active) {
    const search = searches[i] as LinearizationSearch;
    steps += search.stats.steps;
    search.release();
  }
  failures.sort((a, b) => a.partition - b.partition);
  const ms = performance.now() - started;
  const base = { ms, partitions: groups.length, ops: kept.length, steps,
    peakBytes: memory.peak ?? 0 };
  if (failures.length > 0) {
    return { verdict: 'illegal', explanation: { partitions: failures }, ...base };
  }
  if (reason !== undefined) return { verdict: 'unknown', reason, ...base };
  return { verdict: 'ok', ...base };
}

/**
 * Checks a native history (as recorded by `replisim run`) with the `kv` model, partitioned by key.
 * @throws MalformedHistoryError when the history is malformed.
 */
export function checkNativeHistory(history: History, options: CheckOptions = {}): CheckResult {
  const ops: Operation<KvOp, KvResult>[] = fromNativeHistory(history);
  return checkHistory(ops, kvModel, options);
}

/** The CLI's name of a verdict. */
export function verdictName(verdict: Verdict): 'linearizable' | 'not-linearizable' | 'unknown' {
  return verdict === 'ok' ? 'linearizable' : verdict === 'illegal' ? 'not-linearizable' : 'unknown';
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function showTime(t: number | null): string {
  return t === null ? '∞' : String(t);
}

/**
 * One or more lines explaining an illegal verdict, e.g.
 * `key "x": after 3 of 7 ops [0, 2, 4], op 5 (client c1, [12, 20]) get("x") → "a" cannot be
 * linearized; state {"x": "b"}`.
 */
export function formatExplanation(explanation: Explanation, maxIds = 12): string {
  return explanation.partitions
    .map((p) => {
      const ids = p.linearized;
      const shown =
        ids.length <= maxIds ? ids.join(', ') : `…, ${ids.slice(ids.length - maxIds).join(', ')}`;
      const prefix = `${p.label}: longest linearization ${ids.length} of ${p.ops} ops [${shown}]`;
      const b = p.blocked;
      if (b === null) return prefix;
      const line = b.line === undefined ? '' : `, line ${b.line}`;
      const who = b.client === '' ? '' : `client ${b.client}, `;
      return (
        `${prefix}; then op ${b.id} (${who}[${b.call}, ${showTime(b.return)}]${line}) ` +
        `${shorten(b.description, 120)} cannot be linearized; state ${shorten(p.state, 120)}`
      );
    })
    .join('\n');
}

/**
 * The checker's view of a history and of a sequential specification (STYLE.md §9, after
 * Porcupine's `model.go`). Checkers never import `protocol/` (except the pure KV type file).
 */

/**
 * One operation of a history in the common internal form produced by every parser.
 * Times are abstract and only compared: virtual microseconds for native histories, line numbers
 * for log formats. Intervals are closed; at equal times a call comes before a return.
 */
export interface Operation<I = unknown, O = unknown> {
  /** Identifier reported in explanations (native op id, or invocation number in a file). */
  readonly id: number;
  readonly client: string;
  readonly input: I;
  /** `undefined` when the outcome is unknown (indefinite op, or a read that timed out). */
  readonly output: O | undefined;
  readonly call: number;
  /** `Infinity` for an indefinite operation: it may take effect at any time after its call. */
  readonly return: number;
  /** 1-based source line of the invocation, when the history came from a text file. */
  readonly line?: number;
}

/** Result of applying one operation to a model state. */
export interface StepResult<S> {
  readonly ok: boolean;
  readonly state: S;
}

/** Which parsed histories a model can check. */
export type InputKind = 'kv' | 'register' | 'txn';

/**
 * A sequential specification. `step` must be pure and deterministic; returning the very same
 * state object means "unchanged" (cheap for the checker). `hash` is the memoization key of a
 * state (a string, or a number, which is cheaper): when `equal` is absent it must be injective
 * (equal keys ⇔ equal states); when `equal` is present, states with the same key are further
 * compared with it, so the key only needs to agree on equal states.
 */
export interface Model<S = unknown, I = unknown, O = unknown> {
  readonly name: string;
  readonly description: string;
  readonly inputKind: InputKind;
  init(): S;
  step(state: S, input: I, output: O | undefined): StepResult<S>;
  hash(state: S): string | number;
  equal?(a: S, b: S): boolean;
  /**
   * True when states are non-negative integers allocated densely from 0 and equal states are
   * equal numbers (e.g. ids of values interned by the model): the checker indexes arrays by them.
   * `step` must then be cheap (no allocation except for new states): the checker calls it again
   * rather than memoizing transitions.
   */
  readonly denseStates?: boolean;
  /**
   * Heap bytes a new state holds beyond a small object (arrays and strings of its own, not
   * those it shares with other states), so that the checker's memory budget bounds what the
   * interned states really take. Absent: none.
   */
  stateBytes?(state: S): number;
  /**
   * Bytes held by tables the model keeps for its states (a `specialize`d model interning
   * values), so that the checker's memory budget covers them too. Absent: none.
   */
  bytes?(): number;
  /**
   * A model equivalent to this one on the given operations (e.g. one sub-history produced by
   * `partition`), with a cheaper state; `undefined` when there is none. It is used for one search
   * only, so it may keep tables of its own; its `describeState` describes its own states.
   */
  specialize?(ops: readonly Operation<I, O>[]): Model<unknown, I, O> | undefined;
  /** Splits a history into independently checkable sub-histories (P-compositionality). */
  partition?(ops: readonly Operation<I, O>[]): Operation<I, O>[][];
  /** A short label for a partition produced by `partition` (e.g. `key "x"`). */
  describePartition?(ops: readonly Operation<I, O>[]): string;
  describeOperation?(input: I, output: O | undefined): string;
  describeState?(state: S): string;
  /**
   * True when the operation is always legal and never changes the state (e.g. a read whose
   * result is unknown); such operations are removed before the search.
   */
  isNoop?(input: I, output: O | undefined): boolean;
}

/** A model over any state/input/output types (the registry's element type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any, any>;

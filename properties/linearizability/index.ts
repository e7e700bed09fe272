/**
 * Linearizability checking (DESIGN §6): Porcupine-style search with memoization, per-partition
 * checking, indefinite operations, and 'unknown' on timeout or memory exhaustion.
 */
export {
  checkHistory,
  checkNativeHistory,
  formatExplanation,
  validateOperations,
  verdictName,
} from './check.js';
export type {
  BlockedOperation,
  CheckOptions,
  CheckResult,
  Explanation,
  PartitionExplanation,
} from './check.js';
export { LinearizationSearch, searchLinearization } from './engine.js';
export type { MemoryBudget, SearchOutcome, UnknownReason, Verdict } from './engine.js';
export { MalformedHistoryError } from './errors.js';

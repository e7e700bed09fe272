/**
 * Linearizability of the run's client history against the KV model (per key), with the
 * Porcupine-style checker. For a protocol that does not claim linearizability the verdict is
 * reported but is not a violation.
 */
import { checkNativeHistory, formatExplanation } from './linearizability/index.js';
import type { HistoryCheck } from '../simulator/checker/types.js';
import type { Property } from './types.js';

/**
 * Search steps per run; past it the verdict is 'unknown' (never a hang). Counted, not timed
 * (it was a 20 s deadline): the same seed gets the same verdict on a 10x slower machine.
 * About 20 CPU-s on a hard history; a linearizable run needs about one step per operation.
 */
export const RUN_MAX_STEPS = 40_000_000;

export const linearizability: Property = {
  name: 'linearizability',
  description: 'the client history is linearizable against a sequential KV store (checked per key)',
  protocols: ['*'],
  completeRunOnly: true,
  check(run) {
    const result = checkNativeHistory(run.history, { maxSteps: RUN_MAX_STEPS });
    // Steps, not milliseconds: a run's report must not depend on the machine.
    const measures = { linearizable: result.verdict === 'ok' ? 1 : 0,
      checkSteps: result.steps };
    const claimed = run.claimsLinearizable;
    // Not claimed: the verdict is a measure of the protocol, not a check of it.
    const measured = claimed ? {} : { measured: true as const };
    if (result.verdict === 'ok') {
      return { property: this.name, status: 'pass', measures, ...measured,
        message: `${result.ops} ops linearizable (${result.partitions} keys)` };
    }
    if (result.verdict === 'unknown') {
      return { property: this.name, status: 'unknown', measures,
        message: `undecided after ${result.steps} search steps (${result.reason ?? 'budget'} ` +
          'budget)' };
    }
    const why = result.explanation === undefined ? ''
      : `: ${formatExplanation(result.explanation, 6)}`;
    // The op ids of the first failing partition, for reports to highlight.
    const first = result.explanation?.partitions[0];
    const details = first === undefined ? null : { linearized: [...first.linearized],
      blocked: first.blocked?.id ?? null };
    if (!claimed) {
      return { property: this.name, status: 'pass', measures, details, ...measured,
        message: `not linearizable (not claimed by ${run.protocol})` };
    }
    return { property: this.name, status: 'fail', measures, details,
      message: `not linearizable${why}` };
  },
};

/**
 * The model checker's history check (`replisim check` and the library's `check`): the same kv
 * model, per key, under the same counted step budget a run gets, so a pathological history is
 * bounded without the verdict depending on the machine's speed.
 */
export const linearizabilityHistoryCheck: HistoryCheck = (history) => {
  const r = checkNativeHistory(history, { maxSteps: RUN_MAX_STEPS });
  if (r.explanation === undefined) return { verdict: r.verdict };
  return { verdict: r.verdict, explanation: formatExplanation(r.explanation) };
};

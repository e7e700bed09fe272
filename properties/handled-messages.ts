/**
 * The message record, for checks that judge how a node answered a message in the step that
 * handled it: that needs the record (runs kept without one skip), and arrival must be handling,
 * which the cost model breaks (a busy node queues what arrives and handles it later).
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';

/** The run's messages, or why a check of handled messages cannot judge this run. */
export function handledMessages(run: RunRecord): readonly MessageFact[] | string {
  if (run.messages === undefined) return 'the run kept no message record';
  if (run.metrics.costs !== undefined) {
    return 'cost model: a node may handle a message after it arrives';
  }
  return run.messages;
}

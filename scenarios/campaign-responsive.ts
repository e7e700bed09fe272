/**
 * `campaign-responsive`, a campaign rule: in a quiet run (no fault, no message loss or
 * duplication) a protocol that is up answers its clients without making them retry. Judged
 * from the client history only (invocation and completion times), never from a node's report.
 * Per-run properties judge faults; this catches what only costs time when nothing goes wrong:
 * a reply path that is never taken (the client's retry finds the result in the reply cache).
 */
import type { Scenario } from '../simulator/config.js';
import type { HistoryOp } from '../simulator/history.js';

/**
 * The share of late operations tolerated, in permille: a late one took the whole request
 * timeout or never completed. Unmutated, on seeds 0–49 of every built-in quiet scenario
 * (opb-steady, opb-spike, opb-diurnal, smart-steady, example-steady), a run has at most 2 late
 * of its ~1,800 operations (opb-spike: a handoff under load), none in steady runs; a reply path
 * that is never taken makes every write late (hundreds).
 */
export const LATE_PERMILLE = 10;

/** No fault and a network that neither loses nor duplicates: nothing should need a retry. */
export function isQuiet(s: Scenario): boolean {
  return s.faults.length === 0 && s.network.loss[0] === 0 && s.network.dup[0] === 0;
}

/**
 * The violation, if more than LATE_PERMILLE of the operations invoked once the service first
 * answered (before that, the protocol is still forming its groups) were late.
 */
export function responsivenessViolation(ops: readonly HistoryOp[], requestTimeoutUs: number):
  { property: string; message: string } | null {
  let up = Infinity;
  for (const op of ops) {
    if (op.status === 'ok' && op.return !== undefined) up = Math.min(up, op.return);
  }
  const judged = ops.filter((op) => op.call >= up);
  const late = judged.filter((op) => op.status !== 'ok' || op.return === undefined
    || op.return - op.call >= requestTimeoutUs);
  if (late.length * 1000 <= judged.length * LATE_PERMILLE) return null;
  const first = late[0]!;
  return { property: 'campaign-responsive', message: `quiet run: ${late.length} of ` +
    `${judged.length} operations invoked after the first answer (t=${up}us) took the whole ` +
    `request timeout (${requestTimeoutUs}us) or never completed, above ${LATE_PERMILLE}‰; ` +
    `first: ${first.client} op #${first.id} invoked at t=${first.call}us` };
}

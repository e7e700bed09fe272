/** All OPB properties (P2.7 C1–C9), in report order. */
import { opbJoinAck } from './opb-join-ack.js';
import type { Property } from './types.js';
import { opbAckEcho } from './opb-ack-echo.js';
import { opbRestartReports } from './opb-restart-reports.js';
import { opbAckedHolders } from './opb-acked-holders.js';
import { opbHandoffCaughtUp } from './opb-handoff-caught-up.js';
import { opbAcksKept } from './opb-acks-kept.js';
import { opbAvailability } from './opb-availability.js';
import { opbBackupHistory } from './opb-backup-history.js';
import { opbComponentPrimary } from './opb-components.js';
import { opbDigests } from './opb-digests.js';
import { opbDominance } from './opb-dominance.js';
import { opbEpochBarrier } from './opb-epoch-barrier.js';
import {
  opbClosure, opbSelfStabilization, opbStateConvergence, opbUniquePrimary,
} from './opb-convergence.js';
import { opbJoinCompletes } from './opb-join-completes.js';
import { opbJoinRefusal } from './opb-join-refusal.js';
import { opbJoinReported } from './opb-join-reported.js';
import { opbRoleFacts } from './opb-role-facts.js';
import { opbInstallRole } from './opb-install-role.js';
import { opbMergeUnion } from './opb-merge-union.js';
import { opbTrimOrder } from './opb-trim-order.js';
import { opbFailover } from './opb-failover.js';
import { opbMoveAbort } from './opb-move-abort.js';
import { opbMoveBudget } from './opb-move-budget.js';
import { opbLogBound } from './opb-log-bound.js';
import { opbLogMatching } from './opb-log-matching.js';
import { opbLoser } from './opb-loser.js';
import { opbMoveDrops } from './opb-move-drops.js';
import { opbNoResurrection } from './opb-no-resurrection.js';
import { opbOperatorHandoff } from './opb-operator-handoff.js';
import { opbHandback } from './opb-handback.js';
import { opbOrphans } from './opb-orphans.js';
import { opbOutbox } from './opb-outbox.js';
import { opbRepairWait } from './opb-repair-wait.js';
import { opbRoom } from './opb-room.js';
import { opbConsolidateBelowCmax, opbGather } from './opb-gather.js';
import { opbDiscardTold } from './opb-discard-told.js';
import { opbUpdateWindow } from './opb-update-window.js';
import { opbOverload } from './opb-overload.js';
import { opbPlacement } from './opb-placement.js';
import { opbPolicy } from './opb-policy.js';
import { opbPromotion } from './opb-promotion.js';
import { opbRepairOrder } from './opb-repair-order.js';
import { opbReplyRule } from './opb-reply-rule.js';
import { opbWake } from './opb-wake.js';
import { opbAwake } from './opb-awake.js';
import { opbNoLossWithoutFork } from './opb-c6-no-loss.js';
import { opbEpochMonotonic } from './opb-c7-epoch-monotonic.js';
import { opbAtMostOnce } from './opb-safety.js';

/**
 * Log matching reports before C5 and C6: they rebuild the converged history by looking entries
 * up by (epoch, index), so when one name holds two entries their verdicts ("executed twice",
 * "missing") are consequences of the collision, and the first violation should name its cause.
 * The digest contract reports before C2 for the same reason: C2 compares replicas by digest, so
 * a digest that depends on the path taken shows there as replicas that never converge. The
 * `opb.acked` contract reports before C6, which reads those lists.
 */
export const opbProperties: readonly Property[] = [
  opbUniquePrimary, opbDigests, opbStateConvergence, opbClosure, opbAvailability,
  opbComponentPrimary, opbLogMatching, opbAtMostOnce, opbAckedHolders, opbHandoffCaughtUp,
  opbReplyRule, opbNoLossWithoutFork, opbEpochMonotonic, opbPlacement, opbOverload, opbRoom,
  opbGather,
  opbConsolidateBelowCmax, opbPolicy, opbDiscardTold, opbLogBound, opbSelfStabilization,
  opbBackupHistory, opbUpdateWindow, opbEpochBarrier, opbAcksKept, opbAckEcho,
  opbDominance, opbLoser, opbNoResurrection, opbMoveDrops, opbOrphans, opbOutbox,
  opbOperatorHandoff,
  opbRepairOrder, opbRepairWait, opbJoinRefusal, opbJoinReported, opbJoinCompletes, opbHandback,
  opbRoleFacts, opbFailover, opbMoveBudget, opbMoveAbort, opbPromotion, opbWake, opbAwake,
  opbInstallRole, opbMergeUnion, opbTrimOrder, opbRestartReports, opbJoinAck,
];

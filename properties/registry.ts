/** Every property `replisim run` checks, in report order. Add new checkers here. */
import { anomalies } from './anomalies.js';
import { availabilityProperty } from './availability.js';
import { linearizability } from './linearizable.js';
import { convergenceProperty } from './convergence.js';
import { liveness, retriesAnswered } from './liveness.js';
import { noFailure } from './no-failure.js';
import { opbProperties } from './opb-all.js';
import { smartLivenessProperties } from './smart-liveness.js';
import { smartLoggedProposal } from './smart-log.js';
import { smartProgress } from './smart-progress.js';
import { smartLeaderReplies } from './smart-leader-replies.js';
import { smartFreshOnce } from './smart-fresh-once.js';
import { smartFinishedFetch } from './smart-finished-fetch.js';
import { smartCfgTable } from './smart-cfg-table.js';
import { smartIncremental } from './smart-incremental.js';
import { smartFollowerRedirects } from './smart-follower-redirects.js';
import { smartJoinRequests } from './smart-join-requests.js';
import { smartBallotOwner } from './smart-ballot-owner.js';
import { smartStartingState } from './smart-starting-state.js';
import { smartCalm } from './smart-calm.js';
import { smartDecided } from './smart-decided.js';
import { smartFetch } from './smart-fetch.js';
import { smartFetchPreferred } from './smart-fetch-preferred.js';
import { smartPreempt } from './smart-preempt.js';
import { smartElectBehindJoin } from './smart-elect-behind-join.js';
import { smartLeaderAnswers } from './smart-leader-answers.js';
import { smartHeartbeatAnswer } from './smart-heartbeat-answer.js';
import { smartHeldOnce } from './smart-held-once.js';
import { smartNewConfigAtOnce } from './smart-new-config-at-once.js';
import { smartExecutesLearned } from './smart-executes-learned.js';
import { smartFetchBehind } from './smart-fetch-behind.js';
import { smartReadyColocated } from './smart-ready-colocated.js';
import { smartRoleFacts } from './smart-role-facts.js';
import { smartCheckpointInterval } from './smart-checkpoint-interval.js';
import { smartCheckpointPause } from './smart-checkpoint-pause.js';
import { smartRepository } from './smart-repository.js';
import { smartRetired } from './smart-retired.js';
import { smartSafetyProperties } from './smart-safety.js';
import { smartLeaderStability } from './smart-stability.js';
import { smartFirstTimeout } from './smart-first-timeout.js';
import { appliesTo, checkProperty, type Property, type Verdict } from './types.js';
import type { RunRecord } from '../simulator/run-record.js';

export const properties: readonly Property[] = [noFailure, linearizability, liveness,
  retriesAnswered, convergenceProperty, availabilityProperty, anomalies,
  ...smartSafetyProperties, ...smartLivenessProperties, smartLeaderStability, smartProgress,
  smartFreshOnce, smartLeaderReplies, smartLoggedProposal, smartRetired, smartFinishedFetch,
  smartCfgTable, smartIncremental, smartFollowerRedirects, smartRepository, smartJoinRequests,
  smartStartingState, smartCheckpointPause, smartCheckpointInterval, smartCalm, smartFetch,
  smartFetchPreferred, smartPreempt, smartDecided, smartElectBehindJoin, smartLeaderAnswers,
  smartHeldOnce, smartRoleFacts, smartHeartbeatAnswer, smartFetchBehind, smartReadyColocated,
  smartNewConfigAtOnce, smartBallotOwner, smartExecutesLearned, smartFirstTimeout,
  ...opbProperties];

/** Checks every applicable property; a checker that throws is reported as a failed verdict. */
export function checkRun(run: RunRecord): Verdict[] {
  return properties.filter((p) => appliesTo(p, run.protocol)).map((p) => {
    try {
      return checkProperty(p, run);
    } catch (error) {
      return { property: p.name, status: 'fail' as const,
        message: `checker error: ${(error as Error).message}` };
    }
  });
}

/** SMART's mutants: each flag turns off one piece of the real protocol where it runs. */
import type { MutantInfo } from '../types.js';
import type { Flags } from './types.js';

export const smartMutants: readonly MutantInfo[] = [
  {
    name: 'smart:no-alpha-check',
    description: 'the leader ignores the α window s <= lastExec + α (P1.10 #15)',
  },
  { name: 'smart:minority-quorum', description: 'quorums are floor(n/2) instead of a majority' },
  {
    name: 'smart:leader-amnesia',
    description: 'a recovered leader resumes its old ballot, forgetting its proposals (#7)',
  },
  {
    name: 'smart:retire-early',
    description: 'a replica retires as soon as its range is executed, before establishment',
  },
  {
    name: 'smart:no-null-fill',
    description: 'the leader never fills the rest of a closed range with null requests (#6)',
  },
  {
    name: 'smart:latest-config-only',
    description: 'the replicated state keeps only the newest configuration (#4)',
  },
  {
    name: 'smart:no-reply-cache',
    description: 'a duplicate request executes again instead of hitting the reply cache (#14)',
  },
  {
    name: 'smart:poll-ignores-accepted',
    description: 'a new leader re-proposes only values it knows were decided',
  },
  {
    name: 'smart:ack-before-persist',
    description: 'a follower sends LOGGED before its log write reaches the disk',
  },
  {
    name: 'smart:half-quorum',
    description: 'quorums are ceil(n/2): a majority for odd sizes, only half for even ones',
  },
  {
    name: 'smart:heartbeat-stops',
    description: 'a leader never re-arms its heartbeat timer: it beats once, then stays silent',
  },
  {
    name: 'smart:repo-forgets',
    description: 'the configuration repository stores no write: a client back from a long ' +
      'disconnection is sent to retired machines (P1.6 step 12)',
  },
  {
    name: 'smart:write-unestablished',
    description: 'a leader writes its configuration to the repository before it is ' +
      'established: clients may be sent to one a quorum cannot serve yet (P1.6 step 12)',
  },
  {
    name: 'smart:repo-silent',
    description: 'no leader ever writes its configuration to the repository: a client back ' +
      'from a long disconnection finds nothing newer there (P1.6 step 12)',
  },
  {
    name: 'smart:repo-no-defunct',
    description: 'a leader that reads an older configuration back from the repository does ' +
      'not declare it defunct to its replicas (P1.6 step 12)',
  },
  {
    name: 'smart:finished-no-join',
    description: 'a machine that gets FINISHED for a configuration it has not joined does not ' +
      'ask for the JOIN data (P1.6 step 10: FINISHED is what guarantees a quorum joins)',
  },
  {
    name: 'smart:propose-without-state',
    description: 'the leader of a new configuration proposes before its machine holds the ' +
      'configuration\'s starting state (P1.6 step 5)',
  },
  {
    name: 'smart:checkpoint-no-pause',
    description: 'execution goes on while a checkpoint is being saved, so the cost model\'s ' +
      'checkpoint time delays nothing (P1.4 step 7)',
  },
  {
    name: 'smart:drop-at-candidate',
    description: 'a candidate, or a replica that knows no leader, drops a client request instead ' +
      'of holding it for the election\'s winner: the client waits out its timeout (P1.4 step 1)',
  },
  {
    name: 'smart:checkpoint-every-slot',
    description: 'the execution module saves a checkpoint after every slot, not every ' +
      'checkpointEvery requests (P1.4): a save, and with the cost model a pause, per slot',
  },
  {
    name: 'smart:fetch-from-all',
    description: 'with fetchRetryUs set, a new member still asks every source of its starting ' +
      'state at once instead of one at a time (P1.6 step 5, our fetch rule)',
  },
  {
    name: 'smart:no-preferred-source',
    description: 'with fetchRetryUs set, no source of a starting state is preferred: a new ' +
      'member asks nobody at its first reason, then fetchRetryUs later whoever gives the next ' +
      '(P1.6 step 5, our fetch rule; Stryker #4492 of the seed-37 sample)',
  },
  {
    name: 'smart:no-preempt',
    description: 'a follower that knows no leader ignores an ELECT below its promise instead of ' +
      'answering PREEMPT: the refused candidate waits out its timer',
  },
  {
    name: 'smart:preempt-anytime',
    description: 'every PREEMPT restarts the election above its ballot, even at a follower ' +
      'that no longer campaigns or a candidate already above it: a late PREEMPT deposes a leader',
  },
  {
    name: 'smart:note-before-persist',
    description: 'a follower\'s CKPT-NOTE that can raise the stable index leaves before its ' +
      'checkpoint is on disk: the leader truncates and admits slots against a checkpoint a ' +
      'crash would lose',
  },
  {
    name: 'smart:keep-acks',
    description: 'a leader keeps a slot\'s acknowledgement records after deciding it, so it ' +
      're-sends PROPOSE for decided slots until they are truncated',
  },
  {
    name: 'smart:no-cached-answer',
    description: 'a leader executing a request decided twice answers nothing from its reply ' +
      'cache: a client whose first answer was lost waits out a request timeout (P1.4 step 5)',
  },
  {
    name: 'smart:no-elect-behind-join',
    description: 'a candidate answering a member\'s JOIN-REQUEST does not send its ELECT again ' +
      'behind the JOIN: an election whose quorum needs that member stalls a leader timeout',
  },
  {
    name: 'smart:hold-retries',
    description: 'a candidate or leaderless follower holds every retry of a request again: the ' +
      'client gets one REDIRECT per copy, and copies crowd the bounded held list',
  },
  {
    name: 'smart:newer-holds-silently',
    description: 'a leaderless newest replica holds a request even when an older replica here ' +
      'leads a full range: the client is not told the newest configuration (P1.6 step 4)',
  },
  {
    name: 'smart:role-on-every-follow',
    description: 'every follow reports a `role: follower` step-down, also from nodes that never ' +
      'led: a false account of leadership',
  },
  {
    name: 'smart:fetch-every-beat',
    description: 'a follower asks its leader for state at every HEARTBEAT, not only when it ' +
      'lacks the decision after its last executed slot (Stryker #6205 of the seed-39 sample)',
  },
  {
    name: 'smart:note-always-writes',
    description: 'a follower writes to disk before every CKPT-NOTE, also one that cannot raise ' +
      'the stable index (Stryker #6220 of the seed-39 sample)',
  },
  {
    name: 'smart:preempt-from-anyone',
    description: 'candidates and followers of a live leader answer an ELECT below their promise ' +
      'with PREEMPT too, where they should stay silent (Stryker #6252 of the seed-39 sample)',
  },
  {
    name: 'smart:fetch-while-caught-up',
    description: 'a leader elected behind a cohort keeps asking it for state at every ' +
      'heartbeat after it caught up (Stryker #5132 of the seed-39 sample)',
  },
  {
    name: 'smart:no-self-ready',
    description: 'a machine running a finished replica and its successor never sends itself ' +
      'READY: retirement waits for a quorum of the others (P1.6 steps 7 and 9; Stryker #5689 ' +
      'of the seed-39 sample)',
  },
  {
    name: 'smart:ignore-preempt',
    description: 'a candidate refused by PREEMPT does not campaign again above it at once: it ' +
      'waits for its election timeout (docs/smart.md P1.5; Stryker #4805 of the seed-41 sample)',
  },
  {
    name: 'smart:forget-held',
    description: 'a follower that hears of a leader drops the requests it held instead of ' +
      'redirecting them: the clients wait out their timeouts (P1.4 step 1; Stryker #6138 of the ' +
      'seed-41 sample)',
  },
  {
    name: 'smart:stale-cached-answer',
    description: 'the leader answers a late copy of a client\'s older request with the cached ' +
      'result of its newer one (Stryker #5250 of the seed-41 sample)',
  },
  {
    name: 'smart:fetch-at-catch-point',
    description: 'a leader elected behind a cohort keeps asking it for state while it has ' +
      'executed exactly what the cohort reported (Stryker #5227 of the seed-41 sample)',
  },
  {
    name: 'smart:ask-unpreferred-at-once',
    description: 'with fetchRetryUs, a machine lacking its starting state asks a source that is ' +
      'not preferred (its leader, a departing machine) at its first reason, without waiting ' +
      'fetchRetryUs for a preferred one (Stryker #4777 of the seed-43 sample)',
  },
  {
    name: 'smart:truncate-past-checkpoint',
    description: 'a follower truncates its log up to the larger of the stable index and its own ' +
      'checkpoint: a lagging one\'s vote then starts a new leader past slots that only logs of ' +
      'the live quorum hold (Stryker #6384 of the seed-43 sample)',
  },
  {
    name: 'smart:new-config-on-resend',
    description: 'a machine that holds a request while an older replica here leads a full ' +
      'range tells the client NEW-CONFIGURATION only when a resend finds it already held, not ' +
      'when first held: one request timeout later (P1.6 step 4; Stryker #5734 of the seed-45 ' +
      'sample)',
  },
  {
    name: 'smart:poll-last-voter',
    description: 'a new leader re-proposes, per slot, the value of the last voter (in name ' +
      'order) that reported one instead of the highest ballot\'s (Stryker #5059 of the seed-47 ' +
      'sample)',
  },
  {
    name: 'smart:heartbeat-fetch-at-once',
    description: 'with fetchRetryUs, a follower lacking its starting state takes its leader for ' +
      'a preferred source: at a heartbeat whose commit is above its execution it asks the ' +
      'leader at once instead of waiting fetchRetryUs for a preferred one (Stryker #6531 of ' +
      'the seed-48 sample)',
  },
  {
    name: 'smart:stale-preempt',
    description: 'a candidate acts on a stale PREEMPT (at or below its ballot) too: it ' +
      'campaigns again one round up, dropping the votes it had (P1.5; Stryker #5005 of the ' +
      'seed-48 sample)',
  },
  {
    name: 'smart:ballots-without-index',
    description: 'every machine takes index 0 in its ballots, so ballots no longer name their ' +
      'machine (P1.2; Stryker #5903 of the seed-49 sample)',
  },
  {
    name: 'smart:lacks-state-past-first',
    description: 'a follower that executed slot first-1 or first of its configuration still ' +
      'counts as lacking its starting state: with fetchRetryUs, a heartbeat showing it behind ' +
      'only starts the wait, and it asks its leader fetchRetryUs late (P1.6 step 5; Stryker ' +
      '#5187 of the seed-49 sample)',
  },
  {
    name: 'smart:elect-cap-counts-others',
    description: 'the cap of three ELECTs behind JOINs per member counts those sent to the ' +
      'other members: a lone newcomer whose JOINs are lost gets one behind every JOIN-REQUEST ' +
      '(P1.7; Stryker #6292 of the seed-49 sample)',
  },
  {
    name: 'smart:reask-kept-across-ballots',
    description: 'a candidate that campaigns again keeps its old ballot\'s ELECTs behind JOINs: ' +
      'the cap is per candidacy, not per member and ballot (P1.7; Stryker #7025 of the seed-49 ' +
      'sample)',
  },
  {
    name: 'smart:restart-forgets-decided',
    description: 'a restarted machine does not re-learn the decided entries of its own ' +
      'persisted log, and DECIDED or DECIDED-RANGE for those slots is then ignored: it stays at ' +
      'its checkpoint until a full state copy comes (P1.1, P1.5; Stryker #5986 of the seed-49 ' +
      'sample)',
  },
  {
    name: 'smart:reask-forgotten-at-vote',
    description: 'a candidate forgets, at every vote it counts, which members it already sent ' +
      'an ELECT again behind a JOIN: a member still asking after a vote draws three more, past ' +
      'the cap of 1 + 3 per ballot (P1.7; Stryker #7056 of the seed-50 sample)',
  },
  {
    name: 'smart:truncation-keeps-cut',
    description: 'a replica truncating its log up to a stable checkpoint keeps the entry at ' +
      'the cut itself, and its next vote reports a slot at its own truncation (P1.4 step 6; ' +
      'Stryker #7260 and #7273 of the seed-51 sample)',
  },
  {
    name: 'smart:redirect-every-queue',
    description: 'when one step fills the ranges of two local leaders that both queued a ' +
      'request (an older one that held it while campaigning, a newer one that held its ' +
      'retry), each sends the client NEW-CONFIGURATION for it, even after it was answered ' +
      '(the protocol before the fix of explore trial 1630420 of smart-join-request-forgotten)',
  },
  {
    name: 'smart:stagger-subtracted',
    description: "a new replica's first election timeout subtracts its rank's stagger instead " +
      'of adding it, so later members campaign sooner, rank 3 and up at once (P1.5; Stryker ' +
      '#6764 of the seed-54 sample)',
  },
  {
    name: 'smart:answered-by-seq',
    description: 'a machine takes a reply of the same sequence number to any client for the ' +
      'request\'s answer in this step, so a queued client whose number another client was ' +
      'answered in the step learns of the new configuration only at its timeout (P1.6 step 4; ' +
      'Stryker #6992 of the seed-54 sample)',
  },
];

export function flagsOf(mutant: string | null): Flags {
  return {
    noAlphaCheck: mutant === 'smart:no-alpha-check',
    minorityQuorum: mutant === 'smart:minority-quorum',
    leaderAmnesia: mutant === 'smart:leader-amnesia',
    retireEarly: mutant === 'smart:retire-early',
    noNullFill: mutant === 'smart:no-null-fill',
    latestConfigOnly: mutant === 'smart:latest-config-only',
    noReplyCache: mutant === 'smart:no-reply-cache',
    pollIgnoresAccepted: mutant === 'smart:poll-ignores-accepted',
    ackBeforePersist: mutant === 'smart:ack-before-persist',
    halfQuorum: mutant === 'smart:half-quorum',
    heartbeatStops: mutant === 'smart:heartbeat-stops',
    truncationKeepsCut: mutant === 'smart:truncation-keeps-cut',
    repoForgets: mutant === 'smart:repo-forgets',
    writeUnestablished: mutant === 'smart:write-unestablished',
    repoSilent: mutant === 'smart:repo-silent',
    repoNoDefunct: mutant === 'smart:repo-no-defunct',
    finishedNoJoin: mutant === 'smart:finished-no-join',
    proposeWithoutState: mutant === 'smart:propose-without-state',
    checkpointNoPause: mutant === 'smart:checkpoint-no-pause',
    dropAtCandidate: mutant === 'smart:drop-at-candidate',
    checkpointEverySlot: mutant === 'smart:checkpoint-every-slot',
    fetchFromAll: mutant === 'smart:fetch-from-all',
    noPreferredSource: mutant === 'smart:no-preferred-source',
    noPreempt: mutant === 'smart:no-preempt',
    preemptAnytime: mutant === 'smart:preempt-anytime',
    noteBeforePersist: mutant === 'smart:note-before-persist',
    keepAcks: mutant === 'smart:keep-acks',
    noCachedAnswer: mutant === 'smart:no-cached-answer',
    noElectBehindJoin: mutant === 'smart:no-elect-behind-join',
    holdRetries: mutant === 'smart:hold-retries',
    newerHoldsSilently: mutant === 'smart:newer-holds-silently',
    roleOnEveryFollow: mutant === 'smart:role-on-every-follow',
    fetchEveryBeat: mutant === 'smart:fetch-every-beat',
    noteAlwaysWrites: mutant === 'smart:note-always-writes',
    preemptFromAnyone: mutant === 'smart:preempt-from-anyone',
    fetchWhileCaughtUp: mutant === 'smart:fetch-while-caught-up',
    noSelfReady: mutant === 'smart:no-self-ready',
    ignorePreempt: mutant === 'smart:ignore-preempt',
    forgetHeld: mutant === 'smart:forget-held',
    staleCachedAnswer: mutant === 'smart:stale-cached-answer',
    fetchAtCatchPoint: mutant === 'smart:fetch-at-catch-point',
    askUnpreferredAtOnce: mutant === 'smart:ask-unpreferred-at-once',
    truncatePastCheckpoint: mutant === 'smart:truncate-past-checkpoint',
    newConfigOnResend: mutant === 'smart:new-config-on-resend',
    pollLastVoter: mutant === 'smart:poll-last-voter',
    heartbeatFetchAtOnce: mutant === 'smart:heartbeat-fetch-at-once',
    stalePreempt: mutant === 'smart:stale-preempt',
    ballotsWithoutIndex: mutant === 'smart:ballots-without-index',
    lacksStatePastFirst: mutant === 'smart:lacks-state-past-first',
    electCapCountsOthers: mutant === 'smart:elect-cap-counts-others',
    reaskKeptAcrossBallots: mutant === 'smart:reask-kept-across-ballots',
    restartForgetsDecided: mutant === 'smart:restart-forgets-decided',
    reaskForgottenAtVote: mutant === 'smart:reask-forgotten-at-vote',
    redirectEveryQueue: mutant === 'smart:redirect-every-queue',
    staggerSubtracted: mutant === 'smart:stagger-subtracted',
    answeredBySeq: mutant === 'smart:answered-by-seq',
  };
}

/**
 * A campaign: a fixed, deterministic list of checked runs (built-in scenario × seed) followed by a
 * fixed number of explore trials, stopped at the first violated property. Nothing in it depends on
 * wall-clock time, so its verdict on a protocol (or a mutant of it) is the same on every machine.
 * It is what `replisim campaign` runs and what `npm run mutation` uses to kill mutants: the
 * campaign's strength is the share of mutants it catches.
 */
import fc from 'fast-check';
import { COMMON_FIELDS, readCommon } from '../properties/observed.js';
import { happenedEvents, type SometimesEvent } from '../properties/sometimes.js';
import type { RunRecord } from '../simulator/run-record.js';
import { isQuiet, responsivenessViolation } from './campaign-responsive.js';
import { ScenarioError } from './errors.js';
import { applySchedule } from './generator.js';
import { trialArb } from './explore.js';
import { builtinScenarioNames, loadScenario } from './load.js';
import { runChecked, type CheckedRun } from './runner.js';

export interface CampaignDefinition {
  /**
   * Checked runs, in order: cheap, high-yield runs first, since the campaign stops early.
   * `forces`: events (properties/sometimes.ts) the scenario makes happen in every run, whatever
   * the seed (`campaign-forced`); not its `sometimes` list, which may need many seeds.
   */
  readonly runs: readonly { readonly scenario: string; readonly seeds: readonly number[];
    readonly forces?: readonly SometimesEvent[];
    /** Keep the message record, for the checks that read it (e.g. smart-leader-replies). */
    readonly trace?: true }[];
  /** Explore trials: trial t runs scenario `exploreScenarios[t mod n]` with seed exploreSeed+t. */
  readonly exploreTrials: number;
  readonly exploreSeed: number;
  readonly exploreScenarios: readonly string[];
}

export type CampaignStep =
  | { readonly kind: 'run'; readonly scenario: string; readonly seed: number;
    readonly trace?: true }
  | { readonly kind: 'explore'; readonly scenario: string; readonly seed: number };

const seeds = (...s: number[]): readonly number[] => s;

/**
 * SMART's runs of the scenario list below that keep their message record. Each scenario+seed
 * runs once: a run with its record is judged by every check a plain run is, and more, so a
 * plain run of it earlier would only repeat work (about 1.2 CPU-s of SMART's campaign).
 * smart-lossy, for smart-incremental-transfer: lossy links leave followers a few slots behind a
 * leader that checkpointed in between, and they ask it for state (mutation #5916 of the
 * seed-13 sample: such a follower got a full copy). smart-extended-disconnection, for
 * smart-repository: a client back from a long disconnection knows only crashed machines and
 * must find the service through the repository, which answers from what was written to it
 * (mutations #5076 and #5581 of the seed-19 sample: a repository that stores no write and
 * answers no write, so only these answers show it).
 */
const traced: ReadonlySet<string> = new Set(['smart-lossy', 'smart-extended-disconnection']);

/**
 * The built-in campaigns. Chosen by measuring which runs catch the declared mutants and the
 * Stryker mutants of protocol/smart and protocol/optimistic per CPU-second (see mutation/
 * survivors.md): every scenario once (each exercises a different path), the scenarios that
 * catch declared mutants on their catching seeds, then swarm trials for what no scenario aims at.
 */
export const campaigns: Readonly<Record<string, CampaignDefinition>> = {
  smart: {
    runs: [
      { scenario: 'smart-steady', seeds: seeds(0) },
      { scenario: 'smart-minority-partition', seeds: seeds(0) },
      { scenario: 'smart-leader-crash', seeds: seeds(0) },
      { scenario: 'smart-slow-disk', seeds: seeds(0) },
      // Forced: shown on seeds 0-29 unmutated (so are the forces listed below).
      { scenario: 'smart-null-fill-deadlock', seeds: seeds(0),
        forces: ['leader-change', 'migration', 'checkpoint', 'state-transfer', 'truncation'] },
      // With its message record, for smart-finished-fetch: every new member lacks its starting
      // state when the first FINISHED arrives (zero overlap; mutation #4303 of the seed-13
      // sample); smart-repository judges its configuration repository r1 there too.
      { scenario: 'smart-migrate-disjoint', seeds: seeds(0), trace: true },
      { scenario: 'smart-migrate-consecutive', seeds: seeds(0) },
      { scenario: 'smart-duplicate-across-configs', seeds: seeds(0) },
      { scenario: 'smart-leader-churn', seeds: seeds(0) },
      { scenario: 'smart-leader-amnesia', seeds: seeds(0) },
      { scenario: 'smart-alpha-boundary', seeds: seeds(0) },
      ...[
        'smart-majority-partition', 'smart-lossy', 'smart-pause-skew', 'smart-follower-restart',
        'smart-nonleader-disconnect', 'smart-log-gc', 'smart-lost-joins', 'smart-migrate-chain',
        'smart-migrate-grow', 'smart-migrate-leader-change', 'smart-migrate-replace-one',
        'smart-migrate-same-set', 'smart-migrate-shrink', 'smart-redirect-non-immediate',
        'smart-repository', 'smart-shared-em-past-last-slot', 'smart-state-source-vanishes',
        'smart-unaware-leader', 'smart-window-vulnerability', 'smart-extended-disconnection',
        'smart-repeated-migrations', 'smart-multiple-poll',
      ].map((scenario) => ({ scenario, seeds: seeds(0),
        ...(traced.has(scenario) ? { trace: true as const } : {}) })),
      { scenario: 'smart-even-partition', seeds: seeds(0) },
      // Two ballots propose different commands for one slot (seed 0 does; not every seed).
      { scenario: 'smart-propose-minority', seeds: seeds(0) },
      // A client back from a partition knows only retired machines (mutation #4753).
      { scenario: 'smart-retired-redirect', seeds: seeds(0) },
      // With its message record (added for smart-leader-replies, which now reads the reply
      // facts of every run; kept so the step numbers of earlier kills stay valid).
      { scenario: 'smart-steady', seeds: seeds(1), trace: true },
      // Clients queued at a leader whose range is full and who cannot retire (mutation #4260).
      { scenario: 'smart-flush-cut-leader', seeds: seeds(0) },
      // A candidate refused for a higher promise nobody leads (PREEMPT; mutations #4309, #5779).
      // With its message record, for smart-preempt: a leaderless follower must answer an ELECT
      // below its promise with PREEMPT (mutation #6045 of the seed-31 sample: candidates
      // answered instead, and the refused candidate waited out its timer).
      { scenario: 'smart-preempt-race', seeds: seeds(0), trace: true },
      // The cost model, streamed state copies and checkpoints that pause execution for their
      // size: the paths that weigh a checkpoint run only here (mutation #6050 of the seed-19
      // sample: a cached put's absent value read as a string threw in checkpointBytes). With
      // its message record, for smart-repository: the new configuration's leader is elected
      // long before a quorum holds the streamed state, and its repository timer fires in
      // between (mutation #5571: a leader that writes before establishment).
      { scenario: 'smart-costed-migration', seeds: seeds(0), trace: true },
      // With its message record, for smart-join-requests: a new member that has not joined yet
      // gets FINISHED and must ask for the JOIN data (mutation #5224 of the seed-23 sample:
      // FINISHED unanswered; the other runs' heartbeats hid it).
      { scenario: 'smart-flush-cut-leader', seeds: seeds(1), trace: true },
      // Checkpoints rarer than the log allows: only the checkpoint the log-size rule forces
      // keeps the leader proposing (mutation #4128 of the seed-29 sample: it stopped at slot 14).
      { scenario: 'smart-sparse-checkpoints', seeds: seeds(0) },
      // The new configuration's leader misses every FINISHED and state copy: it must fetch its
      // starting state from a cohort once the predecessors are gone (mutation #4890 of the
      // seed-29 sample: it never fetched and never proposed).
      { scenario: 'smart-leader-fetches-from-cohort', seeds: seeds(0) },
      // The same race with every PREEMPT of the fault window delivered 1.8 s late, into the calm
      // stretch after the heal: only a candidate below the PREEMPT's ballot may act on it
      // (smart-leader-stability; mutation #4559 of the seed-33 sample campaigned on every
      // PREEMPT and deposed the healthy leader).
      { scenario: 'smart-late-preempt', seeds: seeds(0) },
      // With one member down, the other follower's slow disk decides the stable index: its
      // CKPT-NOTE must wait for its checkpoint write (smart-log-bound, S9; mutation #6042 of the
      // seed-33 sample sent it at once, and the leader ran past MaximumLogSize).
      { scenario: 'smart-ckpt-note-slow-disk', seeds: seeds(0) },
      // With its message record, for smart-elect-behind-join: the new configuration's candidate
      // n1 is asked for JOIN by both newcomers its ELECT reached first, and a quorum needs one
      // of them (mutation #5529 of the seed-35 sample re-sent no ELECT: a 200 ms stall).
      { scenario: 'smart-elect-behind-join', seeds: seeds(0), trace: true },
      // A leaderless newer replica holds a request while an older replica here leads a full
      // range: the client must be told the newest configuration at once (explore seed 680149;
      // mutation #5410 of the seed-35 sample never told it: smart-progress-quorum).
      { scenario: 'smart-newer-replica-holds', seeds: seeds(0) },
      // With its message record, for smart-fetch-preferred: a new member lacking its starting
      // state asks a member that does not lead at its first FINISHED (mutation #4492 of the
      // seed-37 sample preferred no source and asked fetchRetryUs late).
      { scenario: 'smart-leader-fetch-once', seeds: seeds(0), trace: true },
      // A machine paused through a run of migrations asks, on resuming, for JOIN data of
      // configurations the others retired and collected (mutation #5547 of the seed-37 sample
      // threw there: no-assertion-failure).
      { scenario: 'smart-join-request-forgotten', seeds: seeds(0) },
      // With its message record, for smart-preempt's silent side: duplicated ELECTs reach
      // followers of a live leader, which must not answer them with PREEMPT (mutation #6252 of
      // the seed-39 sample answered from every role).
      { scenario: 'smart-preempt-dup', seeds: seeds(1), trace: true },
      // With its message record, for smart-fetch-behind: the clients stop before the old leader
      // returns, so it catches up to exactly its voter's point and must stop asking (mutation
      // #5227 of the seed-41 sample asked every heartbeat; smart:fetch-at-catch-point).
      { scenario: 'smart-idle-catch-up', seeds: seeds(0), trace: true },
      // n1 and n2 crash while n1's newest checkpoint is still being written; the lagging n3
      // must have kept its log above its own checkpoint, or its vote starts n1's new
      // leadership past slots nobody alive holds (smart-progress-quorum;
      // smart:truncate-past-checkpoint, Stryker #6384 of the seed-43 sample).
      { scenario: 'smart-lost-leader-checkpoint', seeds: seeds(0) },
      // n4 alone holds a decided value at a higher ballot among the voters of the next leader,
      // named between two that hold n1's older proposal: the new leader must re-propose the
      // highest ballot's value (smart-logged-proposal; smart:poll-last-voter, Stryker #5059 of
      // the seed-47 sample).
      { scenario: 'smart-poll-last-voter', seeds: seeds(0) },
      // A newcomer whose one preferred source's FINISHED is lost hears only of sources that are
      // not preferred, its leader's heartbeats among them: it must wait fetchRetryUs before
      // asking the leader (smart-fetch-preferred; smart:heartbeat-fetch-at-once, Stryker #6531
      // of the seed-48 sample).
      { scenario: 'smart-heartbeat-fetch-waits', seeds: seeds(0), trace: true },
      // Three leaderless followers refuse the old leader's ELECT with PREEMPT; its votes are
      // slowed, so the second and third reach it as a candidate above them: at or below its
      // ballot, they must change nothing (smart-preempt's stale side; smart:stale-preempt,
      // Stryker #5005 of the seed-48 sample, campaigned again one round up at each).
      { scenario: 'smart-stale-preempt', seeds: seeds(0), trace: true },
      // With its record: smart-heartbeat-answer's side that asks. The newcomer holds its
      // starting state but gets no DECIDED, so each heartbeat must make it ask the leader at
      // once (smart:lacks-state-past-first, Stryker #5187 of the seed-49 sample, waited).
      { scenario: 'smart-newcomer-decisions-lost', seeds: seeds(0), trace: true },
      // With its message record, for both sides of smart-elect-behind-join: n5 is down and every
      // JOIN to n4 is lost over two of n1's ballots, so n1 asks n4 again behind JOINs at most
      // three times per ballot, and again at its second ballot (smart:elect-cap-counts-others,
      // Stryker #6292 of the seed-49 sample, never stopped; smart:reask-kept-across-ballots,
      // Stryker #7025, asked nothing at the second ballot).
      { scenario: 'smart-elect-behind-lost-join', seeds: seeds(0), trace: true },
      // With its message record, smart-elect-behind-join's cap with a vote counted between the
      // re-asks: n5's vote reaches n1 at 300 ms while n4's JOINs are still lost
      // (smart:reask-forgotten-at-vote, Stryker #7056 of the seed-50 sample, sent n4 7 ELECTs).
      { scenario: 'smart-elect-behind-vote', seeds: seeds(0), trace: true },
      // An election under the cost model, its POLL-REPLYs carrying the voters' logs: sizes the
      // cost model charges must be positive (Stryker #7242 of the seed-52 sample shrank a vote
      // with each entry, to -973 bytes on seed 0, the sender's assertion).
      { scenario: 'smart-costed-leader-crash', seeds: seeds(0) },
      // Explore trial 1630420 of smart-join-request-forgotten as a fixed schedule: n1's leaders of
      // configurations 12 and 13 both queue the operator's requests, and one step fills both
      // ranges; each request is answered at most once (smart-redirect-once;
      // smart:redirect-every-queue).
      { scenario: 'smart-two-leaders-one-request', seeds: seeds(1630420) },
    ],
    exploreTrials: 12,
    exploreSeed: 0,
    exploreScenarios: ['smart-steady', 'smart-migrate-replace-one', 'smart-leader-crash',
      'smart-log-gc'],
  },
  opb: {
    runs: [
      { scenario: 'opb-partition-halves', seeds: seeds(0) },
      { scenario: 'opb-three-way', seeds: seeds(0) },
      { scenario: 'opb-recovering-top', seeds: seeds(0) },
      // With its message record: opb-failover times the failover (opb:relay-age-zero, #3711).
      { scenario: 'opb-primary-crash', seeds: seeds(0), trace: true },
      // The spike hands the primary role off (a migration too, but not on every seed).
      // With its message record: opb-move-budget, one load move per node and window
      // (opb:no-move-budget, #1584).
      { scenario: 'opb-spike', seeds: seeds(0), forces: ['leader-change'], trace: true },
      // Night consolidation gathers backups onto fuller nodes (migrations), seeds 0-29. With its
      // message record: opb-wake-asked, a node put to sleep wakes only when asked
      // (opb:wake-on-tick, mutation #1617 of the seed-41 sample woke every sleeper at its tick).
      { scenario: 'opb-diurnal', seeds: seeds(0),
        forces: ['leader-change', 'migration', 'power-off'], trace: true },
      ...['opb-steady', 'opb-zone-disasters', 'opb-majority-dcs-down', 'opb-asymmetric',
        'opb-corruption'].map((scenario) => ({ scenario, seeds: seeds(0) })),
      { scenario: 'opb-partition-halves', seeds: seeds(1, 2) },
      { scenario: 'opb-three-way', seeds: seeds(1, 2) },
      { scenario: 'opb-slow-disk', seeds: seeds(0) },
      { scenario: 'opb-checkpoint-split', seeds: seeds(0), forces: ['leader-change', 'migration',
        'reconciliation', 'checkpoint', 'state-transfer', 'truncation'] },
      // A second corruption pattern, with an epoch reset (seed 0 has none).
      { scenario: 'opb-corruption', seeds: seeds(1) },
      // Forks healed under discard: lost-write notices and C6's excuse for them. With its
      // message record, for opb-orphans: two losers install the winner's transfer with a fork
      // at 40, and re-submit only what follows it (mutation #1087: fork point always 0).
      { scenario: 'opb-three-way-discard', seeds: seeds(0), trace: true },
      // A failover under checkpoints every few entries: truncation goes on at the new primary
      // while clients retry writes the old one executed (opb-log-bound).
      { scenario: 'opb-failover-truncate', seeds: seeds(0),
        forces: ['leader-change', 'checkpoint', 'truncation'] },
      // Lost HANDOFFs: the successor learns its rank from heartbeats (a deadlock otherwise).
      { scenario: 'opb-lost-handoff', seeds: seeds(0), forces: ['leader-change'] },
      // A backup back from a crash, holding the epoch of the primary still in charge.
      { scenario: 'opb-backup-restart', seeds: seeds(0) },
      // Lost HANDOFFs and the predecessor's heartbeats to its successors: the successor
      // learns its rank from the other members' heartbeats (liveness otherwise).
      { scenario: 'opb-lost-handoff-silent', seeds: seeds(0) },
      // The primary crashes while a restarted backup, ranked below a lagging one, holds the
      // newest history: the freshest takes over (C4 per component otherwise).
      { scenario: 'opb-recovered-freshest', seeds: seeds(0) },
      // Explore's find (opb-primary-crash seed 28): a split DC and a crash under discard, w = 0.
      { scenario: 'opb-split-dc-crash', seeds: seeds(28) },
      // A failover while a backup's disk is slow: the new primary draws its first durable ack
      // with an empty update at its tip (explore seed 1623's path).
      { scenario: 'opb-failover-slow-backup', seeds: seeds(0) },
      // A quiet primary crashes with every member at its tip: relayed reports of it expire.
      { scenario: 'opb-quiet-primary-crash', seeds: seeds(0) },
      // A retransmission from a backup's position before a split, across its entries of the
      // other side's epoch: it must not append past the divergence (mutation #232).
      { scenario: 'opb-stale-catchup', seeds: seeds(0) },
      // Two primaries' claims meet only at a backup (the winner's messages to the loser are
      // lost): the loser must step down through its relays (opb-dominance; #610, #771).
      { scenario: 'opb-one-way-loser', seeds: seeds(0) },
      // Groups of four under the diurnal load, w = 2, discard, checkpoints every two entries and
      // delivery priorities (explore's find on mutant #1809: an older membership adopted from a
      // heartbeat; C3 on seed 0).
      { scenario: 'opb-diurnal-four', seeds: seeds(0) },
      // A claim made while the claimant's disk is slow, then a crash before it lands (explore
      // seed 7033): nothing may follow from the epoch before that (opb:claim-before-persist,
      // caught by opb-log-matching; seeds 0 and 1 miss the window, n5 executes nothing in it).
      { scenario: 'opb-claim-slow-disk', seeds: seeds(2) },
      // Two groups repair onto the same empty node at once: it takes one JOIN and refuses the
      // other, whose primary retries elsewhere (the refused move phase, mutation #3195). With
      // its message record, for opb-join-refusal: the refusing node must not end up hosting
      // the refused group anyway (mutation #3245 of the seed-19 sample).
      { scenario: 'opb-join-refused', seeds: seeds(0), forces: ['migration'], trace: true },
      // A stale primary's heartbeat of an older membership reaches a node that left its group:
      // the node must not host the service again under it (opb-no-resurrection, mutation #1274).
      { scenario: 'opb-stale-group-back', seeds: seeds(0) },
      // A loser outside the winner's group re-sends its orphans while the winner's primary
      // changes: it must follow the new primary from gossip (C6 under merge, mutation #107).
      { scenario: 'opb-orphans-redirect', seeds: seeds(0) },
      // Writes stop before a short split: the loser holds exactly the winner's tip, so no
      // update or transfer comes and the winner's heartbeat must reconcile it (C1, #203).
      { scenario: 'opb-quiet-split', seeds: seeds(0) },
      // Power saving racing with two zone disasters at night (P2.10 #8): the primaries keep
      // deciding whether to gather while members they cannot replace are gone (#464).
      { scenario: 'opb-night-disasters', seeds: seeds(0) },
      // A backup whose tip holds an orphan the winner re-executed at the same index, in another
      // epoch, while its transfer is lost: the request tag alone must not let it append (#248;
      // seeds 0 and 2-5 miss the window, new writes reach the winner before the orphans).
      { scenario: 'opb-orphan-tip', seeds: seeds(1) },
      // opb-quiet-split with the winner's heartbeats to the loser lost across the heal: the
      // loser adopts the winner's epoch from CLAIMs first, so only a heartbeat of the primary it
      // already follows can make it a backup (C1, mutation #203 of the seed-19 sample).
      { scenario: 'opb-quiet-split-claim', seeds: seeds(0) },
      // The operator hands s0's primary role over twice in a calm run: each named member must
      // lead (opb-operator-handoff; opb:ignore-operator, mutation #2354 of the seed-19 sample).
      { scenario: 'opb-operator-handoff', seeds: seeds(0) },
      // A crashed member whose healthy DC has another node, after a DC whose nodes come first in
      // topology order: the repair must stay in its DC (opb-repair-order, mutation #3312).
      { scenario: 'opb-repair-same-dc', seeds: seeds(0) },
      // Explore's find (opb-majority-dcs-down seed 60129): an amnesiac rejoins while one DC's
      // survivor serves alone; its claims must start above its forgotten epochs (mutation
      // #2345 of the seed-23 sample: the amnesia floor only at boot; C5 and C6 there). Its
      // placement repair at 2.75 s must make before it breaks: kept with its message record,
      // opb-repair-wait sees a live member dropped at once (opb:placement-break-first, #3575).
      { scenario: 'opb-amnesiac-reclaim', seeds: seeds(60129), trace: true },
      // A loser that stays a backup of its group keeps orphans whose first RESUBMIT was
      // dropped: it must re-send them to the primary it now follows (C6; mutation #2506 of the
      // seed-29 sample sent them to itself).
      { scenario: 'opb-orphans-member', seeds: seeds(0) },
      // The same, and the winner crashes while the losers' orphans are pending: their re-sends
      // must find a real target while they follow nobody (mutation #2513 of the seed-29 sample
      // addressed them to null).
      { scenario: 'opb-orphans-primary-crash', seeds: seeds(0) },
      // Reorganization off: the initial placement alone must give each group k members spread
      // over the zones (mutation #2796 of the seed-31 sample built groups of six, which repair
      // trimmed back to three in every other run).
      { scenario: 'opb-initial-placement', seeds: seeds(0) },
      // Both transfers to an empty new member dropped (explore seed 701307's regression): it must
      // get another transfer (mutation #3150 of the seed-31 sample sent none).
      { scenario: 'opb-lost-transfer-to-empty', seeds: seeds(701307) },
      // A member cut one way from its primary while clients are idle hears of it only through
      // relays (mutation #3633 of the seed-31 sample gave every relayed sighting a false age).
      { scenario: 'opb-asym-relay-idle', seeds: seeds(0) },
      // The sticky-primary option, which no other scenario or swarm draw turns on: the recovered
      // top-priority member must not get the role back (opb-handback; mutation #572 of the
      // seed-33 sample handed it back regardless).
      { scenario: 'opb-recovering-top-sticky', seeds: seeds(0) },
      // Service 0 spikes past what any other node could take: balancing may shed the other
      // services but must not hand s0 to a node it would push above Cmax (opb-c8-room;
      // mutation #418 of the seed-33 sample subtracted the service's load instead).
      { scenario: 'opb-balance-no-room', seeds: seeds(0) },
      // Every node far above Cmax while clients run: the handback to the recovered top member
      // must wait for room on its node (opb-c8-room; mutation #589 of the seed-31 sample handed
      // back at once).
      { scenario: 'opb-recovering-top-busy', seeds: seeds(0) },
      // Six groups corrupted at once, twice (a helper's find): seed 29 leaves a backup following
      // nobody above its primary's epoch (mutation #831 of the seed-33 sample relayed instead of
      // reporting it) and a primary naming no primary (#3796 kept it primary); C1, C2, C9.
      { scenario: 'opb-corruption-services', seeds: seeds(29) },
      // Power saving at exactly Lw (a helper's find): n10 hands s3's primary role away at 300‰
      // at t = 8.5 s under mutation #492 of the seed-37 sample; only below Lw is allowed
      // (opb-c8-gather-low; opb:gather-at-lw).
      { scenario: 'opb-diurnal', seeds: seeds(6) },
      // A bridge partition under balancing, k = 4 (a helper's explore find, trial 920038 of
      // opb-spike): on heal the loser n13, left out of the winner's membership, must leave s3
      // (opb-dominance; opb:keep-own-members, mutation #3824 of the seed-37 sample).
      { scenario: 'opb-bridge-loser-leaves', seeds: seeds(920038) },
      // A sticky group: n1 back from a crash, then n5 -> n1 cut one way while n9 keeps relaying
      // n5: n1 must not depose the healthy primary (opb-promotion, from the message record;
      // opb:promote-over-relayed, mutation #4025 of the seed-37 sample).
      { scenario: 'opb-one-way-relayed-primary', seeds: seeds(0), trace: true },
      // With its message record: n5 claims behind a slow disk while its notes to itself are
      // dropped; its next tick must ask again, or every later step waits behind a write
      // (opb-epoch-barrier; opb:synced-note-once, mutation #4176 of the seed-39 sample).
      { scenario: 'opb-lost-synced-note', seeds: seeds(0), trace: true },
      // Explore trial 3330 of opb-corruption as a fixed schedule: after the corruption n5 must
      // drop a claim above its own epoch and follow its primary again (C1; mutation #3967 of
      // the seed-39 sample kept it and n5 stayed reconciling to the end).
      { scenario: 'opb-corruption-pct', seeds: seeds(3330) },
      // With its message record: behind n1's slow disk its state transfers reach backups after
      // updates they have since acked; they must refuse them (P2.10 #10), or they drop acked
      // copies (opb-acks-kept; opb:install-stale-xfer, explore trial 43271 of
      // opb-balance-no-room). Seed 1: since the primary's re-send rule of explore trial 1110293
      // seed 0 no longer brings a stale transfer to a backup that acked past it. Since the stall
      // rules of explore trial 1710645 (n1 and n2 paused) no seed of 0-59 does either, and
      // opb-late-ack-below-checkpoint seed 191 below is the first step to catch the mutant.
      { scenario: 'opb-stale-transfer', seeds: seeds(1), trace: true },
      // Explore trial 811021 of opb-failover-truncate as a fixed schedule: n1 back with an empty
      // disk under steady writes must get the role back once caught up (opb-handback;
      // opb:handback-at-tick: the tick alone never finds its ack at the tip).
      { scenario: 'opb-handback-steady-writes', seeds: seeds(0) },
      // With its message record: behind a paused n3, a retry of an older request of c1 reaches
      // n1 and is answered after n1 dropped c1's writes; only a reply to c1's newest request
      // may arm the drop of its notice (opb-discard-told; opb:notice-armed-by-stale-reply,
      // explore trial 410736 of opb-one-way-loser with Stryker #986 of the seed-41 sample).
      // Seed 120: since a stale relayed claim deposes nobody (explore trial 1710645) seed 0's
      // held retry is answered before the drop; 120 is the first of 0-199 that keeps the course
      // (n3 holds c1's retry #25 to 2.601 s, answered after the drop at 2.7077 s).
      { scenario: 'opb-notice-late-retry', seeds: seeds(120), trace: true },
      // c0 cut off just after a write: its retries after the faults stop reach a primary whose
      // checkpoint folded the committed entry; the dedup table must answer them (C4;
      // retries-answered; opb:retry-to-waiting, Stryker #3201 of the seed-41 sample).
      { scenario: 'opb-retry-after-checkpoint', seeds: seeds(1) },
      // With its message record: n9 is back from its disk holding only n1's old epoch when n5
      // crashes; n1, ranked above it and holding n5's writes, must take over (opb-failover;
      // opb:epoch-blind-freshness, Stryker #4182 of the seed-43 sample).
      { scenario: 'opb-stale-recovered-last', seeds: seeds(0), trace: true },
      // With its message record: n1 back empty with its ACKs lost until 3 s; n5 may hand the
      // role back only once n1 acked its tip (opb-handoff-caught-up; opb:handoff-to-unacked,
      // Stryker #443 of the seed-43 sample).
      { scenario: 'opb-handback-unacked', seeds: seeds(0), trace: true },
      // Two replicas: n5 must hand the role back to n1, back from an empty disk under steady
      // writes, on the ACK that brings n1 to its tip, for no other member acks (opb-handback;
      // opb:handback-on-other-ack, Stryker #702 of the seed-45 sample).
      { scenario: 'opb-handback-two-replicas', seeds: seeds(0) },
      // With its message record: n5 drops n1's orphans under discard while their clients are
      // cut off, then loses to n9; it must hand its notices to n9, which tells the clients at
      // their next access (opb-discard-told; opb:notices-kept-on-step-down).
      { scenario: 'opb-notice-step-down', seeds: seeds(0), trace: true },
      // With its message record: explore trial 191 of opb-bridge-loser-leaves as a fixed
      // schedule (trial 924981's before the re-send rule of explore trial 1110293): n7's late
      // ACK of 92 below n1's checkpoint must still count, or c8#3's reply omits n7
      // (opb-acked-holders; opb:late-ack-as-divergence).
      { scenario: 'opb-late-ack-below-checkpoint', seeds: seeds(191), trace: true },
      // s0 starts a replica short and every JOIN is lost until 2 s: n3, the only node that
      // fits, must join from the primary's heartbeat naming it, or the group ends with two
      // replicas while n3 is up with room (opb-c8-placement; opb:no-join-from-heartbeat,
      // Stryker #1528 of the seed-47 sample).
      { scenario: 'opb-join-from-heartbeat', seeds: seeds(0) },
      // n1 carries a hot service far above Cmax while five idle groups gather at night: no
      // backup may be gathered onto n1 (opb-c8-room; opb:consolidate-over-cmax, Stryker #1105
      // of the seed-47 sample).
      { scenario: 'opb-gather-busy', seeds: seeds(0) },
      // Explore seed 44376 of opb-diurnal as a fixed schedule: clients that know only sleeping
      // machines must be pointed at their group, or they cycle through refusals to the end
      // (liveness; opb:asleep-refuses, Stryker #2476 of the seed-48 sample).
      { scenario: 'opb-clients-asleep', seeds: seeds(44376) },
      // A lone replica (k = 1) restarts the instant a client's request arrives: it follows no
      // primary and knows no other member, so it must refuse the client with a well-formed
      // reject (no-assertion-failure; Stryker #1758 of the seed-48 sample returned no effect).
      { scenario: 'opb-lone-replica-restart', seeds: seeds(0) },
      // n3's JOIN of version 1, delayed 2.5 s, reaches it after it left s0 at version 4: it must
      // refuse it (opb-no-resurrection; opb:stale-join-taken, the stale half of Stryker #175 of
      // the seed-48 sample).
      { scenario: 'opb-stale-join', seeds: seeds(0) },
      // With its message record: explore trial 1090043 of opb-stale-transfer as a fixed
      // schedule (one service, 24 clients): n1 answers c5's read #18 before dropping its writes,
      // then late forwarded retries of the older write #17; only a reply to #18 or later may arm
      // the notice's drop, or c5's #19 drops it unseen (opb-discard-told;
      // opb:notice-read-unseen, the writes-only rule before the fix). Seed 21: since the stall
      // rules of explore trial 1710645 n1 follows n2 from its backlog at 0.987 s and claims T_fd
      // later, and seed 0 holds under the mutant; 21 is the first seed with that course (c14's
      // read #7 answered, its writes dropped, the older write #6's late reply arms the drop).
      { scenario: 'opb-notice-read-newest', seeds: seeds(21), trace: true },
      // Seeds whose courses still reach their mutant since the primary's re-send rule of
      // explore trial 1110293 moved every OPB trajectory (the seed-0 steps above no longer do):
      // the sticky group's recovered top member must not get the role back (opb-handback;
      // opb:ignore-sticky); the handback must wait for room on its node (opb-c8-room;
      // opb:handback-no-room); a loser must adopt the winner's newer membership (opb-dominance;
      // opb:keep-own-members). (opb:done-on-any-ack was caught at opb-late-ack-below-checkpoint
      // seed 191 above; since explore trial 1710645 by opb-diurnal seed 13, the last run step.)
      { scenario: 'opb-recovering-top-sticky', seeds: seeds(8) },
      { scenario: 'opb-recovering-top-busy', seeds: seeds(22) },
      { scenario: 'opb-bridge-loser-leaves', seeds: seeds(10) },
      // With its message record: n2 drops c0's write #6, then steps down to n1 and hands it the
      // notice after n1 answered c0's read #8; a held copy of #7 reaches n1 after that, and its
      // reply must not arm the drop, or c0's #9 drops the notice unseen (opb-discard-told;
      // opb:notice-newest-skips-asked, Stryker #3306 of the seed-51 sample).
      { scenario: 'opb-notice-handed-late-read', seeds: seeds(0), trace: true },
      // With its message record: n10 refuses s1's JOIN (no room), then n5, deaf since, claims
      // s1 with a membership still listing it; n1 wins within T_cool and its merge must leave
      // n10 out (opb-merge-union; opb:merge-takes-refused, Stryker #864 of the seed-51 sample).
      { scenario: 'opb-merge-refused-cool', seeds: seeds(0), trace: true },
      // Explore trial 1540148 of opb-handback-unacked as a fixed schedule: n1 acks the write,
      // loses its disk, and its ACKs are lost while its heartbeats report index 0; n5 must void
      // the old ACK and keep the role until n1 acks again, or it hands it back to the empty n1,
      // which heard nothing of it (opb-handoff-caught-up from the message record;
      // opb:handback-on-lost-ack; n1 refuses the HANDOFF since it must hold the tip, so the
      // write is no longer dropped).
      { scenario: 'opb-handback-lost-ack', seeds: seeds(0), trace: true },
      // After a corruption a backup whose epoch is above its primary's must report it, not
      // take the lower claim and stall (Stryker #984 of the seed-52 sample: seed 0 fails C1,
      // C2 and C9 under it; seed 29, listed above, does not reach it).
      { scenario: 'opb-corruption-services', seeds: seeds(0) },
      // A repair-added replica loses its disk and is replaced while down, then boots hosting
      // nothing: its restart must report retired (Stryker #2125 of the seed-52 sample: no
      // retired at the restart; opb-restart-reports fails at seed 0).
      { scenario: 'opb-amnesiac-replaced', seeds: seeds(0) },
      // With its message record: explore trial 960300 of opb-stale-transfer as a fixed schedule:
      // n1 acks n5's tip, loses its disk, and nothing it sends reaches n5 until after n5 hands
      // the role back; n1 must refuse the HANDOFF, whose tip it does not hold
      // (opb-handoff-caught-up; opb:takeover-without-tip).
      { scenario: 'opb-handback-amnesiac', seeds: seeds(0), trace: true },
      // Explore trial 1664970 of opb-handback-steady-writes as a fixed scenario: from 1.7 s the
      // clients, in n5's DC, write faster than the round trip to n1, the recovered top member;
      // n5 must hold writes (a drain) until n1's ACK reaches its tip, or every ACK trails the
      // tip and the role never goes back (opb-handback; opb:handback-without-drain).
      { scenario: 'opb-handback-write-stream', seeds: seeds(0) },
      // Explore trial 1671635 of opb-night-disasters as a fixed scenario: n10 and n1 come back
      // together at the settle in an old membership of s3 and hear each other; n10 must wait out
      // its recovery guard, since neither was up nor follows a primary, and so hear the gossip of
      // n14, the healthy primary of a newer membership, or it claims over n14 (opb-c3-closure;
      // opb:restart-guard-shortcut, which fails on seeds 11, 12, 13, 17 and 27 of 0-39). With its
      // message record: n14 drops three writes from n1's RESUBMIT and hands s3 over; its
      // successor must tell their clients (opb-discard-told; opb:handoff-drops-notices, Stryker
      // #1693 of the seed-54 sample).
      { scenario: 'opb-restart-stale-members', seeds: seeds(11), trace: true },
      // Explore trial 1710645 of opb-one-way-relayed-primary as a fixed scenario: n5, paused
      // while n1 crashed and n9 took over, runs its backlog on resume; its relay of n1's claim
      // is 0.8 s old and must depose nobody, and its late tick must suspect nobody
      // (opb-handback, sticky; opb:relayed-claim-no-age, opb:stall-blind; seed 0 holds under
      // the first, whose relay the late tick's timing leaves unsent).
      { scenario: 'opb-paused-stale-claim', seeds: seeds(1) },
      // With its message record: n9 completes a consolidate move adding n13 to s2 at 2 s while
      // n13 acked 57 and both other members 58 (opb-move-abort; opb:done-on-any-ack, Stryker
      // #3633 of the seed-48 sample). Appended once the stall rules of explore trial 1710645
      // moved opb-late-ack-below-checkpoint seed 191 (n4 paused to 1.42 s), which no longer
      // reaches it: the whole campaign held under the mutant.
      { scenario: 'opb-diurnal', seeds: seeds(13), trace: true },
      // Explore trial 1810605 of opb-restart-stale-members as a fixed scenario: n10, removed
      // from s3 by n13's repair while cut off, comes back above n13's epoch and must leave for
      // n13's newer membership, or it claims its old one after its recovery guard
      // (opb-c3-closure; opb:removed-backup-reports).
      { scenario: 'opb-removed-member-returns', seeds: seeds(0) },
      // With its message record: explore trial 1770357 of opb-merge-refused as a fixed schedule:
      // n1, alone in s0 on a slow disk, checkpoints s0 at its ticks; s1's heartbeats of the same
      // step must not wait for that write (opb-epoch-barrier; opb:tick-writes-in-place).
      { scenario: 'opb-lone-checkpoint-heartbeats', seeds: seeds(3), trace: true },
      // With its message record: explore trial 1850535 of opb-repair-same-dc as a fixed
      // schedule: n5, whose primary n3 has just crashed, hears a minority's higher epoch in an
      // older membership listing it; its own group's next member must take over in time
      // (opb-failover; opb:follow-older-membership).
      { scenario: 'opb-minority-rival-claims', seeds: seeds(0), trace: true },
      // Explore trials 1852111 and 1861409 as a fixed schedule: zone disasters leave s2 in one
      // zone with two members in one DC; once the zones are back the primary must restore the
      // placement by improving swaps (opb-c8-placement; opb:placement-fix-or-nothing).
      { scenario: 'opb-zones-back-misplaced', seeds: seeds(49) },
      // With its message record: explore trial 1861541 of opb-notice-step-down as a fixed
      // schedule: a heal merges lagging members in while n5's repair move adding n11 is under
      // way; their ACKs are no floor for it (opb-move-abort; opb:done-floor-merged).
      { scenario: 'opb-merged-member-floor', seeds: seeds(24), trace: true },
      // Explore trial 1891280 of opb-diurnal-four as a fixed schedule: n1 re-claims s0 as 3.n1
      // on its side of a one-way partition, loses at the heal and leaves; n10, which never heard
      // of 3.n1, later hands s0 back to it under that name, and n1 must take over above its
      // claim floor (opb-log-matching; opb:handoff-at-floor, which fails seed 35 of 0-39).
      { scenario: 'opb-handoff-name-reused', seeds: seeds(35) },
    ],
    exploreTrials: 12,
    exploreSeed: 0,
    exploreScenarios: ['opb-partition-halves', 'opb-three-way', 'opb-primary-crash'],
  },
  example: {
    runs: ['example-steady', 'example-partition', 'example-backup-crash']
      .map((scenario) => ({ scenario, seeds: seeds(0, 1) })),
    exploreTrials: 6,
    exploreSeed: 0,
    exploreScenarios: ['example-partition', 'example-backup-crash'],
  },
};

/**
 * A protocol without a listed campaign (your own): every built-in scenario that runs on it on
 * seeds 0..2, then 20 explore trials over them. Add an entry above to tune it.
 */
export function defaultCampaign(protocol: string,
  scenarios: readonly string[] = builtinScenarioNames()): CampaignDefinition {
  const names = scenarios.filter((n) => loadScenario(n).protocols.includes(protocol));
  return {
    runs: names.map((scenario) => ({ scenario, seeds: seeds(0, 1, 2) })),
    exploreTrials: names.length === 0 ? 0 : 20, exploreSeed: 0, exploreScenarios: names,
  };
}

export function campaignFor(protocol: string): CampaignDefinition {
  return campaigns[protocol] ?? defaultCampaign(protocol);
}

export function campaignSteps(c: CampaignDefinition): CampaignStep[] {
  const runs = c.runs.flatMap((r) => r.seeds
    .map((seed): CampaignStep => ({ kind: 'run', scenario: r.scenario, seed,
      ...(r.trace === true ? { trace: true as const } : {}) })));
  const trials = Array.from({ length: c.exploreTrials }, (_, t): CampaignStep => ({
    kind: 'explore', scenario: c.exploreScenarios[t % c.exploreScenarios.length]!,
    seed: c.exploreSeed + t,
  }));
  return [...runs, ...trials];
}

/**
 * One step. An explore step draws the same schedule as `replisim explore --scenario S --seed N
 * --runs 1` (same arbitrary, same seed, first value) but never shrinks: the campaign stops at
 * the first violation, and a shrink would only cost runs.
 */
export function runStep(protocol: string, mutant: string | null, step: CampaignStep): CheckedRun {
  const scenario = loadScenario(step.scenario);
  if (step.kind === 'run') {
    return runChecked({ scenario, protocol, seed: step.seed, mutant,
      keepTrace: step.trace === true });
  }
  let run: CheckedRun | null = null;
  fc.check(fc.property(trialArb(protocol), (schedule) => {
    run = runChecked({ scenario: applySchedule(scenario, schedule), protocol, seed: step.seed,
      mutant });
    return run.ok;
  }), { numRuns: 1, seed: step.seed, endOnFailure: true });
  return run!;
}

/** The command that reproduces one step on its own. */
export function reproduceStep(protocol: string, mutant: string | null, step: CampaignStep): string {
  const m = mutant === null ? '' : ` --mutant ${mutant}`;
  return step.kind === 'run'
    ? `npx replisim run ${step.scenario} --protocol ${protocol} --seed ${step.seed}${m}`
    : `npx replisim explore --protocol ${protocol} --scenario ${step.scenario} ` +
      `--seed ${step.seed} --runs 1 --workers 1${m}`;
}

export interface CampaignViolation {
  readonly step: CampaignStep;
  readonly index: number;
  readonly property: string;
  readonly message: string;
  readonly reproduce: string;
}

export interface CampaignResult {
  readonly protocol: string;
  readonly mutant: string | null;
  readonly steps: number;
  /** Steps run: all of them, or up to and including the violating one. */
  readonly ran: number;
  readonly violation: CampaignViolation | null;
}

/** `campaign-progress` (see violationOf): clients invoked operations and none completed. */
export function progressViolation(m: { readonly opsOk: number; readonly opsFail: number;
  readonly opsInfo: number }): { property: string; message: string } | null {
  if (m.opsOk > 0 || m.opsFail + m.opsInfo === 0) return null;
  return { property: 'campaign-progress', message: `no client operation completed in the ` +
    `whole run (${m.opsInfo} indefinite, ${m.opsFail} failed)` };
}

/**
 * `campaign-forced` (see CampaignDefinition.runs): the events a listed run's scenario forces
 * that the run did not show, judged from the facts properties/sometimes.ts reads.
 */
export function forcedViolation(scenario: string, forces: readonly SometimesEvent[],
  happened: readonly string[]): { property: string; message: string } | null {
  const missing = forces.filter((e) => !happened.includes(e));
  if (missing.length === 0) return null;
  return { property: 'campaign-forced', message: `${scenario} forces ${missing.join(', ')} in ` +
    `every run, but this run showed none` };
}

/**
 * `campaign-observations`: every protocol-neutral observation (`state`, `retired`, `role`) has
 * the fields protocol/types.ts declares. Checkers read `state` and `retired`, but only the
 * reports read `role`, so a malformed one would otherwise pass every run.
 */
export function observationViolation(run: RunRecord): { property: string; message: string }
  | null {
  for (const label of Object.keys(COMMON_FIELDS) as (keyof typeof COMMON_FIELDS)[]) {
    try {
      readCommon(run, label);
    } catch (error) {
      return { property: 'campaign-observations', message: describeError(error) };
    }
  }
  return null;
}

interface StepOutcome {
  readonly violation?: { property: string; message: string };
  /** The non-vacuity events the run showed (empty when it threw). */
  readonly happened: readonly string[];
}

/**
 * The step's first violated property. Every campaign scenario heals and settles, so a run in
 * which clients invoked operations and none completed is a violation, `campaign-progress`: the
 * per-run liveness checks skip such a run (a client waiting forever invokes nothing after the
 * faults), so a protocol that never serves anyone would otherwise pass. A run that throws
 * outside a protocol step (in init or durable, say: the simulator turns a throw inside a step
 * into `no-assertion-failure`) is a violation too, `run-error`; a bad scenario or name is the
 * user's error and propagates. Its observations must keep their declared shape
 * (`campaign-observations`), and a listed run of a quiet scenario must answer its clients
 * without retries (`campaign-responsive`, campaign-responsive.ts).
 */
function outcomeOf(protocol: string, mutant: string | null, step: CampaignStep): StepOutcome {
  try {
    const run = runStep(protocol, mutant, step);
    const scenario = loadScenario(step.scenario);
    const quiet = step.kind === 'run' && isQuiet(scenario);
    const first = run.violations[0] ?? progressViolation(run.record.metrics)
      ?? observationViolation(run.record)
      ?? (quiet ? responsivenessViolation(run.record.history.ops,
        scenario.clients.requestTimeoutUs) : null) ?? undefined;
    return { ...(first === undefined ? {} : { violation: first }),
      happened: happenedEvents(run.record) };
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    return { violation: { property: 'run-error', message: describeError(error) }, happened: [] };
  }
}

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * Runs the protocol's campaign, stopping at the first step that violates a property. A listed
 * run must also show the events its entry says the scenario forces (`campaign-forced`): a
 * mutant that never migrates or never hands off passes every "always" property vacuously.
 */
export function runCampaign(protocol: string, mutant: string | null,
  onStep?: (done: number, total: number) => void,
  definition: CampaignDefinition = campaignFor(protocol)): CampaignResult {
  const steps = campaignSteps(definition);
  const forces = new Map<string, SometimesEvent[]>();
  for (const r of definition.runs) {
    const all = new Set([...(forces.get(r.scenario) ?? []), ...(r.forces ?? [])]);
    forces.set(r.scenario, [...all]);
  }
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    const outcome = outcomeOf(protocol, mutant, step);
    const first = outcome.violation ?? (step.kind === 'run'
      ? forcedViolation(step.scenario, forces.get(step.scenario) ?? [], outcome.happened)
      : null) ?? undefined;
    onStep?.(index + 1, steps.length);
    if (first !== undefined) {
      return { protocol, mutant, steps: steps.length, ran: index + 1, violation: {
        step, index, property: first.property, message: first.message,
        reproduce: reproduceStep(protocol, mutant, step) } };
    }
  }
  return { protocol, mutant, steps: steps.length, ran: steps.length, violation: null };
}

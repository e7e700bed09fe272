/**
 * SMART (Lorch et al., EuroSys 2006): state, messages and the durable part of one machine.
 * A machine hosts configuration-specific replicas (one Paxos instance per configuration) that
 * share one execution module (EM). Every state object is immutable; steps build new ones.
 */
import type { KvStore } from '../kv.js';
import type { KvOp, KvResult } from '../kv-types.js';
import type { ClientId, Effect, NodeId } from '../types.js';
import type { ReplicaSet } from './replica-set.js';
import type { SlotMap } from './slots.js';

/** A slot's content: a client request, a no-op that fills a slot, or a migration. */
export type Cmd = OpCmd | { readonly t: 'null' } | MigrateCmd;

export interface OpCmd {
  readonly t: 'op';
  readonly client: ClientId;
  readonly seq: number;
  readonly op: KvOp;
}

/**
 * MIGRATE, submitted by an operator client like any request (P1.6 step 1) and answered `done`
 * by the leader that executes it.
 */
export interface MigrateCmd {
  readonly t: 'migrate';
  /** Operator-chosen id; executing a migration id twice is a no-op. */
  readonly id: string;
  readonly members: readonly NodeId[];
  /** The operator client that submitted it, and its request number there. */
  readonly client: ClientId;
  readonly seq: number;
}

/** What a client (a KV client or the operator) asks a leader to order: a slot's request. */
export type Request = OpCmd | MigrateCmd;

/** One configuration in the replicated state; `last` is null until a successor exists. */
export interface CfgEntry {
  readonly num: number;
  readonly members: readonly NodeId[];
  readonly first: number;
  readonly last: number | null;
}

export interface CacheEntry {
  readonly seq: number;
  readonly result: KvResult;
}

/** The replicated service state at an execution index: saved to disk and sent in state transfer. */
export interface Checkpoint {
  readonly index: number;
  readonly store: KvStore;
  readonly table: readonly CfgEntry[];
  readonly cache: ReadonlyMap<ClientId, CacheEntry>;
  readonly migrations: readonly string[];
  readonly digest: string;
}

/** The execution module shared by all replicas of one machine. */
export interface Em {
  readonly lastExec: number;
  readonly store: KvStore;
  readonly table: readonly CfgEntry[];
  readonly cache: ReadonlyMap<ClientId, CacheEntry>;
  readonly migrations: readonly string[];
  /** Decisions learned by any local replica, for slots above lastExec. */
  readonly decided: SlotMap<Decision>;
  /**
   * The last `incrementalSlots` slots executed here, as decided: what an incremental state copy
   * sends a machine that is close behind (replica.ts onStateRequest). Volatile: empty after a
   * restart or an installed checkpoint, when a machine behind gets a full copy instead.
   */
  readonly executed: SlotMap<Decision>;
  /** The latest checkpoint saved on disk. */
  readonly ckpt: Checkpoint;
  /**
   * Execution is paused until this local time while a checkpoint is saved (P1.4 step 7); null
   * when no save ever paused it. Not 0: a clock skewed below 0 early in a run read "before 0" as
   * a save in progress and executed nothing until it passed 0 (explore trial 1230041).
   */
  readonly busyUntil: number | null;
  /** Requests (client operations and MIGRATEs, not nulls) executed since the last checkpoint. */
  readonly sinceCkpt: number;
  /** This machine's request for its starting state, while one is outstanding (fetch.ts). */
  readonly fetch: Fetch | null;
}

/**
 * A state request sent to `from` at local time `at`; `from` null: none sent yet, the first
 * reason to ask (from the new configuration's leader) came at `at` and waits for another source.
 */
export interface Fetch {
  readonly from: NodeId | null;
  readonly at: number;
}

/** A slot's decided request, the configuration that decided it, and the deciding ballot. */
export interface Decision {
  readonly cfg: number;
  readonly ballot: number;
  readonly cmd: Cmd;
}

/** One slot of an incremental state copy (DECIDED-RANGE). */
export interface DecidedSlot extends Decision {
  readonly slot: number;
}

export interface LogEntry {
  readonly ballot: number;
  readonly cmd: Cmd;
  readonly decided: boolean;
}

/** What a cohort answered to ELECT (phase 1b). */
export interface PollVote {
  readonly entries: readonly (readonly [number, LogEntry])[];
  readonly trunc: number;
  readonly exec: number;
  readonly ckpt: number;
}

/** What every configuration-specific replica (one per configuration per machine) holds. */
interface ReplicaBase {
  readonly cfg: number;
  readonly members: readonly NodeId[];
  readonly first: number;
  /** Highest ballot promised; when leading, the ballot we propose with. */
  readonly promised: number;
  /** The leader followed (ourselves when leading); null while an election is under way. */
  readonly leader: NodeId | null;
  readonly log: SlotMap<LogEntry>;
  /** Every slot at or below trunc was discarded from the log (it is in a stable checkpoint). */
  readonly trunc: number;
  readonly finished: boolean;
  readonly readyFrom: readonly NodeId[];
  /**
   * Client requests that arrived while campaigning: queued if we win, redirected if not. A
   * deposed candidate keeps them until it next hears of a leader (releaseHeld).
   */
  readonly held: readonly Request[];
}

export interface Follower extends ReplicaBase {
  readonly role: 'follower';
}

/** Campaigning at ballot `promised`: the votes counted so far, our own included. */
export interface Candidate extends ReplicaBase {
  readonly role: 'candidate';
  readonly votes: ReadonlyMap<NodeId, PollVote>;
  /**
   * The members sent this ballot's ELECT again behind a JOIN (onJoinRequest), once per ELECT:
   * at most MAX_ELECTS_BEHIND_JOIN each, or a member whose JOINs are lost answers every ELECT
   * with JOIN-REQUEST and the pair loops.
   */
  readonly reasked: readonly NodeId[];
}

/** Leading at ballot `promised` (and `leader` names this machine). */
export interface Leader extends ReplicaBase {
  readonly role: 'leader';
  readonly lead: Leadership;
}

/**
 * A replica in one of its three roles: only a candidate counts votes and only a leader has
 * leadership bookkeeping, so narrowing on `role` is the one way to reach either.
 */
export type Replica = Follower | Candidate | Leader;

/** Volatile leader bookkeeping: exists only inside a Leader. */
export interface Leadership {
  readonly nextSlot: number;
  /** Poll results: values to re-propose, and the highest slot any cohort had logged. */
  readonly repro: ReadonlyMap<number, Cmd>;
  readonly pollMax: number;
  readonly acks: SlotMap<readonly NodeId[]>;
  readonly queue: readonly Request[];
  /** cmdKey of requests queued or proposed and not yet executed. */
  readonly inflight: ReadonlySet<string>;
  readonly cohort: ReadonlyMap<NodeId, number>;
  readonly stable: number;
  /** The voter that had executed furthest: where a lagging new leader fetches missing state. */
  readonly catchFrom: NodeId | null;
  readonly catchTo: number;
  /** nextSlot at the previous heartbeat: older unacknowledged proposals are retransmitted. */
  readonly retryBelow: number;
}

export interface Params {
  readonly alpha: number;
  readonly checkpointEvery: number;
  readonly maxLogSize: number;
  readonly heartbeatUs: number;
  readonly leaderTimeoutUs: number;
  readonly staggerUs: number;
  readonly finishedUs: number;
  /**
   * Execution pauses while a checkpoint (every `checkpointEvery` requests, and at each
   * configuration's final state) is saved: `checkpointUs` plus `checkpointNsPerByte` per byte of
   * the checkpoint as size.ts weighs it (its entries and `stateBytes`). The paper's phase 4: a
   * final-state checkpoint takes ≈ 8 ms.
   */
  readonly checkpointUs: number;
  readonly checkpointNsPerByte: number;
  readonly repoNode: NodeId | null;
  readonly repoWriteUs: number;
  /**
   * Bytes of service state a checkpoint holds besides its KV entries (the paper's migration
   * experiment writes 10,000 keys × 100 B first): a state transfer carries them (size.ts).
   */
  readonly stateBytes: number;
  /**
   * 0: a machine without its starting state asks for it at every FINISHED and every heartbeat
   * that shows it behind. Otherwise one request is outstanding at a time, renewed after this
   * long without the state, and the new configuration's leader is asked only after this long
   * without another source (fetch.ts).
   */
  readonly fetchRetryUs: number;
  /**
   * P1.6 step 5's incremental state transfer: a machine at most this many slots behind the
   * sender's execution, whose missing slots the sender still holds, gets just those decided
   * slots (one DECIDED-RANGE) instead of the sender's checkpoint; further behind, a full copy.
   * Also how many executed slots each machine keeps for this (Em.executed). 0: always a full
   * copy when the sender's checkpoint is newer than the requester's execution.
   */
  readonly incrementalSlots: number;
}

export interface Flags {
  readonly noAlphaCheck: boolean;
  readonly minorityQuorum: boolean;
  readonly leaderAmnesia: boolean;
  readonly retireEarly: boolean;
  readonly noNullFill: boolean;
  readonly latestConfigOnly: boolean;
  readonly noReplyCache: boolean;
  readonly pollIgnoresAccepted: boolean;
  readonly ackBeforePersist: boolean;
  readonly halfQuorum: boolean;
  readonly heartbeatStops: boolean;
  readonly truncationKeepsCut: boolean;
  readonly repoForgets: boolean;
  readonly writeUnestablished: boolean;
  readonly repoSilent: boolean;
  readonly repoNoDefunct: boolean;
  readonly finishedNoJoin: boolean;
  readonly proposeWithoutState: boolean;
  readonly checkpointNoPause: boolean;
  readonly dropAtCandidate: boolean;
  readonly checkpointEverySlot: boolean;
  readonly fetchFromAll: boolean;
  /** No source of a starting state is preferred: each first reason to fetch only waits. */
  readonly noPreferredSource: boolean;
  readonly noPreempt: boolean;
  readonly preemptAnytime: boolean;
  readonly noteBeforePersist: boolean;
  readonly keepAcks: boolean;
  readonly noCachedAnswer: boolean;
  readonly noElectBehindJoin: boolean;
  readonly holdRetries: boolean;
  readonly newerHoldsSilently: boolean;
  readonly roleOnEveryFollow: boolean;
  /** A follower asks for state at every heartbeat. */
  readonly fetchEveryBeat: boolean;
  /** A follower writes before every CKPT-NOTE, one that cannot raise the stable index too. */
  readonly noteAlwaysWrites: boolean;
  /** Candidates and followers of a live leader answer a stale ELECT with PREEMPT too. */
  readonly preemptFromAnyone: boolean;
  /** A leader elected behind a cohort asks it for state at every heartbeat, caught up too. */
  readonly fetchWhileCaughtUp: boolean;
  /** A machine running a finished replica and its successor never sends itself READY. */
  readonly noSelfReady: boolean;
  /** A candidate ignores PREEMPT and waits for its election timeout. */
  readonly ignorePreempt: boolean;
  /** A follower that hears of a leader drops the requests it held without redirecting them. */
  readonly forgetHeld: boolean;
  /** The leader answers a client's older request with the newer one's cached result. */
  readonly staleCachedAnswer: boolean;
  /** A caught-up leader asks once more while it has executed exactly the cohort's point. */
  readonly fetchAtCatchPoint: boolean;
  /** With fetchRetryUs, a first reason from a source that is not preferred asks it at once. */
  readonly askUnpreferredAtOnce: boolean;
  /** A follower truncates up to the larger of the stable index and its own checkpoint. */
  readonly truncatePastCheckpoint: boolean;
  /** A request held behind an older full leader is told NEW-CONFIGURATION only when resent. */
  readonly newConfigOnResend: boolean;
  /** A new leader keeps the last voter's value of a slot, not the highest ballot's. */
  readonly pollLastVoter: boolean;
  /** A follower lacking its starting state asks its leader at a heartbeat as a preferred source. */
  readonly heartbeatFetchAtOnce: boolean;
  /** A candidate campaigns again at a PREEMPT at or below its ballot too. */
  readonly stalePreempt: boolean;
  /** Every machine takes index 0 in its ballots (Stryker #5903 of the seed-49 sample). */
  readonly ballotsWithoutIndex: boolean;
  /** A follower at slot first-1 or first counts as lacking its starting state (Stryker #5187). */
  readonly lacksStatePastFirst: boolean;
  /** A candidate's cap on ELECTs behind JOINs counts those it sent the other members. */
  readonly electCapCountsOthers: boolean;
  /** A candidate campaigning at a higher ballot keeps the re-asks of its previous one. */
  readonly reaskKeptAcrossBallots: boolean;
  /** A restarted machine does not re-learn the decided entries of its own persisted log. */
  readonly restartForgetsDecided: boolean;
  /** A candidate forgets its re-asks (ELECTs behind JOINs) at every vote it counts. */
  readonly reaskForgottenAtVote: boolean;
  /** Every local leader's queue is redirected, a request another already answered too. */
  readonly redirectEveryQueue: boolean;
  /** A new replica's first timeout subtracts its rank's stagger (Stryker #6764, seed 54). */
  readonly staggerSubtracted: boolean;
  /** A reply of the same number to any client counts as the request's answer (Stryker #6992). */
  readonly answeredBySeq: boolean;
}

/** Successor information kept for the highest defunct configuration. */
export interface SuccInfo {
  readonly num: number;
  readonly members: readonly NodeId[];
  readonly first: number;
}

export interface State {
  readonly id: NodeId;
  /** Position in the topology: the tie-breaker inside ballots. */
  readonly idx: number;
  readonly initial: readonly NodeId[];
  readonly params: Params;
  readonly flags: Flags;
  /** Highest configuration this machine knows to be defunct (monotone). */
  readonly d: number;
  readonly succ: SuccInfo | null;
  readonly replicas: ReplicaSet;
  readonly em: Em;
  /** Repository node only: the newest configuration written to it. */
  readonly repo: SuccInfo | null;
}

/** What survives a crash. */
export interface ReplicaDisk {
  readonly cfg: number;
  readonly members: readonly NodeId[];
  readonly first: number;
  readonly promised: number;
  readonly log: SlotMap<LogEntry>;
  readonly trunc: number;
  /** Ballot this replica was leading with (only the leader amnesia mutant reads it). */
  readonly leading: number;
}

export interface Disk {
  readonly d: number;
  readonly succ: SuccInfo | null;
  readonly ckpt: Checkpoint;
  readonly replicas: readonly ReplicaDisk[];
  readonly repo: SuccInfo | null;
}

export type Msg =
  | {
    readonly t: 'propose'; readonly cfg: number; readonly ballot: number;
    readonly slot: number; readonly cmd: Cmd;
  }
  | {
    readonly t: 'logged'; readonly cfg: number; readonly ballot: number;
    readonly slot: number; readonly ckpt: number;
  }
  | {
    readonly t: 'decided'; readonly cfg: number; readonly ballot: number;
    readonly slot: number; readonly cmd: Cmd;
  }
  | {
    readonly t: 'heartbeat'; readonly cfg: number; readonly ballot: number;
    readonly commit: number; readonly stable: number;
  }
  | { readonly t: 'elect'; readonly cfg: number; readonly ballot: number }
  /** Phase 1b refusal: the ELECT's ballot is below `ballot`, a promise no live leader holds. */
  | { readonly t: 'preempt'; readonly cfg: number; readonly ballot: number }
  | {
    readonly t: 'pollReply'; readonly cfg: number; readonly ballot: number;
    readonly vote: PollVote;
  }
  | { readonly t: 'stateRequest'; readonly cfg: number; readonly have: number }
  | {
    /** `stateBytes`: the service state beyond the checkpoint's KV entries (params.stateBytes). */
    readonly t: 'stateCopy'; readonly cfg: number; readonly ckpt: Checkpoint;
    readonly stateBytes: number;
  }
  /**
   * STATE-COPY, incremental (P1.3, P1.6 step 5): the decided slots a lagging machine lacks, in
   * slot order, in one message; `cfg` is the configuration its STATE-REQUEST named.
   */
  | { readonly t: 'decidedRange'; readonly cfg: number; readonly slots: readonly DecidedSlot[] }
  | { readonly t: 'ckptNote'; readonly cfg: number; readonly index: number }
  | {
    readonly t: 'join'; readonly cfg: number; readonly members: readonly NodeId[];
    readonly first: number;
  }
  | { readonly t: 'joinRequest'; readonly cfg: number }
  | { readonly t: 'finished'; readonly cfg: number }
  | { readonly t: 'ready'; readonly cfg: number }
  | { readonly t: 'defunct'; readonly cfg: number }
  | { readonly t: 'repoWrite'; readonly info: SuccInfo }
  | { readonly t: 'repoRead' }
  | { readonly t: 'repoInfo'; readonly info: SuccInfo | null };

export type Out = Effect<Msg>[];

/** Per-step context: the node's local time and the effects collected so far. */
export interface Ctx {
  readonly now: number;
  readonly out: Out;
}

/**
 * Ballots are integers: round * BALLOT_SPAN + node index, so higher round wins, then node. 1024
 * exceeds any topology's node count (init asserts it) and leaves 2^53 / 1024 rounds.
 */
export const BALLOT_SPAN = 1024;

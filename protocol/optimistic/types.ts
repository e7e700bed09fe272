/**
 * Types of OPB, the optimistic primary-backup protocol (PROTOCOLS.md P2). One protocol instance
 * runs per machine: a node agent (load, power, gossip) hosting one replica per service group it
 * belongs to. Everything is immutable; maps are iterated in sorted key order.
 */
import type { AppendLog } from '../append-log.js';
import type { KvStore } from '../kv.js';
import type { KvOp, KvResult } from '../kv-types.js';
import type { ClientId, ClientRequest, Effect, NodeId, NodePlacement } from '../types.js';

/**
 * A primary's epoch `(g, c, n)`: base generation (absent = 0), counter, then the node that
 * claimed it; ordered by g, then c, then n. The counter is bounded by `epochLimit`; reaching it
 * starts a fresh base (g+1, c=1): the self-stabilizing reset of P2.5 / P2.10 #7.
 */
export interface Epoch {
  readonly c: number;
  readonly n: NodeId;
  readonly g?: number;
}

/** One executed write, shipped as a state update (passive replication: backups do not execute). */
export interface Entry {
  readonly e: Epoch;
  /** Position in the lineage, 1-based; the log matching rule holds for (i, e). */
  readonly i: number;
  readonly client: ClientId;
  readonly seq: number;
  readonly op: KvOp;
  readonly result: KvResult;
  /** The state delta: the key's value after the write, or null when the write changed nothing. */
  readonly key: string;
  readonly value: string | null;
}

/** A run of consecutive entries of one epoch (Raft-like term boundaries). */
export interface Run {
  readonly e: Epoch;
  readonly last: number;
}

/**
 * Per client (part of the replicated state): the highest executed request, its reply and
 * index, and every executed seq as sorted disjoint ranges [from, to] — exact at-most-once for
 * re-submitted orphans however far back the log was truncated. Closed-loop clients execute
 * consecutive seqs, so a client has one range plus one per orphan re-executed out of order.
 */
export interface Dedup {
  readonly seq: number;
  readonly result: KvResult;
  readonly i: number;
  readonly done: readonly (readonly [number, number])[];
}

/**
 * The replicated state of a service: what a state transfer installs. The store and dedup table
 * are the checkpoint; the log keeps only the entries after `base` (truncated at checkpoints),
 * the lineage keeps every epoch boundary (one run per epoch, not per entry).
 */
export interface SvcData {
  readonly store: KvStore;
  readonly dedup: ReadonlyMap<ClientId, Dedup>;
  /** Entries base+1 .. base+log.length. */
  readonly log: AppendLog<Entry>;
  readonly lineage: readonly Run[];
  /**
   * The last checkpoint: entries up to `base` are dropped; `baseTag` identifies the entry at it.
   */
  readonly base: number;
  readonly baseTag: string;
  /**
   * The requests of the entries 1..base a checkpoint folded into the store (P2.2 `reqLog`):
   * a fork can lie below any checkpoint (an amnesiac member's fresh history, a side repaired
   * during a partition), and `merge` re-submits every orphan after it (P2.5, P2.7), so the
   * checkpoint bounds the update log (deltas, replies) but not the requests.
   */
  readonly folded: AppendLog<Folded>;
}

/** A write folded into a checkpoint: its position and request, all a re-submission needs. */
export interface Folded {
  readonly i: number;
  readonly req: ClientRequest;
}

/** What a primary announces about itself; the dominance rule compares two claims. */
export interface Claim {
  readonly node: NodeId;
  readonly epoch: Epoch;
  readonly mver: number;
  readonly members: readonly NodeId[];
}

export type Role = 'primary' | 'backup' | 'reconciling';

/** How far a replica's history goes: the epoch of its last entry, then its length. */
export interface Position {
  readonly i: number;
  readonly e: Epoch | null;
}

/** A request waiting for `w` backup acknowledgements before the primary replies. */
export interface Waiting {
  readonly i: number;
  readonly client: ClientId;
  readonly seq: number;
}

/** A make-before-break move in progress: `add` joins, then `drop` leaves. */
export interface Move {
  readonly add: NodeId;
  readonly drop: NodeId | null;
  readonly kind: MoveKind;
  readonly at: number;
  /** The membership the JOIN named: only its members' ACKs are the new member's floor. */
  readonly members: readonly NodeId[];
}

export type MoveKind = 'repair' | 'balance' | 'consolidate' | 'spread';

/**
 * A handback's drain (balance.ts `drainForHandback`): since `at`, new client writes are held,
 * not executed, so the top-priority member's ACK can reach our tip; on the handback they go to
 * the successor, or they are executed here once the drain times out.
 */
export interface Drain {
  readonly at: number;
  readonly held: readonly ClientRequest[];
}

/** One replica of service `svc` on this node. */
export interface Replica {
  readonly svc: number;
  /** Priority order: rank 0 is the preferred primary. */
  readonly members: readonly NodeId[];
  readonly mver: number;
  readonly role: Role;
  /** The primary followed (self when primary), and its epoch; epochs never decrease. */
  readonly primary: NodeId | null;
  readonly epoch: Epoch;
  /**
   * The followed primary's last claim, for the dominance rule, and when we last heard it
   * directly.
   */
  readonly pclaim: Claim | null;
  readonly claimAt: number;
  readonly data: SvcData;
  /** Failure detector: last direct contact per member (local clock). */
  readonly heard: ReadonlyMap<NodeId, number>;
  /**
   * Last heartbeat per member that did not say `recovering` (local clock): the recovery guard's
   * shortcut counts only these (replica.ts `guardOk`).
   */
  readonly settled: ReadonlyMap<NodeId, number>;
  /** Last position (applied index, epoch of the last entry) each member reported. */
  readonly pos: ReadonlyMap<NodeId, Position>;
  /** Indirect liveness of primaries reported by third parties (no relays of relays). */
  readonly relay: ReadonlyMap<NodeId, number>;
  /** Primary only: highest index each backup is known to hold on our lineage. */
  readonly acked: ReadonlyMap<NodeId, number>;
  /**
   * Primary only: when we last counted each backup's ACK (local clock); a later heartbeat below
   * it that far behind says the backup lost what it acked (primary.ts `onSync`).
   */
  readonly ackAt: ReadonlyMap<NodeId, number>;
  /** Primary only: highest index shipped to each backup and when (updates in flight). */
  readonly sent: ReadonlyMap<NodeId, { readonly i: number; readonly at: number }>;
  /**
   * Primary only: per backup, the index of the last ACK that did not advance and drew a re-send
   * of its tail, and when (primary.ts `onSync`: no such re-send from it or below for `hbUs`).
   */
  readonly resent: ReadonlyMap<NodeId, { readonly i: number; readonly at: number }>;
  /** Primary only: last full state transfer per backup, to rate-limit them. */
  readonly xferAt: ReadonlyMap<NodeId, number>;
  readonly waiting: readonly Waiting[];
  readonly since: number;
  /** Reorganization: the last move of this group (cool-down) and the move in progress. */
  readonly lastMoveAt: number;
  readonly move: Move | null;
  /** Nodes that refused a reservation recently, with the time. */
  readonly refused: ReadonlyMap<NodeId, number>;
  /**
   * Nodes whose move we aborted after 20 T_fd without their catching up, with the time: a repair
   * skips them for T_cool like a refusal, but they refused nothing, so a merge on heal still
   * takes them from a loser (conflict.ts `mergeMembers`).
   */
  readonly aborted: ReadonlyMap<NodeId, number>;
  /** Writes and reads executed as primary in the current load window. */
  readonly count: number;
  /** Requests per second measured over the last full window. */
  readonly rps: number;
  /** Primary only: discarded writes to tell each client at its next access (P2.5 `discard`). */
  readonly notices: ReadonlyMap<ClientId, Notice>;
  /**
   * Primary only: each client's newest request this replica handled as primary, reads too (a
   * read leaves no trace in the dedup table); a discard notice is armed only by a reply to it.
   */
  readonly asked: ReadonlyMap<ClientId, number>;
  /**
   * False from an epoch change until the node hears back from itself that the write carrying it
   * landed (`synced`, sent after that write): meanwhile the node lets nothing out before its
   * disk (index.ts), so nothing follows from an epoch a crash may still lose.
   */
  readonly epochSynced: boolean;
  /**
   * A replica a JOIN created (or a primary's heartbeat naming us adopted): it holds none of the
   * group's state yet (P2.6 #1: MEMBERSHIP, then STATE-XFER, then it is a backup). Cleared once
   * it has its primary's state: a transfer installed, an update applied, its primary's heartbeat
   * at its own tip; or once it is primary itself. Meanwhile it declares no `state` (tick.ts).
   */
  readonly joining: boolean;
  /** Primary only: the handback's drain under way, if any (see `Drain`). */
  readonly drain: Drain | null;
}

/**
 * Seqs of a client's acknowledged writes that reconciliation dropped; `upTo`: last reply carrying
 * them (-1: none yet); `newest`: the client's newest request handled since, when above them.
 */
export interface Notice {
  readonly seqs: readonly number[];
  readonly upTo: number;
  readonly newest?: number;
  /** The client's newest request handled here when its writes were dropped: arms nothing. */
  readonly answered?: number;
}

/** What this node knows of a service it may not host (for forwarding). */
export interface DirEntry {
  readonly members: readonly NodeId[];
  readonly mver: number;
  readonly primary: NodeId | null;
  /**
   * The epoch of the claim that named `primary` (absent: none known). A claim at the same
   * membership version but a higher epoch is newer news, such as a planned HANDOFF (agent.ts).
   */
  readonly epoch?: Epoch;
}

/** Gossip about another machine. */
export interface Peer {
  readonly at: number;
  /** Load in permille of capacity. */
  readonly load: number;
  readonly on: boolean;
  readonly hosted: number;
}

export interface Agent {
  readonly on: boolean;
  /** Our own load in permille of capacity, from the last window. */
  readonly load: number;
  readonly peers: ReadonlyMap<NodeId, Peer>;
  /** Since when this node hosts nothing (for sleeping), or -1. */
  readonly emptySince: number;
  readonly windowAt: number;
}

export type Mutant =
  | 'no-dominance' | 'no-dedup' | 'accept-stale-epoch' | 'consolidate-one-zone'
  | 'no-hysteresis' | 'self-promote-on-recovery' | 'ack-before-persist'
  | 'claim-before-persist' | 'ignore-operator' | 'no-handback' | 'operator-to-all'
  | 'keep-outbox' | 'ignore-sticky' | 'balance-no-room'
  | 'handback-no-room' | 'join-unreported' | 'no-epoch-report' | 'keep-headless-primary'
  | 'retry-refused' | 'early-repair' | 'placement-break-first' | 'gather-at-lw'
  | 'no-move-budget' | 'relay-age-zero' | 'silent-follow' | 'keep-own-members'
  | 'early-abort' | 'promote-over-relayed' | 'discard-untold' | 'consolidate-busy'
  | 'synced-note-once' | 'keep-claim-above-epoch' | 'no-ack-floor' | 'install-stale-xfer'
  | 'handback-at-tick' | 'answer-retry-early'
  | 'wake-on-tick' | 'notice-armed-by-stale-reply' | 'retry-to-waiting'
  | 'epoch-blind-freshness' | 'handoff-to-unacked' | 'handback-on-other-ack'
  | 'notices-kept-on-step-down' | 'late-ack-as-divergence' | 'sleep-without-power'
  | 'no-join-from-heartbeat' | 'consolidate-over-cmax' | 'join-without-room'
  | 'asleep-refuses' | 'done-on-any-ack' | 'refusal-keeps-move' | 'stale-join-taken'
  | 'notice-read-unseen' | 'install-says-reconciling' | 'no-merge-union'
  | 'asleep-gossips-every-round' | 'notice-never-retired'
  | 'resend-every-stall' | 'directory-takes-older-claim' | 'trim-live-first'
  | 'notice-newest-skips-asked'
  | 'merge-takes-refused' | 'handback-on-lost-ack' | 'takeover-without-tip'
  | 'handback-without-drain' | 'restart-guard-shortcut' | 'relayed-claim-no-age'
  | 'stall-blind' | 'removed-backup-reports' | 'tick-writes-in-place'
  | 'follow-older-membership' | 'placement-fix-or-nothing' | 'done-floor-merged'
  | 'handoff-at-floor' | 'handoff-drops-notices' | 'refusal-says-yes';

export interface Params {
  readonly k: number;
  readonly w: number;
  readonly services: number;
  readonly hbUs: number;
  readonly fdUs: number;
  readonly policy: 'merge' | 'discard';
  readonly repairUs: number;
  readonly reorg: boolean;
  readonly power: boolean;
  readonly balance: boolean;
  readonly capacityRps: number;
  /** Watermarks in percent of capacity. */
  readonly highPct: number;
  readonly lowPct: number;
  readonly cmaxPct: number;
  readonly coolUs: number;
  readonly windowUs: number;
  readonly gossipUs: number;
  readonly sleepAfterUs: number;
  readonly sticky: boolean;
  /** 'replicas': service 0 uses the scenario's replica list; 'spread' / 'packed' place groups. */
  readonly placement: 'replicas' | 'spread' | 'packed';
  readonly batch: number;
  /** Log truncation: keep at least this many entries; truncate when twice as many are held. */
  readonly logKeep: number;
  /** Epoch counters stay below this (2^48: "practically infinite"; small values test the reset). */
  readonly epochLimit: number;
}

export interface State {
  readonly id: NodeId;
  readonly nodes: readonly NodePlacement[];
  readonly replicas: readonly NodeId[];
  readonly params: Params;
  readonly mutant: Mutant | null;
  readonly now: number;
  readonly bootAt: number;
  /**
   * When the heartbeat tick last ran, and the last stall: a tick that came more than a T_hb
   * late (a pause, a clock jump) ran at `stallAt`, and the backlog handled then may date from
   * as early as `stallSince` (replica.ts `sightedAt`); -1 before any stall. Volatile.
   */
  readonly tickAt: number;
  readonly stallAt: number;
  readonly stallSince: number;
  /** Highest epoch ever seen (durable, node id ''), the base of our next claim. */
  readonly epochTop: Epoch;
  readonly reps: ReadonlyMap<number, Replica>;
  readonly dir: ReadonlyMap<number, DirEntry>;
  /**
   * The membership version at which this node last left each service's group (volatile: a
   * restarted node forgot it). A JOIN below it is refused (agent.ts `onJoin`).
   */
  readonly left: ReadonlyMap<number, number>;
  readonly agent: Agent;
  /** Orphans handed to a winner and not yet confirmed, per service (outbox.ts). */
  readonly outbox: ReadonlyMap<number, Pending>;
}

/** Orphaned requests on their way to a primary of their service, until it confirms. */
export interface Pending {
  readonly to: NodeId;
  readonly epoch: Epoch;
  readonly reqs: readonly ClientRequest[];
  readonly discard: boolean;
  /** The time of the step that last added orphans: a confirmation names it. */
  readonly id: number;
  /** A losing primary's pending discard notices, carried with the orphans. */
  readonly notices?: ReadonlyMap<ClientId, Notice>;
}

/** What survives a crash. */
export interface Disk {
  readonly epochTop: Epoch;
  readonly on: boolean;
  readonly reps: ReadonlyMap<number, {
    readonly members: readonly NodeId[];
    readonly mver: number;
    readonly epoch: Epoch;
    readonly data: SvcData;
  }>;
  readonly outbox: ReadonlyMap<number, Pending>;
}

export type Msg =
  | {
      readonly t: 'hb'; readonly svc: number; readonly role: Role; readonly primary: NodeId | null;
      readonly epoch: Epoch; readonly members: readonly NodeId[]; readonly mver: number;
      readonly idx: number; readonly lastE: Epoch | null; readonly lastTag: string;
      readonly pAgeUs: number;
      /**
       * Present (true) while the sender is back from a restart, within its recovery guard, and
       * follows no primary: it knows no more of the group than its disk did, so a member that
       * restarted with it may not take its word for the group (replica.ts `guardOk`). Absent
       * otherwise, so heartbeats of a group without restarts are what they were.
       */
      readonly recovering?: true;
      /**
       * A primary's: every member holds the log up to here, as on updates, so a backup that
       * holds the primary's tip truncates in idle time too (-1 from a non-primary).
       */
      readonly stable: number;
    }
  | {
      readonly t: 'upd'; readonly svc: number; readonly claim: Claim; readonly prevI: number;
      readonly prevE: Epoch | null; readonly prevTag: string; readonly entries: readonly Entry[];
      /** Every member holds the log up to here: backups may checkpoint up to it. */
      readonly stable: number;
    }
  | {
      readonly t: 'ack'; readonly svc: number; readonly epoch: Epoch; readonly idx: number;
      readonly lastE: Epoch | null; readonly lastTag: string;
    }
  | { readonly t: 'xfer'; readonly svc: number; readonly claim: Claim; readonly data: SvcData }
  | {
      readonly t: 'claim'; readonly svc: number; readonly claim: Claim;
      /**
       * How long ago the sender last heard the claimant's claim directly, on its own clock (0
       * from the claimant itself, -1 unknown), as a heartbeat's `pAgeUs`: a relayed claim older
       * than T_fd deposes nobody (conflict.ts `onClaim`).
       */
      readonly ageUs: number;
    }
  | {
      readonly t: 'resubmit'; readonly svc: number; readonly epoch: Epoch;
      readonly reqs: readonly ClientRequest[];
      /** Policy `discard`: the orphans are not re-executed, only reported so clients are told. */
      readonly discard: boolean;
      /** Echoed in the confirmation (outbox.ts). */
      readonly id: number;
      /**
       * A losing primary's pending discard notices: the winner tells those clients (P2.5: at
       * their next access, whoever is primary then).
       */
      readonly notices?: ReadonlyMap<ClientId, Notice>;
    }
  /** A primary took the orphans sent at `id` (outbox.ts). */
  | { readonly t: 'resubmitted'; readonly svc: number; readonly id: number }
  | { readonly t: 'fwd'; readonly svc: number; readonly req: ClientRequest; readonly hops: number }
  | { readonly t: 'join'; readonly svc: number; readonly claim: Claim }
  | { readonly t: 'joinAck'; readonly svc: number; readonly ok: boolean }
  | {
      readonly t: 'handoff'; readonly svc: number; readonly claim: Claim;
      /**
       * The predecessor's tip: a planned successor takes over only holding it (P2.6 #2). Null
       * for an operator's order, which asks for no catch-up.
       */
      readonly tip: Position | null;
      /** The predecessor's pending discard notices: the successor tells those clients. */
      readonly notices: ReadonlyMap<ClientId, Notice>;
    }
  | {
      readonly t: 'gossip'; readonly load: number; readonly on: boolean; readonly hosted: number;
      /** The claims of the primaries this node hosts: conflict detection across memberships. */
      readonly claims: readonly (Claim & { readonly svc: number })[];
    }
  | { readonly t: 'wake' }
  /** To itself, after the write of an epoch change: that epoch is on disk (replica.ts). */
  | { readonly t: 'synced'; readonly svc: number; readonly epoch: Epoch };

/** Messages a node handles itself, whatever replicas it hosts. */
export type NodeMsg = Extract<Msg, {
  readonly t: 'gossip' | 'wake' | 'join' | 'fwd' | 'resubmitted' | 'synced';
}>;
/** Messages about one service, handled by this node's replica of it. */
export type ReplicaMsg = Exclude<Msg, NodeMsg>;

/** OPB's timers, one each per node: heartbeat/tick, load gossip, reorganization window. */
export type Timer = 'hb' | 'gossip' | 'window';

export type Out = Effect<Msg>[];

/** A step's result while handling one replica: the new replica and the effects so far. */
export interface RepStep {
  readonly rep: Replica | null;
  readonly out: Out;
}

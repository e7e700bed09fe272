/**
 * Data of the bounded model checker (`replisim check`): the closed system it explores, the
 * actions between system states, and the result it returns as plain data.
 *
 * Time is abstracted away: every event carries `now = 0`, and any pending timer may fire at any
 * moment. That over-approximates what the simulator can do (a timer may fire "early"), which is
 * the safe direction for a safety checker.
 */
import type { ClientRequest, NodeId, ReplyOutcome } from '../../protocol/types.js';
import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import type { History } from '../history.js';

/** The bounds and shape of the closed system. */
export interface CheckConfig {
  /** Number of replicas, named n1..nR; all of them are in the initial replica set. */
  readonly replicas: number;
  /** Number of clients, named c0..c(C-1). */
  readonly clients: number;
  /** Operations each client issues, one at a time, from a fixed list (see `clientOps`). */
  readonly ops: number;
  /** Crashes allowed in one path (a crashed node may restart from its durable part). */
  readonly crashes: number;
  /** Message losses allowed in one path (explicit "drop" actions). */
  readonly drops: number;
  /**
   * Timer firings allowed in one path, or null for no bound. Since any pending timer may fire at
   * any moment, periodic timers (heartbeats, election timeouts) dominate the state space; most
   * bugs need only a few firings.
   */
  readonly timers: number | null;
  /** Resends per client operation (the client's timeout fired), following its ClientPolicy. */
  readonly retries: number;
  /**
   * 'multiset': every copy in flight counts. 'set': identical in-flight copies merge, which is
   * the loss of a copy (so only sound for protocols that survive loss) but keeps repeated
   * heartbeats from growing the state space without bound.
   */
  readonly network: 'multiset' | 'set';
  /** The mutant to select, or null for the correct protocol. */
  readonly mutant: string | null;
  /** Protocol parameters overriding the protocol's defaults. */
  readonly params: { readonly [k: string]: unknown };
}

export const defaultCheckConfig: CheckConfig = {
  replicas: 2, clients: 1, ops: 2, crashes: 1, drops: 0, timers: null, retries: 0,
  network: 'set', mutant: null, params: {},
};

/** One machine as the checker sees it. */
export interface NodeSlot {
  readonly name: NodeId;
  readonly up: boolean;
  /** Protocol state; null while down. */
  readonly state: unknown;
  /** What survived the last crash; only meaningful while down (null while up). */
  readonly disk: unknown;
  /** Pending timer names, sorted and distinct (deadlines are abstracted away). */
  readonly timers: readonly string[];
  /**
   * The slot's part of the fingerprint, one lane pair per renaming, filled in by fingerprint.ts
   * on first use (a slot is shared by many states). A changed slot is a new object without it.
   */
  hash?: number[] | null;
  /** Transitions of this slot met so far, by event (see `Draft.transition`). */
  next?: Map<unknown, SlotStep> | null;
}

/** What one node transition from a slot gives: the new slot, the packets sent, any violation. */
export interface SlotStep {
  readonly slot: NodeSlot;
  readonly sent: readonly Packet[];
  readonly violation: Violation | null;
}

/** Something in flight: a protocol message, a client request or a reply to a client. */
export type Packet =
  | (Route & { readonly kind: 'msg'; readonly body: unknown })
  | (Route & { readonly kind: 'req'; readonly body: ClientRequest })
  | (Route & {
    readonly kind: 'rep'; readonly body: { readonly seq: number; readonly outcome: ReplyOutcome };
  });

/** Where a packet goes, and its canonical text (the sort and fingerprint key). */
interface Route {
  readonly from: string;
  readonly to: string;
  readonly key: string;
  /** The packet's part of the fingerprint, filled in on first use (as NodeSlot's `hash`). */
  hash?: number[] | null;
  /** Its deliver and drop actions, made once (packets are interned: see `Draft.addPacket`). */
  deliver?: Action | undefined;
  drop?: Action | undefined;
}

/** A client's progress through its fixed operation list. */
export interface ClientSlot {
  readonly name: string;
  /** Operations invoked so far; the current one (if any) has seq = issued. */
  readonly issued: number;
  /** History id of the outstanding operation, or null when idle. */
  readonly opId: number | null;
  readonly retries: number;
  /** Index into `members` of the replica the next request goes to. */
  readonly target: number;
  readonly members: readonly NodeId[];
  /** The client's part of the fingerprint, one lane pair per renaming (as NodeSlot's `hash`). */
  hash?: number[] | null;
}

/** One history operation; call and return are logical history-event numbers. */
export interface CheckOp {
  readonly client: string;
  readonly input: KvOp;
  readonly call: number;
  readonly ret: number | null;
  readonly output: KvResult | null;
}

/** A state of the whole closed system. Treated as immutable: actions build new states. */
export interface SystemState {
  readonly nodes: readonly NodeSlot[];
  /** In-flight packets, sorted by `key` (duplicates adjacent in 'multiset' mode). */
  readonly inflight: readonly Packet[];
  readonly clients: readonly ClientSlot[];
  readonly history: readonly CheckOp[];
  /** History events (calls and returns) so far: the logical clock of the history. */
  readonly events: number;
  readonly crashes: number;
  readonly drops: number;
  /** Timer firings so far; counted only when `timers` bounds them (else it would split states). */
  readonly fired: number;
  /** The history's hash lanes, once computed (carried over by an action that keeps it). */
  historyHash?: readonly number[] | null;
}

/** A transition, in the deterministic order of `enumerateActions`. */
export type Action =
  | { readonly kind: 'deliver'; readonly packet: Packet }
  | { readonly kind: 'drop'; readonly packet: Packet }
  | { readonly kind: 'timer'; readonly node: number; readonly timer: string }
  | { readonly kind: 'invoke'; readonly client: number }
  | { readonly kind: 'retry'; readonly client: number }
  | { readonly kind: 'crash'; readonly node: number }
  | { readonly kind: 'restart'; readonly node: number };

/** What went wrong. 'assertion': `step` threw; 'invariant': `invariants` returned a message. */
export interface Violation {
  readonly kind: 'assertion' | 'invariant' | 'linearizability';
  /** The node that stepped, or null for a history violation. */
  readonly node: string | null;
  readonly message: string;
}

/** Linearizability of a history, injected so that simulator/ does not import properties/. */
export type HistoryCheck = (history: History) => {
  readonly verdict: 'ok' | 'illegal' | 'unknown';
  readonly explanation?: string;
};

/** A path to a violation: action descriptions, and the action indices that replay it. */
export interface Counterexample {
  readonly actions: readonly string[];
  readonly path: readonly number[];
  readonly violation: Violation;
  readonly history: History;
}

/** The outcome of a search, as data. */
export interface CheckResult {
  readonly protocol: string;
  readonly config: CheckConfig;
  readonly maxDepth: number;
  /** Search order: breadth-first (shortest counterexample) or depth-first. */
  readonly order: 'bfs' | 'dfs';
  /** Whether states equal up to a renaming of the replicas were merged (symmetry.ts). */
  readonly symmetry: boolean;
  /** Transitions taken (successor states generated, duplicates included). */
  readonly states: number;
  /** Distinct fingerprints seen. */
  readonly unique: number;
  /**
   * Distinct protocol states of single up nodes met by the search: the unit of `explore
   * --state-coverage`. Counted by sequential searches only (absent from a parallel one).
   */
  readonly nodeStates?: number;
  /** Deepest level reached (BFS: the longest shortest path; DFS: the longest path taken). */
  readonly depth: number;
  /** True when nothing was cut off by the depth or state bound: the space was exhausted. */
  readonly complete: boolean;
  /**
   * Without a counterexample and not complete: the bound that cut the search off. 'time' (the
   * wall clock of `--timeout`) means the search was stopped, not answered: the same command may
   * see more on a faster machine; depth and state bounds give the same result everywhere.
   */
  readonly cutOff: 'depth' | 'states' | 'time' | null;
  /** Histories whose linearizability check gave up ('unknown'). */
  readonly unknownHistories: number;
  readonly ms: number;
  readonly verdict: 'ok' | 'violation';
  readonly counterexample: Counterexample | null;
}

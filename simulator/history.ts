import type { KvOp, KvResult } from '../protocol/kv-types.js';

/**
 * One client operation as recorded by the simulator: a closed interval [call, return] in virtual
 * microseconds. An operation with no `return` is indefinite: it may or may not have taken effect
 * and its interval is open to the end of the history.
 */
export interface HistoryOp {
  /** Dense index in invocation order (0, 1, 2, …). */
  readonly id: number;
  /**
   * In a simulated run, a client's n-th operation here (ids ascending) is its request seq n
   * (clients.ts): the (client, seq) that protocols report executing names this operation.
   */
  readonly client: string;
  readonly input: KvOp;
  readonly call: number;
  /** 'ok': completed with output; 'fail': definitely not applied; 'info': indefinite. */
  readonly status: 'ok' | 'fail' | 'info';
  readonly return?: number;
  readonly output?: KvResult;
  /**
   * When the client was told that this acknowledged write was later dropped (an optimistic
   * protocol's `discard` reconciliation): a lost write, but not a silent one.
   */
  readonly discardedAt?: number;
}

/** The client history of one run, in the native JSON format (`replisim/history@1`). */
export interface History {
  readonly schema: 'replisim/history@1';
  readonly ops: readonly HistoryOp[];
}

/** Records client operations as invocation/response pairs in invocation order. */
import type { KvOp, KvResult } from '../protocol/kv-types.js';
import { assert } from '../protocol/assert.js';
import type { HistoryOp } from './history.js';

interface OpenOp {
  id: number;
  client: string;
  input: KvOp;
  call: number;
  status: HistoryOp['status'];
  return?: number;
  output?: KvResult;
  discardedAt?: number;
}

export class HistoryRecorder {
  private readonly ops: OpenOp[] = [];

  invoke(client: string, input: KvOp, call: number): number {
    this.ops.push({ id: this.ops.length, client, input, call, status: 'info' });
    return this.ops.length - 1;
  }

  complete(id: number, at: number, status: 'ok' | 'fail', output?: KvResult): void {
    const op = this.ops[id];
    assert(op !== undefined, `history: unknown op ${id}`);
    assert(op.return === undefined, `history: op ${id} completed twice`);
    assert(at >= op.call, `history: op ${id} returns before its call`);
    op.status = status;
    op.return = at;
    if (output !== undefined) op.output = output;
  }

  /** The client was told this acknowledged op was dropped; false if already known. */
  notifyDiscarded(id: number, at: number): boolean {
    const op = this.ops[id];
    assert(op !== undefined, `history: unknown op ${id}`);
    if (op.discardedAt !== undefined) return false;
    op.discardedAt = at;
    return true;
  }

  /** Operations still open stay indefinite ('info', no return). */
  finish(): HistoryOp[] {
    return this.ops.map((op) => ({ ...op }));
  }
}

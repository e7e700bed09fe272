/**
 * The key-value state machine every built-in protocol replicates. Stores are immutable maps so
 * that protocol states can be shared between steps without defensive copies.
 */
import type { KvOp, KvResult } from './kv-types.js';
import type { TraceSink } from './types.js';

export type KvStore = ReadonlyMap<string, string>;

export const emptyStore: KvStore = new Map();

export function kvApply(store: KvStore, op: KvOp): { store: KvStore; result: KvResult } {
  const current = store.get(op.key) ?? '';
  switch (op.type) {
    case 'get':
      return { store, result: { ok: true, value: current } };
    case 'put':
      return { store: withKey(store, op.key, op.value), result: { ok: true } };
    case 'append':
      return { store: withKey(store, op.key, current + op.value), result: { ok: true } };
    case 'cas':
      if (current !== op.expected) return { store, result: { ok: false } };
      return { store: withKey(store, op.key, op.value), result: { ok: true } };
  }
}

function withKey(store: KvStore, key: string, value: string): KvStore {
  const next = new Map(store);
  next.set(key, value);
  return next;
}

/** Whether an operation can change the store (reads may be served without replication). */
export function kvIsWrite(op: KvOp): boolean {
  return op.type !== 'get';
}

/** Canonical text of a store: keys sorted, so equal stores give equal text on every replica. */
export function kvCanonical(store: KvStore): string {
  const keys = [...store.keys()].sort();
  return keys.map((k) => `${k}=${store.get(k) ?? ''}`).join(';');
}

/** A short digest of a store for convergence observations (FNV-1a, 32 bits, hex). */
export function kvDigest(store: KvStore): string {
  return fnv1a32(kvCanonical(store));
}

export function fnv1a32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The facts `describeOp` shows, as trace-hash tokens (see Protocol.encodeMessage). */
export function encodeOp(op: KvOp, out: TraceSink): void {
  switch (op.type) {
    case 'get':
      out.int(0);
      return out.str(op.key);
    case 'put':
      out.int(1);
      break;
    case 'append':
      out.int(2);
      break;
    case 'cas':
      out.int(3);
      out.str(op.expected);
      break;
  }
  out.str(op.key);
  out.str(op.value);
}

export function describeOp(op: KvOp): string {
  switch (op.type) {
    case 'get':
      return `get ${op.key}`;
    case 'put':
      return `put ${op.key}=${op.value}`;
    case 'append':
      return `append ${op.key}+=${op.value}`;
    case 'cas':
      return `cas ${op.key} ${op.expected}->${op.value}`;
  }
}

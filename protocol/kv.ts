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
  return fnvHex(fnvStore(FNV_OFFSET, store));
}

export function fnv1a32(text: string): string {
  return fnvHex(fnvText(FNV_OFFSET, text));
}

/** The FNV-1a state before any input. */
export const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a state `h` continued over the UTF-16 units of `text`. */
export function fnvText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/**
 * FNV-1a state `h` continued over `kvCanonical(store)` without building that text: the same
 * digest for a fraction of the garbage (SMART digests its store after every executed slot).
 */
export function fnvStore(h: number, store: KvStore): number {
  const keys = [...store.keys()].sort();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) h = Math.imul(h ^ 0x3b, 0x01000193); // ';'
    h = fnvText(h, k);
    h = Math.imul(h ^ 0x3d, 0x01000193); // '='
    h = fnvText(h, store.get(k) ?? '');
  }
  return h;
}

/** The hex form of a final FNV-1a state. */
export function fnvHex(h: number): string {
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

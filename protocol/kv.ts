/**
 * The key-value state machine every built-in protocol replicates. Stores are immutable maps so
 * that protocol states can be shared between steps without defensive copies.
 */
import type { KvOp, KvResult } from './kv-types.js';
import type { TraceSink } from './types.js';

export type KvStore = ReadonlyMap<string, string>;

export const emptyStore: KvStore = new Map();

export interface KvApplied {
  readonly store: KvStore;
  readonly result: KvResult;
}

/**
 * The last few writes applied, by identity of the store and the operation. Both are immutable,
 * so the same pair always gives the same answer, and replicas apply the very same operation
 * object (it travels inside the messages by reference) to the very same store (by induction from
 * `emptyStore`): the first replica to execute a slot copies the store, the others reuse that
 * copy, and with it the digest memo below. A small ring, so nothing outlives a run for long.
 */
const MEMO = 16;
const applied: { from: KvStore | null; op: KvOp | null; out: KvApplied | null }[] =
  Array.from({ length: MEMO }, () => ({ from: null, op: null, out: null }));
let appliedNext = 0;

export function kvApply(store: KvStore, op: KvOp): KvApplied {
  // Reads too: then every replica answers a read with the very same result object, and
  // SMART's reply-cache memo (execution.ts) can share the cache update that records it.
  for (let i = 0; i < MEMO; i++) {
    const e = applied[i]!;
    if (e.op === op && e.from === store) return e.out!;
  }
  const out = kvCompute(store, op);
  const e = applied[appliedNext]!;
  appliedNext = (appliedNext + 1) % MEMO;
  e.from = store;
  e.op = op;
  e.out = out;
  return out;
}

function kvCompute(store: KvStore, op: KvOp): KvApplied {
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
  // Copied by for…of, not `new Map(store)` (twice the cost, see map-with.ts); never the same
  // object even for an equal value: OPB tells a write that changed nothing by identity.
  const next = new Map<string, string>();
  for (const [k, v] of store) next.set(k, v);
  return next.set(key, value);
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
  for (let i = 0; i < MEMO; i++) if (digested[i]!.store === store) return digested[i]!.digest;
  const digest = fnvHex(fnvStore(FNV_OFFSET, store));
  const e = digested[digestedNext]!;
  digestedNext = (digestedNext + 1) % MEMO;
  e.store = store;
  e.digest = digest;
  return digest;
}

/** The last few stores digested (see `applied`: replicas digest the very same store objects). */
const digested: { store: KvStore | null; digest: string }[] =
  Array.from({ length: MEMO }, () => ({ store: null, digest: '' }));
let digestedNext = 0;

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
  let first = true;
  for (const k of keysSorted(store)) {
    if (!first) h = Math.imul(h ^ 0x3b, 0x01000193); // ';'
    first = false;
    h = fnvText(h, k);
    h = Math.imul(h ^ 0x3d, 0x01000193); // '='
    h = fnvText(h, store.get(k) ?? '');
  }
  return h;
}

/**
 * A map's keys in sorted order, for digests of canonical text. Maps mostly hold their keys in
 * order already (each key enters once): then the keys themselves, no sorted copy.
 */
export function keysSorted(map: ReadonlyMap<string, unknown>): Iterable<string> {
  let prev: string | null = null;
  for (const k of map.keys()) {
    if (prev !== null && !(prev < k)) return [...map.keys()].sort();
    prev = k;
  }
  return map.keys();
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

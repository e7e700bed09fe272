import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import { kvKeyModel } from './kv-key.js';
import type { Model, Operation, StepResult } from './types.js';

/** One key of a `kv` state, with a polynomial hash of its value kept up to date incrementally. */
interface KvEntry {
  readonly key: string;
  readonly value: string;
  /** Polynomial hash of `value` (see `extendHash`). */
  readonly valueHash: number;
  /** `entryHash(key, valueHash)`: this entry's share of the state hash. */
  readonly hash: number;
}

/**
 * State of the `kv` model: entries sorted by key. Absent keys read as "" (the Porcupine
 * convention), so an entry whose value is "" is never stored; this keeps states canonical.
 * `hash` is the XOR of the entries' hashes, so changing one key updates it in O(1) and appending
 * costs O(length of the appended text), not O(length of the value).
 */
export interface KvState {
  readonly entries: readonly KvEntry[];
  readonly hash: number;
}

const EMPTY: KvState = { entries: [], hash: 0 };

/** Extends a polynomial string hash (base 31, mod 2^32) with `text`. */
function extendHash(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

function entryHash(key: string, valueHash: number): number {
  let h = Math.imul(extendHash(0x2545f491, key) ^ valueHash, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

function findKey(entries: readonly KvEntry[], key: string): number {
  for (let i = 0; i < entries.length; i++) if ((entries[i] as KvEntry).key === key) return i;
  return -1;
}

function withValue(state: KvState, key: string, value: string, valueHash: number): KvState {
  const entries = state.entries;
  const at = findKey(entries, key);
  const old = at < 0 ? undefined : entries[at];
  if ((old?.value ?? '') === value) return state;
  let hash = old === undefined ? state.hash : state.hash ^ old.hash;
  if (value === '') {
    return { entries: entries.filter((_, i) => i !== at), hash };
  }
  const entry: KvEntry = { key, value, valueHash, hash: entryHash(key, valueHash) };
  hash ^= entry.hash;
  if (at >= 0) {
    const next = entries.slice();
    next[at] = entry;
    return { entries: next, hash };
  }
  const next = entries.filter((e) => e.key < key);
  next.push(entry);
  for (const e of entries) if (e.key > key) next.push(e);
  return { entries: next, hash };
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function stepKv(state: KvState, input: KvOp, output: KvResult | undefined): StepResult<KvState> {
  const at = findKey(state.entries, input.key);
  const entry = at < 0 ? undefined : state.entries[at];
  const current = entry?.value ?? '';
  switch (input.type) {
    case 'get':
      if (output === undefined) return { ok: true, state };
      return { ok: (output.value ?? '') === current, state };
    case 'put':
      return {
        ok: true,
        state: withValue(state, input.key, input.value, extendHash(0, input.value)),
      };
    case 'append': {
      if (input.value === '') return { ok: true, state };
      const valueHash = extendHash(entry?.valueHash ?? 0, input.value);
      return { ok: true, state: withValue(state, input.key, current + input.value, valueHash) };
    }
    case 'cas': {
      const matches = current === input.expected;
      const apply = (): KvState =>
        withValue(state, input.key, input.value, extendHash(0, input.value));
      // An indefinite CAS applies exactly when the comparison succeeds at its point.
      if (output === undefined) return { ok: true, state: matches ? apply() : state };
      // A CAS whose comparison failed is kept as a constraint: it saw a different value.
      if (!output.ok) return { ok: !matches, state };
      return { ok: matches, state: matches ? apply() : state };
    }
  }
}

function equalKv(a: KvState, b: KvState): boolean {
  if (a === b) return true;
  if (a.hash !== b.hash || a.entries.length !== b.entries.length) return false;
  for (let i = 0; i < a.entries.length; i++) {
    const x = a.entries[i] as KvEntry;
    const y = b.entries[i] as KvEntry;
    if (x.valueHash !== y.valueHash || x.key !== y.key || x.value !== y.value) return false;
  }
  return true;
}

function describeKvOperation(input: KvOp, output: KvResult | undefined): string {
  const suffix = output === undefined ? ' → ?' : '';
  switch (input.type) {
    case 'get': {
      const seen = output === undefined ? '?' : quote(output.value ?? '');
      return `get(${quote(input.key)}) → ${seen}`;
    }
    case 'put':
      return `put(${quote(input.key)}, ${quote(input.value)})${suffix}`;
    case 'append':
      return `append(${quote(input.key)}, ${quote(input.value)})${suffix}`;
    case 'cas': {
      const result = output === undefined ? '?' : output.ok ? 'ok' : 'mismatch';
      const change = `${quote(input.expected)} → ${quote(input.value)}`;
      return `cas(${quote(input.key)}, ${change}) → ${result}`;
    }
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The `kv` model: every key is an independent string register with get/put/append/cas.
 * Linearizability is local, so histories are partitioned by key.
 */
export const kvModel: Model<KvState, KvOp, KvResult> = {
  name: 'kv',
  description: 'per-key string register: get/put/append/cas; absent keys read ""',
  inputKind: 'kv',
  init: () => EMPTY,
  step: stepKv,
  // A 30-bit key stays a small integer in V8; `equal` resolves collisions.
  hash: (state) => state.hash & 0x3fffffff,
  equal: equalKv,
  // A new state: its object and entries array (a pointer per key), one new entry and its new
  // value (a cons string until compared); measured about 340 bytes a state with 8 keys.
  stateBytes: (state) => 112 + 8 * state.entries.length,
  partition(ops) {
    const byKey = new Map<string, Operation<KvOp, KvResult>[]>();
    for (const op of ops) {
      const group = byKey.get(op.input.key);
      if (group === undefined) byKey.set(op.input.key, [op]);
      else group.push(op);
    }
    const keys = [...byKey.keys()].sort(compareStrings);
    return keys.map((key) => byKey.get(key) ?? []);
  },
  specialize(ops) {
    const key = ops[0]?.input.key;
    if (key === undefined) return undefined;
    let writes = 0;
    for (const op of ops) {
      if (op.input.key !== key) return undefined;
      if (op.input.type !== 'get') writes++;
    }
    return kvKeyModel(key, writes);
  },
  describePartition(ops) {
    const first = ops[0];
    return first === undefined ? 'empty' : `key ${quote(first.input.key)}`;
  },
  describeOperation: describeKvOperation,
  describeState(state) {
    return `{${state.entries.map((e) => `${quote(e.key)}: ${quote(e.value)}`).join(', ')}}`;
  },
  isNoop: (input, output) => input.type === 'get' && output === undefined,
};

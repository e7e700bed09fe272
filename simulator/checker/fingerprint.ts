/**
 * State fingerprints (STYLE §5): SHA-256 over a canonical serialization, with unordered
 * collections (in-flight messages, timer sets) hashed order-independently: hash every element,
 * sort the hashes, hash the sorted list. Two states that differ only in the order their messages
 * were sent therefore get the same fingerprint.
 */
import { createHash } from 'node:crypto';
import type { SystemState } from './types.js';

export function sha(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** The same packets and timer names recur in many states; hash each distinct text once. */
const elementHashes = new Map<string, string>();

function hashElement(text: string): string {
  let hash = elementHashes.get(text);
  if (hash === undefined) {
    if (elementHashes.size >= 1 << 16) elementHashes.clear(); // Bounds memory across long runs.
    hash = sha(text);
    elementHashes.set(text, hash);
  }
  return hash;
}

/** Hash of a multiset of already-serialized elements, independent of their order. */
export function hashMultiset(elements: readonly string[]): string {
  return sha(elements.map(hashElement).sort().join(','));
}

/**
 * Canonical text of a protocol value: object keys sorted, Map entries sorted by key, Set elements
 * sorted. An append-only log view (`{items, length}`, see protocol/append-log.ts) shares its
 * backing array with newer views, so only its first `length` items are part of the value.
 */
export function serialize(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string': return JSON.stringify(value);
    case 'number': case 'boolean': return String(value);
    case 'object': break;
    default: throw new Error(`fingerprint: cannot serialize a ${typeof value}`);
  }
  if (Array.isArray(value)) return serializeItems(value, value.length);
  if (value instanceof Map) return serializeMap(value);
  if (value instanceof Set) return `S[${[...value].map(serialize).sort().join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  if (keys.length === 2 && keys[0] === 'items' && keys[1] === 'length'
    && Array.isArray(obj['items'])) {
    return serializeItems(obj['items'], obj['length'] as number);
  }
  let out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${serialize(v)}`;
  }
  return `${out}}`;
}

function serializeItems(items: readonly unknown[], length: number): string {
  let out = '[';
  for (let i = 0; i < length; i++) out += `${i > 0 ? ',' : ''}${serialize(items[i])}`;
  return `${out}]`;
}

function serializeMap(map: ReadonlyMap<unknown, unknown>): string {
  const entries: string[] = [];
  // A separator that cannot occur inside a serialized key keeps the sort on keys alone.
  for (const [k, v] of map) entries.push(`${serialize(k)}\u0000${serialize(v)}`);
  entries.sort();
  return `M{${entries.join(',').replaceAll('\u0000', ':')}}`;
}

/** Protocol states are shared between system states; hash each state object once. */
const stateHashes = new WeakMap<object, string>();

function hashValue(value: unknown): string {
  if (typeof value !== 'object' || value === null) return sha(serialize(value));
  const cached = stateHashes.get(value);
  if (cached !== undefined) return cached;
  const hash = sha(serialize(value));
  stateHashes.set(value, hash);
  return hash;
}

/** Timer sets are shared between successive states of a node; hash each array once. */
const timerHashes = new WeakMap<readonly string[], string>();

function hashTimers(timers: readonly string[]): string {
  let hash = timerHashes.get(timers);
  if (hash === undefined) {
    hash = hashMultiset(timers);
    timerHashes.set(timers, hash);
  }
  return hash;
}

/** The fingerprint of a whole system state. */
export function fingerprint(s: SystemState): string {
  const nodes = s.nodes.map((n) =>
    `${n.up ? 'U' : 'D'}${hashValue(n.up ? n.state : n.disk)}${hashTimers(n.timers)}`);
  const inflight = hashMultiset(s.inflight.map((p) => p.key));
  const clients = s.clients.map((c) =>
    `${c.issued}/${c.opId ?? '-'}/${c.retries}/${c.target}/${c.members.join('+')}`);
  const history = hashValue(s.history);
  const budgets = `${s.crashes}/${s.drops}/${s.fired}`;
  return sha(`${nodes.join('|')}#${inflight}#${clients.join('|')}#${history}#${budgets}`);
}

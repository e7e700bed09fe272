/**
 * State fingerprints (STYLE §5): a structural 64-bit hash (hash64.ts) of the whole system state,
 * built from cached part hashes: each node slot and each in-flight packet is hashed once (they
 * are shared between the many states that contain them), the in-flight multiset is the sum of
 * its packets' hashes (so the order messages were sent in does not matter, and multiplicity
 * does), and the rest is a short ordered record of words.
 *
 * Collisions: for n unique states the chance that any two of them share a fingerprint is about
 * n² / 2^65 (1e6 states: 3e-8; 1e8 states: 3e-4). A collision can only hide states, never
 * report a false violation: every counterexample is replayed from its path.
 *
 * `serialize` (canonical text) remains the sort key of in-flight packets and the key of the
 * history-verdict cache, where an exact, readable identity is wanted.
 */
import { addString, addWord, beginWords, endWords, hashHi, hashOf, setRename } from '../hash64.js';
import { identityOnly, type Permutation } from './symmetry.js';
import type { ClientSlot, NodeSlot, Packet, SystemState } from './types.js';
import type { VisitedSet } from '../visited.js';

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

/**
 * Where the distinct protocol states of single (up) nodes are counted, or null: the figure
 * `explore --state-coverage` gives for random runs, counted here over an exhaustive search.
 * Every slot is hashed once when first met, and every state met is in the searched space.
 */
let nodeStates: VisitedSet | null = null;

export function countNodeStates(into: VisitedSet | null): void {
  nodeStates = into;
}

/** Lanes of the fingerprint last computed by `fingerprintOf`. */
export let fpLo = 0;
export let fpHi = 0;

function slotHash(slot: NodeSlot, perms: readonly Permutation[]): number[] {
  let h = slot.hash;
  if (h !== undefined && h !== null && h.length === 2 * perms.length) return h;
  h = new Array<number>(2 * perms.length);
  for (let p = 0; p < perms.length; p++) {
    setRename(perms[p]!.rename);
    const v0 = hashOf(slot.up ? slot.state : slot.disk);
    const v1 = hashHi;
    // The identity renaming comes first: the node state's own hash, as the simulator's.
    if (p === 0 && slot.up && nodeStates !== null) nodeStates.add(v0, v1);
    // Timers are a set: a renaming may change their sorted order.
    let t0 = 0;
    let t1 = 0;
    for (const timer of slot.timers) {
      t0 = (t0 + hashOf(timer)) | 0;
      t1 = (t1 + hashHi) | 0;
    }
    beginWords();
    addWord(slot.up ? 1 : 2);
    addWord(v0);
    addWord(v1);
    addWord(t0);
    addWord(t1);
    h[2 * p] = endWords();
    h[2 * p + 1] = hashHi;
  }
  setRename(null);
  slot.hash = h;
  return h;
}

function packetHash(packet: Packet, perms: readonly Permutation[]): number[] {
  let h = packet.hash;
  if (h !== undefined && h !== null && h.length === 2 * perms.length) return h;
  h = new Array<number>(2 * perms.length);
  for (let p = 0; p < perms.length; p++) {
    setRename(perms[p]!.rename);
    const b0 = hashOf(packet.body);
    const b1 = hashHi;
    beginWords();
    addString(packet.kind);
    addString(packet.from);
    addString(packet.to);
    addWord(b0);
    addWord(b1);
    h[2 * p] = endWords();
    h[2 * p + 1] = hashHi;
  }
  setRename(null);
  packet.hash = h;
  return h;
}

/** The history names clients and values only, never a replica: no renaming needed. */
function historyHash(s: SystemState): readonly number[] {
  let h = s.historyHash;
  if (h === undefined || h === null) {
    h = [hashOf(s.history), hashHi];
    s.historyHash = h;
  }
  return h;
}

/** A client slot's part: its progress and the members it knows (renamed). */
function clientHash(c: ClientSlot, perms: readonly Permutation[]): number[] {
  let h = c.hash;
  if (h !== undefined && h !== null && h.length === 2 * perms.length) return h;
  h = new Array<number>(2 * perms.length);
  for (let p = 0; p < perms.length; p++) {
    setRename(perms[p]!.rename);
    beginWords();
    addWord(c.issued);
    addWord(c.opId ?? -1);
    addWord(c.retries);
    addWord(c.target);
    addWord(c.members.length);
    for (const m of c.members) addString(m);
    h[2 * p] = endWords();
    h[2 * p + 1] = hashHi;
  }
  setRename(null);
  c.hash = h;
  return h;
}

/** Scratch space for the part hashes of one state. */
const slots: number[][] = [];
const packets: number[][] = [];
const parts: number[][] = [];

/**
 * Computes the fingerprint of a state into `fpLo`/`fpHi`: under symmetry reduction, the least
 * (as an unsigned 64-bit number) of its fingerprints under every renaming.
 */
export function fingerprintOf(s: SystemState, perms: readonly Permutation[]): void {
  const nodes = s.nodes;
  const inflight = s.inflight;
  slots.length = nodes.length;
  for (let i = 0; i < nodes.length; i++) slots[i] = slotHash(nodes[i]!, perms);
  packets.length = inflight.length;
  for (let i = 0; i < inflight.length; i++) packets[i] = packetHash(inflight[i]!, perms);
  const clients = s.clients;
  parts.length = clients.length;
  for (let i = 0; i < clients.length; i++) parts[i] = clientHash(clients[i]!, perms);
  const hist = historyHash(s);
  let bestLo = 0;
  let bestHi = 0;
  for (let p = 0; p < perms.length; p++) {
    const perm = perms[p]!;
    setRename(perm.rename);
    beginWords();
    for (let j = 0; j < nodes.length; j++) {
      const h = slots[perm.source[j]!]!;
      addWord(h[2 * p]!);
      addWord(h[2 * p + 1]!);
    }
    let sumLo = 0;
    let sumHi = 0;
    for (let i = 0; i < packets.length; i++) {
      sumLo = (sumLo + packets[i]![2 * p]!) | 0;
      sumHi = (sumHi + packets[i]![2 * p + 1]!) | 0;
    }
    addWord(packets.length);
    addWord(sumLo);
    addWord(sumHi);
    for (let i = 0; i < parts.length; i++) {
      addWord(parts[i]![2 * p]!);
      addWord(parts[i]![2 * p + 1]!);
    }
    addWord(hist[0]!);
    addWord(hist[1]!);
    addWord(s.crashes);
    addWord(s.drops);
    addWord(s.fired);
    const lo = endWords();
    const hi = hashHi;
    if (p === 0 || (hi >>> 0) < (bestHi >>> 0)
      || (hi === bestHi && (lo >>> 0) < (bestLo >>> 0))) {
      bestLo = lo;
      bestHi = hi;
    }
  }
  setRename(null);
  fpLo = bestLo;
  fpHi = bestHi;
}

/** The fingerprint of a state as 16 hex digits (tests and diagnostics). */
export function fingerprint(
  s: SystemState, perms: readonly Permutation[] = identityOnly(s.nodes.length),
): string {
  fingerprintOf(s, perms);
  return hex(fpHi) + hex(fpLo);
}

/** Hash of a multiset of strings, independent of their order (16 hex digits). */
export function hashMultiset(elements: readonly string[]): string {
  let sumLo = 0;
  let sumHi = 0;
  for (const e of elements) {
    sumLo = (sumLo + hashOf(e)) | 0;
    sumHi = (sumHi + hashHi) | 0;
  }
  beginWords();
  addWord(elements.length);
  addWord(sumLo);
  addWord(sumHi);
  const lo = endWords();
  return hex(hashHi) + hex(lo);
}

function hex(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}

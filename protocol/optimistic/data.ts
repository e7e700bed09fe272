/** The replicated service state: store, dedup table, update log and lineage. */
import { emptyLog, logAppend } from '../append-log.js';
import { assert } from '../assert.js';
import {
  emptyStore, FNV_OFFSET, fnvHex, fnvStore, fnvText, keysSorted, kvApply, type KvStore,
} from '../kv.js';
import type { ClientRequest } from '../types.js';
import { eqEpoch } from './epoch.js';
import type { Entry, Epoch, Run, SvcData } from './types.js';
import { mapWith } from '../map-with.js';
import { dataWith } from './records.js';

export const emptyData: SvcData = {
  store: emptyStore, dedup: new Map(), log: emptyLog(), lineage: [], base: 0, baseTag: '',
  folded: emptyLog(),
};

export const lastIndex = (d: SvcData): number => d.base + d.log.length;

/** The entry at i if the log still holds it (i > base). */
export function entryAt(d: SvcData, i: number): Entry | undefined {
  return i > d.base && i <= lastIndex(d) ? d.log.items[i - d.base - 1] : undefined;
}

/** Epoch of the entry at i (from the lineage below the checkpoint), or null for 0 / beyond. */
export function epochOf(d: SvcData, i: number): Epoch | null {
  if (i < 1 || i > lastIndex(d)) return null;
  const entry = entryAt(d, i);
  if (entry !== undefined) return entry.e;
  let lo = 0;
  let hi = d.lineage.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d.lineage[mid]!.last >= i) hi = mid;
    else lo = mid + 1;
  }
  return d.lineage[lo]?.e ?? null;
}

export const lastEpoch = (d: SvcData): Epoch | null => epochOf(d, lastIndex(d));

/**
 * Identity of the entry at i (client#seq): epochs can repeat after amnesia, requests cannot.
 * Below the checkpoint it is unknown (''): a backup behind it gets a state transfer.
 */
export function tagAt(d: SvcData, i: number): string {
  if (i === d.base) return d.baseTag;
  const e = entryAt(d, i);
  return e === undefined ? '' : `${e.client}#${e.seq}`;
}

export const lastTag = (d: SvcData): string => tagAt(d, lastIndex(d));

/**
 * The fork point of two histories: the largest index where both hold an entry of the same
 * epoch. By the log matching rule, equal epochs at i imply equal prefixes, so the predicate is
 * monotone and a binary search suffices; the lineage answers below a checkpoint.
 */
export function forkPoint(a: SvcData, b: SvcData): number {
  let lo = 0;
  let hi = Math.min(lastIndex(a), lastIndex(b));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (eqEpoch(epochOf(a, mid), epochOf(b, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The retained entries after index `from` (exclusive): the requests a loser can re-submit. */
export function retainedAfter(d: SvcData, from: number): Entry[] {
  return d.log.items.slice(Math.max(0, from - d.base), d.log.length);
}

/**
 * Orphans: our writes after the fork point, in order, for the winner to re-execute (`merge`) or
 * to tell their clients of (`discard`); its dedup skips those it executed. Those a checkpoint
 * folded come from the request log: a fork below our checkpoint (a winner whose history lacks
 * what every member of our group held: an amnesiac member's new history, or a side that repaired
 * its membership during a partition) would otherwise lose them silently (explore seeds 69, 365).
 */
export function orphansOf(mine: SvcData, fork: number): ClientRequest[] {
  const folded = mine.folded.items.slice(0, mine.folded.length)
    .filter((f) => f.i > fork)
    .map((f) => f.req);
  const kept = retainedAfter(mine, fork).map((e) => ({ client: e.client, seq: e.seq, op: e.op }));
  return [...folded, ...kept];
}

/**
 * Checkpoint (P2.4 #6): drops the entries up to `upTo`, keeping their requests. The store and
 * dedup table already are the state at the log's end, so the checkpoint costs nothing but the
 * dropped prefix.
 */
export function checkpoint(d: SvcData, upTo: number): SvcData {
  assert(
    upTo > d.base && upTo <= lastIndex(d),
    `opb: checkpoint at ${upTo} outside ${d.base}..${lastIndex(d)}`,
  );
  const baseTag = tagAt(d, upTo);
  let folded = d.folded;
  for (const e of d.log.items.slice(0, upTo - d.base)) {
    folded = logAppend(folded, { i: e.i, req: { client: e.client, seq: e.seq, op: e.op } });
  }
  const items = d.log.items.slice(upTo - d.base, d.log.length);
  return dataWith(d, { log: { items, length: items.length }, base: upTo, baseTag, folded });
}

/**
 * Where to checkpoint, if due: once twice `keep` entries are held, up to what every member
 * holds (`stable`) while keeping the last `keep` (a tail for lagging backups).
 */
export function checkpointDue(d: SvcData, keep: number, stable: number): number | null {
  const last = lastIndex(d);
  if (last - d.base < 2 * keep) return null;
  const upTo = Math.min(stable, last - keep);
  return upTo > d.base ? upTo : null;
}

/** An entry, the tables it was applied to, and the tables that gave. */
interface Applied {
  entry: Entry | null;
  fromStore: KvStore;
  fromDedup: SvcData['dedup'];
  store: KvStore;
  dedup: SvcData['dedup'];
}

/**
 * The tables the last few entries produced, by identity of the entry and of the tables it was
 * applied to. The primary applies an entry first; its backups apply the very same entry object
 * (it travels inside the update) to the very same tables (by induction from emptyData; a
 * transfer or a restart installs the sender's or the disk's objects) soon after, and reuse its
 * copies. Replicas that agree then share their tables, and dataDigest hashes them once for all.
 * A small ring, as kv.ts's digest memo: nothing outlives a run long, and no weak table for the
 * collector to trace.
 */
const APPLIED = 64;
const applied: Applied[] = Array.from({ length: APPLIED }, () => ({
  entry: null, fromStore: emptyStore, fromDedup: emptyData.dedup, store: emptyStore,
  dedup: emptyData.dedup,
}));
let appliedNext = 0;

/** The store and dedup table after `entry`, shared with any replica that applied it to `d`'s. */
function tablesAfter(d: SvcData, entry: Entry): Applied {
  for (let i = 0; i < APPLIED; i++) {
    const m = applied[i]!;
    if (m.entry === entry && m.fromStore === d.store && m.fromDedup === d.dedup) return m;
  }
  let store = d.store;
  if (entry.value !== null) {
    const next = new Map(store);
    next.set(entry.key, entry.value);
    store = next;
  }
  // The dedup table keeps each client's highest executed request: re-executing an older orphan
  // (merge) must not make a newer request look unexecuted.
  const prev = d.dedup.get(entry.client);
  const done = addSeq(prev?.done ?? [], entry.seq);
  const latest = prev !== undefined && prev.seq > entry.seq
    ? { ...prev, done }
    : { seq: entry.seq, result: entry.result, i: entry.i, done };
  const m = applied[appliedNext]!;
  appliedNext = (appliedNext + 1) % APPLIED;
  m.entry = entry;
  m.fromStore = d.store;
  m.fromDedup = d.dedup;
  m.store = store;
  m.dedup = mapWith(d.dedup, entry.client, latest);
  return m;
}

/** Applies a state update (no re-execution: the delta is installed as is). */
export function applyEntry(d: SvcData, entry: Entry): SvcData {
  assert(entry.i === lastIndex(d) + 1, `opb: entry ${entry.i} applied at ${lastIndex(d)}`);
  const { store, dedup } = tablesAfter(d, entry);
  const last = d.lineage[d.lineage.length - 1];
  const lineage: Run[] = last !== undefined && eqEpoch(last.e, entry.e)
    ? [...d.lineage.slice(0, -1), { e: entry.e, last: entry.i }]
    : [...d.lineage, { e: entry.e, last: entry.i }];
  return dataWith(d, { store, dedup, log: logAppend(d.log, entry), lineage });
}

/** Adds seq to sorted disjoint ranges, merging neighbours. */
export function addSeq(
  ranges: readonly (readonly [number, number])[], seq: number,
): (readonly [number, number])[] {
  // The usual case, a seq past every range (reads leave gaps, so the ranges grow with the
  // writes): share the untouched ranges instead of copying each pair.
  const top = ranges[ranges.length - 1];
  if (top !== undefined && top[1] + 1 < seq) return [...ranges, [seq, seq]];
  if (top !== undefined && top[1] + 1 === seq) {
    const out = ranges.slice();
    out[out.length - 1] = [top[0], seq];
    return out;
  }
  const out: [number, number][] = [];
  let cur: [number, number] = [seq, seq];
  let placed = false;
  for (const [a, b] of ranges) {
    if (b + 1 < cur[0]) out.push([a, b]);
    else if (cur[1] + 1 < a) {
      if (!placed) out.push(cur);
      placed = true;
      out.push([a, b]);
    } else cur = [Math.min(a, cur[0]), Math.max(b, cur[1])];
  }
  if (!placed) out.push(cur);
  return out;
}

/** Whether the replicated state has executed (client, seq). */
export function executed(d: SvcData, client: string, seq: number): boolean {
  const ranges = d.dedup.get(client)?.done ?? [];
  return ranges.some(([a, b]) => a <= seq && seq <= b);
}

/** Executes a write at the primary: the result and the state delta become the entry. */
export function executeWrite(
  d: SvcData, epoch: Epoch, req: ClientRequest,
): { data: SvcData; entry: Entry } {
  const { store, result } = kvApply(d.store, req.op);
  const changed = store !== d.store;
  const entry: Entry = {
    e: epoch, i: lastIndex(d) + 1, client: req.client, seq: req.seq, op: req.op, result,
    key: req.op.key, value: changed ? (store.get(req.op.key) ?? '') : null,
  };
  return { data: applyEntry(d, entry), entry };
}

/** A digest and the tables it was computed from. */
interface Digested {
  dedup: SvcData['dedup'] | null;
  store: KvStore | null;
  digest: string;
}

/**
 * The last few digests, by identity of the tables: every heartbeat tick digests every replica's
 * data, and replicas that agree share both tables (`applied`). A small ring, as `applied`.
 */
const DIGESTED = 32;
const digested: Digested[] = Array.from({ length: DIGESTED },
  () => ({ dedup: null, store: null, digest: '' }));
let digestedNext = 0;

/** A digest of everything replicas must agree on: store and dedup table. */
export function dataDigest(d: SvcData): string {
  for (let i = 0; i < DIGESTED; i++) {
    const m = digested[i]!;
    if (m.dedup === d.dedup && m.store === d.store) return m.digest;
  }
  const digest = fnvHex(fnvDedup(fnvText(fnvStore(FNV_OFFSET, d.store), '|'), d.dedup));
  const m = digested[digestedNext]!;
  digestedNext = (digestedNext + 1) % DIGESTED;
  m.dedup = d.dedup;
  m.store = d.store;
  m.digest = digest;
  return digest;
}

/** FNV-1a state `h` continued over one UTF-16 unit. */
function fnvUnit(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

/** Decimal digits of the number being hashed, least significant first. */
const digits = new Int32Array(10);

/**
 * FNV-1a state `h` continued over `String(n)`, without the string for a safe natural. Below
 * 2^31 (seqs and indices: nearly every number a digest hashes) the digits come from integer
 * division, several times cheaper than the float division and floor per digit of the general
 * case.
 */
function fnvInt(h: number, n: number): number {
  if (!(n >= 0 && n <= 0x7fffffff && (n | 0) === n)) return fnvWide(h, n);
  let k = 0;
  do {
    const q = (n / 10) | 0;
    digits[k++] = n - q * 10;
    n = q;
  } while (n > 0);
  while (k > 0) h = fnvUnit(h, 0x30 + digits[--k]!);
  return h;
}

/** `fnvInt` of anything else: naturals from 2^31 on digit by digit, the rest as text. */
function fnvWide(h: number, n: number): number {
  if (!(Number.isSafeInteger(n) && n >= 0)) return fnvText(h, String(n));
  let unit = 1;
  while (unit * 10 <= n) unit *= 10;
  for (; unit >= 1; unit /= 10) h = fnvUnit(h, 0x30 + (Math.floor(n / unit) % 10));
  return h;
}

/**
 * FNV-1a state `h` continued over the dedup table's canonical text, clients sorted:
 * `client#seq:a-b+c-d,…`, without building that text (every heartbeat tick digests every
 * replica's data). The same digest as hashing the joined string.
 */
function fnvDedup(h: number, dedup: SvcData['dedup']): number {
  let first = true;
  for (const c of keysSorted(dedup)) {
    if (!first) h = fnvUnit(h, 0x2c); // ','
    first = false;
    const x = dedup.get(c)!;
    h = fnvUnit(fnvInt(fnvUnit(fnvText(h, c), 0x23), x.seq), 0x3a); // '#', ':'
    // A client's ranges grow with its writes (a read leaves a gap): the longest part by far.
    const done = x.done;
    for (let i = 0; i < done.length; i++) {
      const range = done[i]!;
      if (i > 0) h = fnvUnit(h, 0x2b); // '+'
      h = fnvInt(fnvUnit(fnvInt(h, range[0]), 0x2d), range[1]); // '-'
    }
  }
  return h;
}

/** Entries after index `from` (exclusive, not below the checkpoint), at most `max`. */
export function entriesAfter(d: SvcData, from: number, max: number): Entry[] {
  assert(from >= d.base, `opb: entries after ${from} requested below the checkpoint ${d.base}`);
  return d.log.items.slice(from - d.base, Math.min(d.log.length, from - d.base + max));
}

/** The replicated service state: store, dedup table, update log and lineage. */
import { emptyLog, logAppend } from '../append-log.js';
import { assert } from '../assert.js';
import { emptyStore, fnv1a32, kvApply, kvCanonical } from '../kv.js';
import type { ClientRequest } from '../types.js';
import { eqEpoch, epochAt } from './epoch.js';
import type { Entry, Epoch, Run, SvcData } from './types.js';

export const emptyData: SvcData = { store: emptyStore, dedup: new Map(), log: emptyLog(), lineage: [] };

export const lastIndex = (d: SvcData): number => d.log.length;

export const lastEpoch = (d: SvcData): Epoch | null => epochAt(d.log.items, d.log.length, d.log.length);

export const epochOf = (d: SvcData, i: number): Epoch | null => epochAt(d.log.items, d.log.length, i);

/** Identity of the entry at i (client#seq): epochs can repeat after amnesia, requests cannot. */
export function tagAt(d: SvcData, i: number): string {
  const e = i >= 1 && i <= d.log.length ? d.log.items[i - 1] : undefined;
  return e === undefined ? '' : `${e.client}#${e.seq}`;
}

export const lastTag = (d: SvcData): string => tagAt(d, d.log.length);

/** Applies a state update (no re-execution: the delta is installed as is). */
export function applyEntry(d: SvcData, entry: Entry): SvcData {
  assert(entry.i === d.log.length + 1, `opb: entry ${entry.i} applied at ${d.log.length}`);
  let store = d.store;
  if (entry.value !== null) {
    const next = new Map(store);
    next.set(entry.key, entry.value);
    store = next;
  }
  // The dedup table keeps each client's highest executed request: re-executing an older orphan
  // (merge) must not make a newer request look unexecuted.
  const prev = d.dedup.get(entry.client);
  const dedup = prev !== undefined && prev.seq > entry.seq
    ? d.dedup
    : new Map(d.dedup).set(entry.client, { seq: entry.seq, result: entry.result, i: entry.i });
  const last = d.lineage[d.lineage.length - 1];
  const lineage: Run[] = last !== undefined && eqEpoch(last.e, entry.e)
    ? [...d.lineage.slice(0, -1), { e: entry.e, last: entry.i }]
    : [...d.lineage, { e: entry.e, last: entry.i }];
  return { store, dedup, log: logAppend(d.log, entry), lineage };
}

/** Executes a write at the primary: the result and the state delta become the entry. */
export function executeWrite(d: SvcData, epoch: Epoch, req: ClientRequest): { data: SvcData; entry: Entry } {
  const { store, result } = kvApply(d.store, req.op);
  const changed = store !== d.store;
  const entry: Entry = {
    e: epoch, i: d.log.length + 1, client: req.client, seq: req.seq, op: req.op, result,
    key: req.op.key, value: changed ? (store.get(req.op.key) ?? '') : null,
  };
  return { data: applyEntry(d, entry), entry };
}

/** A digest of everything replicas must agree on: store and dedup table. */
export function dataDigest(d: SvcData): string {
  const clients = [...d.dedup.keys()].sort();
  const dedup = clients.map((c) => `${c}#${d.dedup.get(c)!.seq}`).join(',');
  return fnv1a32(`${kvCanonical(d.store)}|${dedup}`);
}

/** Entries after index `from` (exclusive), at most `max`. */
export function entriesAfter(d: SvcData, from: number, max: number): Entry[] {
  return d.log.items.slice(from, Math.min(d.log.length, from + max));
}

/**
 * Anomaly accounting from the client history alone, so SMART and OPB are measured by the same
 * rules. The workload writes unique values (puts and CAS write `c3.17`, appends add `+c3.17`), so
 * every value read is a base (from one put/CAS) followed by append tokens:
 * - a read misses an acknowledged append A although the read's base was written before A
 *   started: A was lost if the last read of the key misses it too, else the read was stale;
 * - a read returns a base overwritten by another put that completed before the read started:
 *   stale;
 * - an append token occurring twice in one value: a duplicated execution.
 * These are measures, not verdicts: linearizability and the protocol's own claims decide.
 * From the history alone a lost write and one overwritten by a write applied later than its
 * real-time order (a reorder, allowed for OPB's `merge`) look the same, so the property reports
 * `missingAtLastRead`, not "lost": `lost-writes.ts` holds the one definition of a lost write.
 */
import type { HistoryOp } from '../simulator/history.js';
import type { RunRecord } from '../simulator/run-record.js';
import { countBelow } from './run-values.js';
import type { Property } from './types.js';

export interface AnomalyCounts {
  lostAckedWrites: number;
  staleReads: number;
  duplicateExecutions: number;
  readsChecked: number;
}

interface Read {
  readonly op: HistoryOp;
  readonly base: string;
  readonly tokens: readonly string[];
  /** Return time of the write that installed `base` (-1: the initial value; null: unknown). */
  readonly baseReturn: number | null;
  /** Some token occurs twice in the value (a duplicated execution). */
  readonly repeats: boolean;
}

/** Whether some token occurs twice: compared pairwise when few (no Set per read), else a Set. */
function hasRepeat(tokens: readonly string[]): boolean {
  if (tokens.length > 16) return new Set(tokens).size !== tokens.length;
  for (let i = 1; i < tokens.length; i++) {
    for (let j = 0; j < i; j++) if (tokens[i] === tokens[j]) return true;
  }
  return false;
}

/** The value a successful write installs as the base, or null for appends and reads. */
function baseWritten(op: HistoryOp): string | null {
  if (op.status !== 'ok') return null;
  if (op.input.type === 'put') return op.input.value;
  if (op.input.type === 'cas' && op.output?.ok === true) return op.input.value;
  return null;
}

export function countAnomalies(ops: readonly HistoryOp[]): AnomalyCounts {
  const counts: AnomalyCounts = { lostAckedWrites: 0, staleReads: 0, duplicateExecutions: 0,
    readsChecked: 0 };
  const byKey = new Map<string, HistoryOp[]>();
  for (let ix = 0, xs = ops; ix < xs.length; ix++) {
    const op = xs[ix]!;
    const list = byKey.get(op.input.key);
    if (list === undefined) byKey.set(op.input.key, [op]);
    else list.push(op);
  }
  for (const key of [...byKey.keys()].sort()) countKey(byKey.get(key)!, counts);
  return counts;
}

/**
 * O(n log n) per key (plus the size of the values read): sweeps over time with Fenwick trees
 * instead of comparing every read with every write (the quadratic version, kept in the tests as
 * the reference these counts must equal, took more CPU than a 40 s run's simulation).
 */
function countKey(ops: readonly HistoryOp[], counts: AnomalyCounts): void {
  const writers = new Map<string, HistoryOp>();
  for (let ix = 0, xs = ops; ix < xs.length; ix++) {
    const op = xs[ix]!;
    const base = baseWritten(op);
    if (base !== null) writers.set(base, op);
  }
  const reads: Read[] = [];
  for (let ix = 0, xs = ops; ix < xs.length; ix++) {
    const op = xs[ix]!;
    if (op.input.type !== 'get' || op.status !== 'ok' || op.output?.value === undefined) continue;
    const tokens = op.output.value.split('+');
    const base = tokens.shift()!;
    const baseReturn = base === '' ? -1 : writers.get(base)?.return ?? null;
    const repeats = hasRepeat(tokens);
    if (repeats) counts.duplicateExecutions++;
    reads.push({ op, base, tokens, baseReturn, repeats });
  }
  counts.readsChecked += reads.length;
  counts.staleReads += overwrittenReads(reads, writers);
  countMissedAppends(ops, reads, counts);
}

/**
 * Reads whose base was overwritten before they started: some other writer v with
 * baseReturn < v.call and v.return < read.call. Sweeping reads by call and writers by return,
 * the two latest-starting writers returned so far suffice (one may be the read's own base).
 */
function overwrittenReads(reads: readonly Read[], writers: ReadonlyMap<string, HistoryOp>): number {
  const ws = [...writers].sort((a, b) => a[1].return! - b[1].return!);
  const rs = reads.filter((r) => r.baseReturn !== null).sort((a, b) => a.op.call - b.op.call);
  let stale = 0;
  let w = 0;
  let top1: readonly [string, HistoryOp] | undefined;
  let top2: readonly [string, HistoryOp] | undefined;
  for (let ix = 0, xs = rs; ix < xs.length; ix++) {
    const r = xs[ix]!;
    for (; w < ws.length && ws[w]![1].return! < r.op.call; w++) {
      const e = ws[w]!;
      if (top1 === undefined || e[1].call > top1[1].call) {
        top2 = top1;
        top1 = e;
      } else if (top2 === undefined || e[1].call > top2[1].call) {
        top2 = e;
      }
    }
    const latest = top1 !== undefined && top1[0] === r.base ? top2 : top1;
    if (latest !== undefined && r.baseReturn! < latest[1].call) stale++;
  }
  return stale;
}

/**
 * For each acknowledged append A, the reads bound to show it start after A returned on a base
 * written before A started. Appends are taken by decreasing return while reads by decreasing
 * call enter Fenwick trees indexed by their base's return: one counts the bound reads, one keeps
 * the bound read that returned last (first in history order on ties). Reads that show A are few
 * (those listing its token) and are tested one by one.
 */
function countMissedAppends(ops: readonly HistoryOp[], reads: readonly Read[],
  counts: AnomalyCounts): void {
  const appends: { readonly call: number; readonly return: number; readonly token: string }[] =
    [];
  for (let ix = 0, xs = ops; ix < xs.length; ix++) {
    const a = xs[ix]!;
    if (a.input.type !== 'append' || a.status !== 'ok') continue;
    appends.push({ call: a.call, return: a.return!, token: a.input.value.slice(1) });
  }
  appends.sort((a, b) => b.return - a.return);
  if (appends.length === 0 || reads.length === 0) return;
  const holders = new Map<string, number[]>();
  reads.forEach((r, i) => {
    // Each token once per read, in order of first occurrence.
    for (const t of r.repeats ? new Set(r.tokens) : r.tokens) {
      const list = holders.get(t);
      if (list === undefined) holders.set(t, [i]);
      else list.push(i);
    }
  });
  const known = reads.map((_, i) => i).filter((i) => reads[i]!.baseReturn !== null);
  const keys = [...new Set(known.map((i) => reads[i]!.baseReturn!))].sort((a, b) => a - b);
  const size = keys.length;
  const count = new Int32Array(size + 1);
  const last = new Int32Array(size + 1).fill(-1);
  /** Whether read i returned after read j (ties: earlier in history order wins). */
  const later = (i: number, j: number): boolean => j < 0
    || reads[i]!.op.return! > reads[j]!.op.return!
    || (reads[i]!.op.return! === reads[j]!.op.return! && i < j);
  const byCall = known.sort((a, b) => reads[b]!.op.call - reads[a]!.op.call);
  let next = 0;
  for (let ix = 0, xs = appends; ix < xs.length; ix++) {
    const a = xs[ix]!;
    for (; next < byCall.length && reads[byCall[next]!]!.op.call > a.return; next++) {
      const i = byCall[next]!;
      for (let k = countBelow(keys, reads[i]!.baseReturn!) + 1; k <= size; k += k & -k) {
        count[k]!++;
        if (later(i, last[k]!)) last[k] = i;
      }
    }
    let bound = 0;
    let lastRead = -1;
    for (let k = countBelow(keys, a.call); k > 0; k -= k & -k) {
      bound += count[k]!;
      if (last[k]! >= 0 && later(last[k]!, lastRead)) lastRead = last[k]!;
    }
    if (bound === 0) continue;
    const token = a.token;
    let shown = 0;
    let lastShows = false;
    for (const i of holders.get(token) ?? []) {
      const r = reads[i]!;
      if (r.op.call > a.return && r.baseReturn !== null && r.baseReturn < a.call) shown++;
      if (i === lastRead) lastShows = true;
    }
    const missing = bound - shown;
    if (missing === 0) continue;
    if (!lastShows) {
      counts.lostAckedWrites++;
      counts.staleReads += missing - 1;
    } else {
      counts.staleReads += missing;
    }
  }
}

export const anomalies: Property = {
  name: 'anomalies',
  description: 'measured, not judged: lost acknowledged writes, stale reads, ' +
    'duplicated executions (from the history)',
  protocols: ['*'],
  check(run: RunRecord) {
    const c = countAnomalies(run.history.ops);
    // `lostAckedWrites` counts appends missing at the last read (lost *or* reordered).
    const { lostAckedWrites: missingAtLastRead, ...rest } = c;
    return {
      property: this.name, status: 'pass', measured: true,
      message: `${missingAtLastRead} acked appends missing at the last read, ` +
        `${c.staleReads} stale reads, ${c.duplicateExecutions} duplicated executions`,
      measures: { missingAtLastRead, ...rest },
    };
  },
};

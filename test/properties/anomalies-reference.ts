/**
 * Test-only reference: the original quadratic anomaly accounting (every read against every
 * write, every append against every read), kept verbatim so the O(n log n) version in
 * properties/anomalies.ts can be checked against it on random histories.
 */
import type { AnomalyCounts } from '../../properties/anomalies.js';
import type { HistoryOp } from '../../simulator/history.js';

interface Read { readonly op: HistoryOp; readonly base: string; readonly tokens: readonly string[] }

function parseValue(op: HistoryOp): Read {
  const [base, ...tokens] = op.output!.value!.split('+');
  return { op, base: base ?? '', tokens };
}

/** The value a successful write installs as the base, or null for appends and reads. */
function baseWritten(op: HistoryOp): string | null {
  if (op.status !== 'ok') return null;
  if (op.input.type === 'put') return op.input.value;
  if (op.input.type === 'cas' && op.output?.ok === true) return op.input.value;
  return null;
}

export function countAnomaliesReference(ops: readonly HistoryOp[]): AnomalyCounts {
  const counts: AnomalyCounts = { lostAckedWrites: 0, staleReads: 0, duplicateExecutions: 0,
    readsChecked: 0 };
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of ops) byKey.set(op.input.key, [...(byKey.get(op.input.key) ?? []), op]);
  for (const key of [...byKey.keys()].sort()) countKey(byKey.get(key)!, counts);
  return counts;
}

function countKey(ops: readonly HistoryOp[], counts: AnomalyCounts): void {
  const reads = ops.filter((o) => o.input.type === 'get' && o.status === 'ok'
    && o.output?.value !== undefined).map(parseValue);
  const writers = new Map<string, HistoryOp>();
  for (const op of ops) {
    const base = baseWritten(op);
    if (base !== null) writers.set(base, op);
  }
  /** Return time of the write that installed `base` ('' = the initial value, before time 0). */
  const baseReturn = (base: string): number | null =>
    (base === '' ? -1 : writers.get(base)?.return ?? null);
  for (const r of reads) {
    counts.readsChecked++;
    if (new Set(r.tokens).size !== r.tokens.length) counts.duplicateExecutions++;
    const bReturn = baseReturn(r.base);
    if (bReturn !== null && [...writers].some(([base, v]) => base !== r.base && bReturn < v.call
      && v.return! < r.op.call)) {
      counts.staleReads++;
    }
  }
  for (const a of ops) {
    if (a.input.type !== 'append' || a.status !== 'ok') continue;
    const token = a.input.value.slice(1);
    // Reads that must show A: they start after A returned, on a base written before A started.
    const bound = reads.filter((r) => r.op.call > a.return!
      && (baseReturn(r.base) ?? Infinity) < a.call);
    const missing = bound.filter((r) => !r.tokens.includes(token));
    if (missing.length === 0) continue;
    const last = bound.reduce((x, y) => (y.op.return! > x.op.return! ? y : x));
    if (missing.includes(last)) {
      counts.lostAckedWrites++;
      counts.staleReads += missing.length - 1;
    } else {
      counts.staleReads += missing.length;
    }
  }
}

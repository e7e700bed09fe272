/**
 * The checker's own model of an OPB service's state and of its digest, written from the
 * contract OPB publishes (protocol/optimistic/observations.ts, `opb.digest`), not from the
 * protocol's code: a bug in OPB's digest or dedup code must not cancel out against the very
 * code it is judged by. The state is what a history of client operations leaves: the key-value
 * store (kv-types.ts semantics: absent keys read as "") and, per client, the seqs of its writes
 * the history executed.
 */
import type { KvOp } from '../protocol/kv-types.js';

export interface ModelState {
  readonly store: Map<string, string>;
  /** Per client: every seq of its executed writes (possibly unsorted, possibly repeated). */
  readonly seqs: Map<string, number[]>;
}

export const emptyModel = (): ModelState => ({ store: new Map(), seqs: new Map() });

/** Executes one write of `client` (request `seq`) on the model, in place. */
export function applyWrite(m: ModelState, client: string, seq: number, op: KvOp): void {
  const current = m.store.get(op.key) ?? '';
  switch (op.type) {
    case 'get':
      break;
    case 'put':
      m.store.set(op.key, op.value);
      break;
    case 'append':
      m.store.set(op.key, current + op.value);
      break;
    case 'cas':
      // A failed comparison changes nothing but is still an executed write (deduplicated).
      if (current === op.expected) m.store.set(op.key, op.value);
      break;
  }
  const list = m.seqs.get(client);
  if (list === undefined) m.seqs.set(client, [seq]);
  else list.push(seq);
}

/** Sorted in UTF-16 code unit order, the order the contract names. */
const sortedKeys = (map: ReadonlyMap<string, unknown>): string[] => [...map.keys()].sort();

/** `max:a-b+c-d`: the highest seq, then the seqs as maximal runs of consecutive numbers. */
function seqsText(seqs: readonly number[]): string {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const parts: string[] = [];
  let from = sorted[0]!;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]! + 1) continue;
    parts.push(`${from}-${sorted[i - 1]!}`);
    from = sorted[i]!;
  }
  return `${sorted[sorted.length - 1]!}:${parts.join('+')}`;
}

/** The canonical text of a state: `store|dedup` as the contract spells it. */
export function canonicalText(m: ModelState): string {
  const store = sortedKeys(m.store).map((k) => `${k}=${m.store.get(k)!}`).join(';');
  const dedup = sortedKeys(m.seqs).map((c) => `${c}#${seqsText(m.seqs.get(c)!)}`).join(',');
  return `${store}|${dedup}`;
}

/** 32-bit FNV-1a over the UTF-16 code units of `text`, as 8 lowercase hex digits. */
export function fnv1aHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Epochs, claims and the dominance rule (P2.5, P2.10 #1). */
import type { Claim, Epoch, Run } from './types.js';
import type { NodeId } from '../types.js';

export const EPOCH_ZERO: Epoch = { c: 0, n: '' };
/** Counters are "practically infinite" (P2.2); corruption draws stay below this. */
export const EPOCH_MAX = 2 ** 48;

export function cmpEpoch(a: Epoch, b: Epoch): number {
  if (a.c !== b.c) return a.c < b.c ? -1 : 1;
  return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
}

export const eqEpoch = (a: Epoch | null, b: Epoch | null): boolean =>
  a === b || (a !== null && b !== null && a.c === b.c && a.n === b.n);

export const epochText = (e: Epoch | null): string => (e === null ? '-' : `${e.c}.${e.n || '_'}`);

function rankIn(members: readonly NodeId[], node: NodeId): number {
  const r = members.indexOf(node);
  return r < 0 ? members.length : r;
}

/**
 * The dominance rule: a total order on claims that every node evaluates alike. The newer
 * membership version wins (it reflects later repairs); within a version, the better rank in the
 * claim's own membership, then the higher epoch, then the smaller node id.
 */
export function claimBeats(a: Claim, b: Claim): boolean {
  if (a.mver !== b.mver) return a.mver > b.mver;
  const ra = rankIn(a.members, a.node);
  const rb = rankIn(b.members, b.node);
  if (ra !== rb) return ra < rb;
  const e = cmpEpoch(a.epoch, b.epoch);
  if (e !== 0) return e > 0;
  return a.node < b.node;
}

export function lineageText(lineage: readonly Run[]): string {
  return lineage.map((r) => `${epochText(r.e)}:${r.last}`).join(',');
}

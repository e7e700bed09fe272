/** Epochs, claims and the dominance rule (P2.5, P2.10 #1). */
import type { Claim, Epoch, Run } from './types.js';
import type { NodeId } from '../types.js';

export const EPOCH_ZERO: Epoch = { c: 0, n: '' };

export const genOf = (e: Epoch): number => e.g ?? 0;

/**
 * Generations are a bounded label compared by serial-number arithmetic (RFC 1982): g is newer
 * than h iff (g - h) mod GEN_MOD is below half the circle, so the wrap from GEN_MOD-1 to 0 is
 * one more step up. Corruption can put generations more than half a circle apart; the order
 * is then not transitive, but followers adopt whatever a primary re-claims above what it
 * hears, so the set of distinct epochs in a group only shrinks and the group converges.
 */
export const GEN_MOD = 2 ** 16;

export function cmpGen(a: number, b: number): number {
  if (a === b) return 0;
  const d = (((a - b) % GEN_MOD) + GEN_MOD) % GEN_MOD;
  if (d !== GEN_MOD / 2) return d < GEN_MOD / 2 ? 1 : -1;
  return a > b ? 1 : -1;
}

export function cmpEpoch(a: Epoch, b: Epoch): number {
  const g = cmpGen(genOf(a), genOf(b));
  if (g !== 0) return g;
  if (a.c !== b.c) return a.c < b.c ? -1 : 1;
  return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
}

export const eqEpoch = (a: Epoch | null, b: Epoch | null): boolean =>
  a === b || (a !== null && b !== null && a.c === b.c && a.n === b.n && genOf(a) === genOf(b));

/** Text form `c.n`, or `g:c.n` once a reset started generation g. */
export function epochText(e: Epoch | null): string {
  if (e === null) return '-';
  const g = genOf(e);
  return `${g === 0 ? '' : `${g}:`}${e.c}.${e.n || '_'}`;
}

/**
 * Whether `e` lies above a node's claim floor (State.epochTop, which keeps a generation and a
 * counter only): a higher generation, or the same one with a higher counter. Each epoch a node
 * takes as its own must, so that no name `c.n` serves two histories.
 */
export function aboveFloor(e: Epoch, floor: Epoch): boolean {
  const g = cmpGen(genOf(e), genOf(floor));
  return g > 0 || (g === 0 && e.c > floor.c);
}

export const maxEpoch = (a: Epoch, b: Epoch): Epoch => (cmpEpoch(a, b) >= 0 ? a : b);

/**
 * The next epoch for `n` above every epoch in `known`: counter + 1 in the highest generation,
 * or, when the counter would reach `limit`, a fresh base (next generation, counter 1). All
 * members adopt it like any higher epoch, so the reset needs no extra round.
 */
export function nextEpoch(known: readonly Epoch[], n: NodeId, limit: number): Epoch {
  const top = known.reduce(maxEpoch, EPOCH_ZERO);
  const c = top.c + 1;
  const g = genOf(top);
  if (c < limit) return g === 0 ? { c, n } : { c, n, g };
  const next = (g + 1) % GEN_MOD;
  return next === 0 ? { c: 1, n } : { c: 1, n, g: next };
}

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

/**
 * Symmetry reduction over replica ids (an option): two states that differ only by a renaming of
 * the replicas are explored once. The fingerprint of a state is the least of its fingerprints
 * under every renaming, so this is sound only for a protocol whose behaviour does not depend on
 * which name a replica has (no "lowest id wins", no special first replica): the renamed state
 * must have the renamed futures. The data center and zone of replica i are renamed with it.
 */
import type { ProtocolConfig } from '../../protocol/types.js';

/** One renaming of the replicas. */
export interface Permutation {
  /** Old name → new name for every replica, data center and zone; null for the identity. */
  readonly rename: ReadonlyMap<string, string> | null;
  /** `source[j]`: the index of the node slot that lands at position j once renamed. */
  readonly source: readonly number[];
}

/** More replicas than this make R! renamings per state too many to be worth it. */
export const MAX_SYMMETRIC_REPLICAS = 5;

export const identityOnly = (replicas: number): readonly Permutation[] =>
  [{ rename: null, source: Array.from({ length: replicas }, (_, i) => i) }];

/** Every renaming of the replicas, the identity first. */
export function replicaPermutations(pconfig: ProtocolConfig): readonly Permutation[] {
  const names = pconfig.replicas;
  if (names.length > MAX_SYMMETRIC_REPLICAS) {
    throw new RangeError(`symmetry reduction supports at most ${MAX_SYMMETRIC_REPLICAS} ` +
      `replicas (got ${names.length})`);
  }
  const info = names.map((id) => pconfig.nodes.find((n) => n.id === id)!);
  return permutations(names.length).map((target, p): Permutation => {
    if (p === 0) return { rename: null, source: target };
    const rename = new Map<string, string>();
    const source = new Array<number>(names.length);
    target.forEach((to, from) => {
      rename.set(names[from]!, names[to]!);
      rename.set(info[from]!.dc, info[to]!.dc);
      rename.set(info[from]!.zone, info[to]!.zone);
      source[to] = from;
    });
    return { rename, source };
  });
}

/** All permutations of 0..n-1 in lexicographic order (the identity first). */
function permutations(n: number): number[][] {
  const out: number[][] = [];
  const extend = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) out.push(prefix);
    rest.forEach((x, i) => extend([...prefix, x], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  extend([], Array.from({ length: n }, (_, i) => i));
  return out;
}

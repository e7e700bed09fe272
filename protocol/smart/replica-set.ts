/**
 * The replicas of one machine, keyed by configuration: a tiny immutable list (a machine hosts one
 * or two replicas) that behaves like a Map in insertion order, without a hash table per copy.
 */
import type { Replica } from './types.js';

export class ReplicaSet {
  private constructor(private readonly list: readonly Replica[]) {}

  static empty(): ReplicaSet {
    return new ReplicaSet([]);
  }

  get size(): number {
    return this.list.length;
  }

  get(cfg: number): Replica | undefined {
    for (const r of this.list) if (r.cfg === cfg) return r;
    return undefined;
  }

  has(cfg: number): boolean {
    return this.get(cfg) !== undefined;
  }

  /** Replicas in insertion order (like Map.values()); the array must not be modified. */
  values(): readonly Replica[] {
    return this.list;
  }

  /** Replicas in ascending configuration order; the array must not be modified. */
  sorted(): readonly Replica[] {
    const list = this.list;
    let ordered = true;
    for (let i = 1; i < list.length; i++) if (list[i - 1]!.cfg > list[i]!.cfg) ordered = false;
    return ordered ? list : list.slice().sort((a, b) => a.cfg - b.cfg);
  }

  /** A copy with `r` stored under its configuration (replacing in place, like Map.set). */
  with(r: Replica): ReplicaSet {
    const list = this.list.slice();
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.cfg !== r.cfg) continue;
      list[i] = r;
      return new ReplicaSet(list);
    }
    list.push(r);
    return new ReplicaSet(list);
  }

  /** A copy without the replica of `cfg`. */
  without(cfg: number): ReplicaSet {
    return new ReplicaSet(this.list.filter((x) => x.cfg !== cfg));
  }
}

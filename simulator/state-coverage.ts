/**
 * State coverage of a run: the distinct protocol states its nodes were in after their steps,
 * as 64-bit structural fingerprints (hash64.ts, the hash the model checker uses for node
 * states). A node's name is not hashed apart from its state: two nodes in equal states are one
 * state, so the figure counts protocol states, not (node, state) pairs. Kept only when a run
 * asks for it (RunOptions.stateCoverage).
 */
import { hashHi, hashOf } from './hash64.js';
import { VisitedSet } from './visited.js';

export class StateCoverage {
  private readonly seen = new VisitedSet(10);

  /** Records the state a node is in after a step (boot and restart included). */
  add(state: unknown): void {
    const lo = hashOf(state);
    this.seen.add(lo, hashHi);
  }

  get distinct(): number {
    return this.seen.size;
  }

  /** The distinct fingerprints as (lo, hi) pairs. */
  fingerprints(): Int32Array {
    return this.seen.values();
  }
}

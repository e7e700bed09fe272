/**
 * A table keyed by slot (or any other number): SMART's checks keep something per slot for tens
 * of thousands of facts, and a Map of number keys cost several times a dense array. Slots the
 * protocol numbers from 1 up go in the array; any other number (negative, fractional, huge: a
 * mutant or a hand-made record) goes in a Map, so every number is still its own key.
 * Only get and set: nothing iterates a table, so its layout can never order an answer.
 */
export class SlotTable<T> {
  /** Dense part: slots 0 .. DENSE_LIMIT − 1 (a run's slots are consecutive from 1). */
  private readonly dense: (T | undefined)[] = [];
  private sparse: Map<number, T> | null = null;
  private count = 0;

  get(slot: number): T | undefined {
    if (isDense(slot)) return slot < this.dense.length ? this.dense[slot] : undefined;
    return this.sparse?.get(slot);
  }

  /** Sets `slot` to `value` (not undefined). */
  set(slot: number, value: T): void {
    if (isDense(slot)) {
      // Grown one index at a time from 0 so the array stays packed, never a dictionary.
      while (this.dense.length <= slot) this.dense.push(undefined);
      if (this.dense[slot] === undefined) this.count++;
      this.dense[slot] = value;
      return;
    }
    this.sparse ??= new Map();
    if (!this.sparse.has(slot)) this.count++;
    this.sparse.set(slot, value);
  }

  /** How many slots hold a value. */
  get size(): number {
    return this.count;
  }
}

/** Beyond a run's slot range by far: larger slots go to the Map (no huge array for one fact). */
const DENSE_LIMIT = 1 << 21;

function isDense(slot: number): boolean {
  return slot >= 0 && slot < DENSE_LIMIT && (slot | 0) === slot;
}

/**
 * The visited set of the search: 64-bit fingerprints in an open-addressing table of 32-bit
 * words (linear probing, at most half full), so a unique state costs 16 to 32 bytes here and
 * nothing on the JS heap. The pair (0, 0) marks an empty slot; a fingerprint equal to it is
 * stored as (0, 1), which merges it with that one other value (a 2^-64 chance per state).
 */
export class VisitedSet {
  private table: Int32Array;
  private mask: number;
  size = 0;

  /**
   * `shared`: the table lives in shared memory, so that worker threads can read it (`lookup`)
   * while this side does not write it (parallel.ts: between two levels' merges).
   */
  constructor(capacityLog2 = 12, private readonly shared = false) {
    this.table = this.allocate(2 << capacityLog2);
    this.mask = (1 << capacityLog2) - 1;
  }

  /**
   * The table as it is now, for `contains` in another thread (a view of shared memory when the
   * set is `shared`; a growth replaces it, so the view is taken again after every write).
   */
  get lookup(): Int32Array {
    return this.table;
  }

  /** Adds a fingerprint; true when it was not there before. */
  add(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) hi = 1;
    const table = this.table;
    const mask = this.mask;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const at = 2 * i;
      const l = table[at]!;
      const h = table[at + 1]!;
      if (l === 0 && h === 0) {
        table[at] = lo;
        table[at + 1] = hi;
        if (++this.size * 2 > mask + 1) this.grow();
        return true;
      }
      if (l === lo && h === hi) return false;
    }
  }

  /** The fingerprints held, as (lo, hi) pairs in table order (a function of what was added). */
  values(): Int32Array {
    const out = new Int32Array(2 * this.size);
    const table = this.table;
    let n = 0;
    for (let at = 0; at < table.length; at += 2) {
      if (table[at] !== 0 || table[at + 1] !== 0) {
        out[n++] = table[at]!;
        out[n++] = table[at + 1]!;
      }
    }
    return out;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.table.byteLength;
  }

  private allocate(words: number): Int32Array {
    return new Int32Array(this.shared ? new SharedArrayBuffer(4 * words)
      : new ArrayBuffer(4 * words));
  }

  private grow(): void {
    const old = this.table;
    this.table = this.allocate(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.size = 0;
    for (let at = 0; at < old.length; at += 2) {
      if (old[at] !== 0 || old[at + 1] !== 0) this.add(old[at]!, old[at + 1]!);
    }
  }
}

/** True when a visited set's table (`VisitedSet.lookup`) holds the fingerprint. */
export function contains(table: Int32Array, lo: number, hi: number): boolean {
  if (lo === 0 && hi === 0) hi = 1;
  const mask = (table.length >> 1) - 1;
  for (let i = lo & mask; ; i = (i + 1) & mask) {
    const at = 2 * i;
    const l = table[at]!;
    const h = table[at + 1]!;
    if (l === lo && h === hi) return true;
    if (l === 0 && h === 0) return false;
  }
}

/** A growable list of 32-bit integers (parent ids and action indices of the BFS tree). */
export class IntList {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  at(index: number): number {
    return this.data[index]!;
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  /** A copy of the values, exactly `length` long. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

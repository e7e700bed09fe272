/**
 * Binary min-heap of simulator events ordered by (time, seq). `seq` is a global insertion counter,
 * so ties in time resolve in insertion order and never depend on the comparator's stability.
 * Times and sequence numbers live in typed arrays beside the items (grown by doubling): no
 * wrapper object per event and no boxed numbers, which keeps the engine's hot loop light on
 * garbage. A popped slot is cleared so the heap never keeps a handled event alive.
 * Binary on purpose: replaying the engine bench's 562k heap operations (1 simulated second),
 * 5 passes, CPU ms median of 10: this heap 104, a 4-ary heap 115, a bottom-up (Wegener) pop 120.
 */
export class EventHeap<T> {
  private times = new Float64Array(64);
  private seqs = new Float64Array(64);
  private readonly items: (T | undefined)[] = [];
  private count = 0;
  private nextSeq = 0;
  /** Time of the item returned by the last `pop`. */
  poppedTime = 0;

  get size(): number {
    return this.count;
  }

  push(time: number, item: T): void {
    this.insert(time, this.nextSeq++, item);
  }

  /**
   * Adds `item` with a sequence number of the caller's (EventQueue numbers the events it keeps
   * here and in its wheel from one counter); `push` numbers them itself.
   */
  insert(time: number, seq: number, item: T): void {
    if (this.count === this.times.length) this.grow();
    const { times, seqs, items } = this;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      items[i] = items[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    items[i] = item;
  }

  peekTime(): number {
    return this.count === 0 ? Infinity : this.times[0]!;
  }

  /** Sequence number of the first item (meaningless when empty). */
  peekSeq(): number {
    return this.seqs[0]!;
  }

  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const { times, seqs, items } = this;
    const top = items[0];
    this.poppedTime = times[0]!;
    const n = --this.count;
    const time = times[n]!;
    const seq = seqs[n]!;
    const item = items[n];
    items[n] = undefined;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n
        && (times[r]! < times[l]! || (times[r] === times[l] && seqs[r]! < seqs[l]!)) ? r : l;
      const ct = times[child]!;
      if (time < ct || (time === ct && seq < seqs[child]!)) break;
      times[i] = ct;
      seqs[i] = seqs[child]!;
      items[i] = items[child];
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    items[i] = item;
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
}

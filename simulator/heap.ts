/**
 * Binary min-heap of simulator events ordered by (time, seq). `seq` is a global insertion counter,
 * so ties in time resolve in insertion order and never depend on the comparator's stability.
 * Times, sequence numbers and items live in parallel arrays: no wrapper object per event, which
 * keeps the engine's hot loop light on garbage.
 */
export class EventHeap<T> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: T[] = [];
  private nextSeq = 0;
  /** Time of the item returned by the last `pop`. */
  poppedTime = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: number, item: T): void {
    const { times, seqs, items } = this;
    const seq = this.nextSeq++;
    let i = items.length;
    times.push(time);
    seqs.push(seq);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      items[i] = items[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    items[i] = item;
  }

  peekTime(): number {
    return this.items.length === 0 ? Infinity : this.times[0]!;
  }

  pop(): T | undefined {
    const { times, seqs, items } = this;
    const n = items.length - 1;
    if (n < 0) return undefined;
    const top = items[0]!;
    this.poppedTime = times[0]!;
    const time = times.pop()!;
    const seq = seqs.pop()!;
    const item = items.pop()!;
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
      items[i] = items[child]!;
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    items[i] = item;
    return top;
  }
}

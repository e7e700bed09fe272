/**
 * Binary min-heap of simulator events ordered by (time, seq). `seq` is a global insertion counter,
 * so ties in time resolve in insertion order and never depend on the comparator's stability.
 */
export interface Queued<T> {
  readonly time: number;
  readonly seq: number;
  readonly item: T;
}

export class EventHeap<T> {
  private readonly items: Queued<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.items.length;
  }

  push(time: number, item: T): void {
    const entry = { time, seq: this.nextSeq++, item };
    const a = this.items;
    let i = a.length;
    a.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent]!;
      if (before(p, entry)) break;
      a[i] = p;
      i = parent;
    }
    a[i] = entry;
  }

  peekTime(): number {
    return this.items.length === 0 ? Infinity : this.items[0]!.time;
  }

  pop(): Queued<T> | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    const n = a.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(a[r]!, a[l]!) ? r : l;
      const c = a[child]!;
      if (before(last, c)) break;
      a[i] = c;
      i = child;
    }
    a[i] = last;
    return top;
  }
}

function before<T>(x: Queued<T>, y: Queued<T>): boolean {
  return x.time < y.time || (x.time === y.time && x.seq < y.seq);
}

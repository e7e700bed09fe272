/**
 * An immutable map from slot numbers to values, chunked so that an update copies one small chunk
 * and the (short) chunk index instead of the whole map. Every operation returns a new map and
 * leaves the old one untouched, so states that hold a SlotMap stay values.
 */
/**
 * Slots per chunk: an update copies SPAN entries plus the chunk index, so 16 keeps both short for
 * the logs SMART keeps (α ≤ 10 slots in flight, a few hundred logged).
 */
const SPAN = 16;

type Chunk<V> = readonly (V | undefined)[];

export class SlotMap<V> {
  private constructor(
    /** Chunk number of chunks[0]: chunk k holds slots k*SPAN .. k*SPAN+SPAN-1. */
    private readonly lo: number,
    private readonly chunks: readonly (Chunk<V> | undefined)[],
    /** Number of slots present. */
    readonly size: number,
  ) {}

  static empty<V>(): SlotMap<V> {
    return new SlotMap<V>(0, [], 0);
  }

  get(slot: number): V | undefined {
    const key = Math.floor(slot / SPAN);
    const chunk = this.chunks[key - this.lo];
    return chunk === undefined ? undefined : chunk[slot - key * SPAN];
  }

  has(slot: number): boolean {
    return this.get(slot) !== undefined;
  }

  /** A copy with `slot` set to `v` (values are never undefined). */
  set(slot: number, v: V): SlotMap<V> {
    const key = Math.floor(slot / SPAN);
    let lo = this.lo;
    let chunks: (Chunk<V> | undefined)[];
    if (this.chunks.length === 0) {
      lo = key;
      chunks = [undefined];
    } else if (key < lo) {
      chunks = new Array<Chunk<V> | undefined>(lo - key).fill(undefined).concat(this.chunks);
      lo = key;
    } else {
      chunks = this.chunks.slice();
      while (chunks.length <= key - lo) chunks.push(undefined);
    }
    const old = chunks[key - lo];
    const chunk = old === undefined ? new Array<V | undefined>(SPAN).fill(undefined) : old.slice();
    const at = slot - key * SPAN;
    const added = chunk[at] === undefined ? 1 : 0;
    chunk[at] = v;
    chunks[key - lo] = chunk;
    return new SlotMap(lo, chunks, this.size + added);
  }

  /** A copy without `slot` (the same map if it is absent). */
  delete(slot: number): SlotMap<V> {
    const key = Math.floor(slot / SPAN);
    const old = this.chunks[key - this.lo];
    const at = slot - key * SPAN;
    if (old === undefined || old[at] === undefined) return this;
    const chunk = old.slice();
    chunk[at] = undefined;
    const chunks = this.chunks.slice();
    chunks[key - this.lo] = chunk.every((x) => x === undefined) ? undefined : chunk;
    return SlotMap.trimmed(this.lo, chunks, this.size - 1);
  }

  /** Only the slots above `upTo` (the same map if there are none at or below it). */
  above(upTo: number): SlotMap<V> {
    const cut = Math.floor(upTo / SPAN);
    let chunks: (Chunk<V> | undefined)[] | null = null;
    let size = this.size;
    for (let i = 0; i < this.chunks.length && this.lo + i <= cut; i++) {
      const chunk = this.chunks[i];
      if (chunk === undefined) continue;
      const key = this.lo + i;
      const end = key < cut ? SPAN : upTo - key * SPAN + 1;
      let gone = 0;
      for (let j = 0; j < end; j++) if (chunk[j] !== undefined) gone++;
      if (gone === 0) continue;
      chunks ??= this.chunks.slice();
      size -= gone;
      const kept = chunk.slice();
      kept.fill(undefined, 0, end);
      chunks[i] = kept.every((x) => x === undefined) ? undefined : kept;
    }
    return chunks === null ? this : SlotMap.trimmed(this.lo, chunks, size);
  }

  /** Every (slot, value) pair in ascending slot order. */
  entries(): [number, V][] {
    const out: [number, V][] = [];
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      if (chunk === undefined) continue;
      const base = (this.lo + i) * SPAN;
      for (let j = 0; j < SPAN; j++) {
        const v = chunk[j];
        if (v !== undefined) out.push([base + j, v]);
      }
    }
    return out;
  }

  /** Drops empty chunks at both ends so that the index stays as short as the contents. */
  private static trimmed<V>(
    lo: number, chunks: (Chunk<V> | undefined)[], size: number,
  ): SlotMap<V> {
    let start = 0;
    let end = chunks.length;
    while (start < end && chunks[start] === undefined) start++;
    while (end > start && chunks[end - 1] === undefined) end--;
    if (start === end) return SlotMap.empty();
    const kept = start === 0 && end === chunks.length ? chunks : chunks.slice(start, end);
    return new SlotMap(lo + start, kept, size);
  }
}

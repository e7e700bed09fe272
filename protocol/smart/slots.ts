/**
 * An immutable map from slot numbers to values, chunked so that an update copies one small chunk
 * and the (short) chunk index instead of the whole map. Every operation returns a new map and
 * leaves the old one untouched, so states that hold a SlotMap stay values. Within a protocol
 * step, a map the step built is updated in place instead (protocol/owned.ts), and so is a chunk
 * it copied: a step that sets a slot and then deletes another copies once. The result is laid
 * out exactly as the copying path lays it out (state fingerprints hash the layout).
 */
import { own, owns } from '../owned.js';

/**
 * Slots per chunk: an update copies SPAN entries plus the chunk index, so 16 keeps both short for
 * the logs SMART keeps (α ≤ 10 slots in flight, a few hundred logged).
 */
const SPAN = 16;

type Chunk<V> = (V | undefined)[];

export class SlotMap<V> {
  private constructor(
    /** Chunk number of chunks[0]: chunk k holds slots k*SPAN .. k*SPAN+SPAN-1. */
    private lo: number,
    /** Never shared between two maps; the chunks in it may be (until one is updated). */
    private chunks: (Chunk<V> | undefined)[],
    /** Number of slots present (written only while the map is being built, see owned.ts). */
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
    const mine = owns(this);
    let lo = this.lo;
    let chunks = this.chunks;
    // A new index is built at its exact size (growing one by push over-allocates).
    if (chunks.length === 0) {
      lo = key;
      chunks = [undefined];
    } else if (key < lo) {
      chunks = new Array<Chunk<V> | undefined>(lo - key).fill(undefined).concat(chunks);
      lo = key;
    } else if (key - lo >= chunks.length) {
      const grown = new Array<Chunk<V> | undefined>(key - lo + 1).fill(undefined);
      for (let i = 0; i < chunks.length; i++) grown[i] = chunks[i];
      chunks = grown;
    } else if (!mine) {
      chunks = chunks.slice();
    }
    const map = mine ? this : own(new SlotMap(lo, chunks, this.size));
    map.lo = lo;
    map.chunks = chunks;
    const chunk = map.chunkToWrite(key - lo);
    const at = slot - key * SPAN;
    const added = chunk[at] === undefined ? 1 : 0;
    chunk[at] = v;
    map.resize(map.size + added);
    return map;
  }

  /** A copy without `slot` (the same map if it is absent). */
  delete(slot: number): SlotMap<V> {
    const key = Math.floor(slot / SPAN);
    const old = this.chunks[key - this.lo];
    const at = slot - key * SPAN;
    if (old === undefined || old[at] === undefined) return this;
    const map = this.writable();
    const chunk = map.chunkToWrite(key - map.lo);
    chunk[at] = undefined;
    if (chunk.every((x) => x === undefined)) map.chunks[key - map.lo] = undefined;
    map.resize(map.size - 1);
    return map.trim();
  }

  /** Only the slots above `upTo` (the same map if there are none at or below it). */
  above(upTo: number): SlotMap<V> {
    const cut = Math.floor(upTo / SPAN);
    let map: SlotMap<V> | null = null;
    for (let i = 0; i < this.chunks.length && this.lo + i <= cut; i++) {
      const chunk = this.chunks[i];
      if (chunk === undefined) continue;
      const key = this.lo + i;
      const end = key < cut ? SPAN : upTo - key * SPAN + 1;
      let gone = 0;
      for (let j = 0; j < end; j++) if (chunk[j] !== undefined) gone++;
      if (gone === 0) continue;
      // `this` itself when owned; its index and lo stay put until the trim below.
      map ??= this.writable();
      map.resize(map.size - gone);
      const kept = map.chunkToWrite(i);
      kept.fill(undefined, 0, end);
      if (kept.every((x) => x === undefined)) map.chunks[i] = undefined;
    }
    return map === null ? this : map.trim();
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

  /** This map if the step owns it, else a copy (with a fresh index) that the step owns. */
  private writable(): SlotMap<V> {
    return owns(this) ? this : own(new SlotMap(this.lo, this.chunks.slice(), this.size));
  }

  /**
   * Chunk `i` of this (writable) map, ready to be written: the step's own copy of it, made
   * now unless this map already made it in this step; an absent chunk becomes an empty one.
   */
  private chunkToWrite(i: number): Chunk<V> {
    const old = this.chunks[i];
    if (old !== undefined && owns(old)) return old;
    const chunk = old === undefined ? new Array<V | undefined>(SPAN).fill(undefined) : old.slice();
    this.chunks[i] = own(chunk);
    return chunk;
  }

  private resize(size: number): void {
    (this as { size: number }).size = size;
  }

  /** Drops empty chunks at both ends so that the index stays as short as the contents. */
  private trim(): SlotMap<V> {
    const chunks = this.chunks;
    let start = 0;
    let end = chunks.length;
    while (start < end && chunks[start] === undefined) start++;
    while (end > start && chunks[end - 1] === undefined) end--;
    if (start === end) {
      this.lo = 0;
      chunks.length = 0;
      return this;
    }
    if (start > 0 || end < chunks.length) {
      chunks.length = end;
      chunks.splice(0, start);
      this.lo += start;
    }
    return this;
  }
}

/**
 * The event loop's queue: scheduled events popped in (time, seq) order, `seq` one insertion
 * counter, exactly as EventHeap orders them, but most events never enter a heap. An event due
 * within WHEEL_US of the last popped time, at a whole microsecond, goes into a timing wheel: one
 * FIFO list per microsecond slot and a bitmap of the slots in use. Insertion order is seq order,
 * so each list is already in (time, seq) order and the earliest event is the head of the first
 * marked slot after the last popped time (found 32 slots at a time with Math.clz32). Anything
 * else (far timers, fractional times) waits in an EventHeap numbered from the same counter; a
 * pop takes whichever of the two heads comes first, so where an event is kept never changes the
 * order. Lists are links in typed arrays (entry 0 means none), reused through a free list: no
 * object per event, and one pointer store per event instead of one per heap level.
 *
 * Replaces the binary heap in the loop: on the engine bench about 380 events are in flight, so
 * every pop sifted down about nine levels.
 */
import { EventHeap } from './heap.js';

const WHEEL_BITS = 16;
/** Horizon of the wheel in µs (slots), a power of two. */
export const WHEEL_US = 1 << WHEEL_BITS;
const MASK = WHEEL_US - 1;
const WORDS = WHEEL_US >> 5;

export class EventQueue<T> {
  /** First and last entry of each slot's list; 0 when the slot is empty. */
  private readonly head = new Int32Array(WHEEL_US);
  private readonly tail = new Int32Array(WHEEL_US);
  /** Bit `s & 31` of word `s >> 5` is set when slot `s` has a list. */
  private readonly marks = new Uint32Array(WORDS);
  /** Entry pool (index 0 unused): the event, its seq, the next entry in its list or free list. */
  private items: (T | undefined)[] = [undefined];
  private seqs = new Float64Array(64);
  private links = new Int32Array(64);
  private free = 0;
  private inWheel = 0;
  private readonly far = new EventHeap<T>();
  /** Whole µs at or before every wheel entry: every wheel entry is in [base, base + WHEEL_US). */
  private base = 0;
  private nextSeq = 0;
  /** Time of the item returned by the last `pop`. */
  poppedTime = 0;

  get size(): number {
    return this.inWheel + this.far.size;
  }

  /** Adds `item` at `time`, which must not be before the last popped time. */
  push(time: number, item: T): void {
    const seq = this.nextSeq++;
    const offset = time - this.base;
    if (!(offset >= 0 && offset < WHEEL_US && (offset | 0) === offset)) {
      this.far.insert(time, seq, item);
      return;
    }
    let e = this.free;
    if (e === 0) e = this.grow();
    this.free = this.links[e]!;
    this.items[e] = item;
    this.seqs[e] = seq;
    this.links[e] = 0;
    const slot = time & MASK;
    if (this.head[slot] === 0) {
      this.head[slot] = e;
      this.marks[slot >> 5]! |= 1 << (slot & 31);
    } else {
      this.links[this.tail[slot]!] = e;
    }
    this.tail[slot] = e;
    this.inWheel++;
  }

  /** Time of the earliest item, Infinity when empty. */
  peekTime(): number {
    const wheel = this.inWheel > 0 ? this.base + ((this.firstSlot() - this.base) & MASK)
      : Infinity;
    return this.far.size > 0 ? Math.min(wheel, this.far.peekTime()) : wheel;
  }

  /**
   * Removes and returns the earliest item if it is due by `until` (its time in `poppedTime`);
   * undefined, removing nothing, when the queue is empty or the earliest item is later.
   */
  pop(until = Infinity): T | undefined {
    const far = this.far;
    if (this.inWheel === 0) {
      if (far.size === 0 || far.peekTime() > until) return undefined;
      return this.popFar();
    }
    const slot = this.firstSlot();
    const time = this.base + ((slot - this.base) & MASK);
    const e = this.head[slot]!;
    if (far.size > 0) {
      const farTime = far.peekTime();
      if (farTime < time || (farTime === time && far.peekSeq() < this.seqs[e]!)) {
        return farTime > until ? undefined : this.popFar();
      }
    }
    if (time > until) return undefined;
    const next = this.links[e]!;
    this.head[slot] = next;
    if (next === 0) this.marks[slot >> 5]! &= ~(1 << (slot & 31));
    const item = this.items[e];
    this.items[e] = undefined;
    this.links[e] = this.free;
    this.free = e;
    this.inWheel--;
    this.base = time;
    this.poppedTime = time;
    return item;
  }

  private popFar(): T | undefined {
    const item = this.far.pop();
    const time = this.far.poppedTime;
    this.poppedTime = time;
    // Not past any wheel entry: this one came first. Whole, so slots stay whole offsets.
    this.base = Math.max(this.base, Math.floor(time));
    return item;
  }

  /** The first marked slot at or after the base's, wrapping around (the wheel is not empty). */
  private firstSlot(): number {
    const marks = this.marks;
    const start = this.base & MASK;
    let w = start >> 5;
    let word = marks[w]! & (-1 << (start & 31));
    while (word === 0) {
      w = (w + 1) & (WORDS - 1);
      word = marks[w]!;
    }
    return (w << 5) + 31 - Math.clz32(word & -word);
  }

  /** Doubles the entry pool and puts the new entries on the free list; returns the first. */
  private grow(): number {
    const n = this.seqs.length;
    const seqs = new Float64Array(n * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
    const links = new Int32Array(n * 2);
    links.set(this.links);
    this.links = links;
    const first = this.items.length;
    for (let e = first; e < n * 2; e++) {
      this.items.push(undefined);
      links[e] = e + 1 < n * 2 ? e + 1 : 0;
    }
    this.free = first;
    return first;
  }
}

import type { KvOp, KvResult } from '../../protocol/kv-types.js';
import type { Model, StepResult } from './types.js';

/** Extends a polynomial string hash (base 31, mod 2^32) with `text`. */
function extendHash(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return h;
}

/** Bucket of a content hash in a table of `mask + 1` slots. */
function bucket(hash: number, mask: number): number {
  const h = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) & mask;
}

const ILLEGAL: StepResult<number> = { ok: false, state: -1 };

/**
 * The values one key takes during a search, interned as dense ids (0 is the absent key, "").
 * A value is stored as a chain of pieces, not as a string: either a whole string (a `put` or
 * `cas` value, or "") or its parent value followed by an appended piece, which are the
 * operations' own strings. So a new value allocates nothing on the JS heap. Each value keeps its
 * length and polynomial hash (extended in O(piece) on append), so comparing it with a string
 * costs O(1) unless they have the same length, and then O(length) without building the value
 * (compared from the end, where two values of a key usually differ first).
 */
class ValueTable {
  private count = 1;
  private hashes: Int32Array;
  private lengths: Int32Array;
  /** Value a value was appended to, -1 for a whole string. */
  private parents: Int32Array;
  /** The appended piece, or the whole string. */
  private readonly pieces: string[] = [''];
  /** Open addressing by content hash: id + 1 per slot, 0 when free. */
  private slots: Int32Array;

  /** `expected`: about how many values the search will make (one per write), to size tables. */
  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected + 1) capacity *= 2;
    this.hashes = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.parents = new Int32Array(capacity).fill(-1);
    this.slots = new Int32Array(2 * capacity);
    this.slots[bucket(0, this.slots.length - 1)] = 1;
  }

  /**
   * Heap bytes of the table: its typed arrays and a pointer per piece (the pieces are the
   * operations' own strings).
   */
  bytes(): number {
    return 4 * (3 * this.hashes.length + this.slots.length) + 8 * this.pieces.length;
  }

  /** Whether value `id` is `text`. */
  is(id: number, text: string): boolean {
    return this.lengths[id] === text.length && this.matches(id, text);
  }

  /** Value `id` as a string (for explanations and the rare hash collision). */
  value(id: number): string {
    const pieces: string[] = [];
    let cur = id;
    for (; this.parents[cur] !== -1; cur = this.parents[cur] as number) {
      pieces.push(this.pieces[cur] as string);
    }
    pieces.push(this.pieces[cur] as string);
    return pieces.reverse().join('');
  }

  /** The id of `text`, interning it when new. */
  set(text: string): number {
    if (text === '') return 0;
    const hash = extendHash(0, text);
    const mask = this.slots.length - 1;
    for (let s = bucket(hash, mask); ; s = (s + 1) & mask) {
      const e = this.slots[s] as number;
      if (e === 0) return this.add(s, hash, text.length, -1, text);
      if (this.hashes[e - 1] === hash && this.is(e - 1, text)) return e - 1;
    }
  }

  /** The id of value `id` followed by `text` (not empty), interning it when new. */
  append(id: number, text: string): number {
    const hash = extendHash(this.hashes[id] as number, text);
    const length = (this.lengths[id] as number) + text.length;
    const mask = this.slots.length - 1;
    for (let s = bucket(hash, mask); ; s = (s + 1) & mask) {
      const e = this.slots[s] as number;
      if (e === 0) return this.add(s, hash, length, id, text);
      const other = e - 1;
      if (this.hashes[other] !== hash || this.lengths[other] !== length) continue;
      // Usually the same derivation; otherwise compare contents (equal, or a hash collision).
      if (this.parents[other] === id && this.pieces[other] === text) return other;
      if (this.matches(other, this.value(id) + text)) return other;
    }
  }

  /** Whether value `id` is `text` (of the same length): compares piece by piece from the end. */
  private matches(id: number, text: string): boolean {
    let end = text.length;
    let cur = id;
    for (; this.parents[cur] !== -1; cur = this.parents[cur] as number) {
      const piece = this.pieces[cur] as string;
      end -= piece.length;
      if (!text.startsWith(piece, end)) return false;
    }
    const first = this.pieces[cur] as string;
    return end === first.length && text.startsWith(first);
  }

  private add(slot: number, hash: number, length: number, parent: number, piece: string): number {
    const id = this.count++;
    if (id === this.hashes.length) {
      this.hashes = grow(this.hashes, 0);
      this.lengths = grow(this.lengths, 0);
      this.parents = grow(this.parents, -1);
    }
    this.pieces.push(piece);
    this.hashes[id] = hash;
    this.lengths[id] = length;
    this.parents[id] = parent;
    this.slots[slot] = id + 1;
    if (2 * this.count > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let s = bucket(this.hashes[id] as number, mask);
      while (this.slots[s] !== 0) s = (s + 1) & mask;
      this.slots[s] = id + 1;
    }
  }
}

function grow(array: Int32Array, fill: number) {
  const grown = new Int32Array(array.length * 2).fill(fill, array.length);
  grown.set(array);
  return grown;
}

/**
 * The `kv` model restricted to one key (`kvModel.specialize` for a single-key partition): the
 * state is the id of the key's value in a table owned by this model instance, so a step
 * allocates nothing unless it produces a new value, and states are small integers. Steps are
 * deterministic functions of (state, operation) as the checker requires; the table only grows.
 */
export function kvKeyModel(key: string, writes = 0): Model<number, KvOp, KvResult> {
  return new KvKeyModel(key, writes);
}

/** A class, so that the checker's call sites see one `step` whatever the partition. */
class KvKeyModel implements Model<number, KvOp, KvResult> {
  readonly name = 'kv';
  readonly description: string;
  readonly inputKind = 'kv';
  readonly denseStates = true;
  private readonly table: ValueTable;
  private readonly quoted: string;

  /** `writes`: how many of the partition's operations may write (sizes the value table). */
  constructor(key: string, writes: number) {
    this.table = new ValueTable(writes);
    this.quoted = JSON.stringify(key);
    this.description = `kv restricted to key ${this.quoted}`;
  }

  init(): number {
    return 0;
  }

  step(state: number, input: KvOp, output: KvResult | undefined): StepResult<number> {
    const table = this.table;
    switch (input.type) {
      case 'get': {
        if (output === undefined) return { ok: true, state };
        const seen = output.value ?? '';
        return table.is(state, seen) ? { ok: true, state } : ILLEGAL;
      }
      case 'put':
        return { ok: true, state: table.set(input.value) };
      case 'append':
        return { ok: true, state: input.value === '' ? state : table.append(state, input.value) };
      case 'cas': {
        const matches = table.is(state, input.expected);
        // As in `kvModel`: an indefinite CAS applies exactly when the comparison succeeds, a
        // failed CAS is a constraint that it saw a different value.
        if (output !== undefined && output.ok !== matches) return ILLEGAL;
        return { ok: true, state: matches ? table.set(input.value) : state };
      }
    }
  }

  hash(state: number): number {
    return state;
  }

  bytes(): number {
    return this.table.bytes();
  }

  describeState(state: number): string {
    if (state === 0) return '{}';
    return `{${this.quoted}: ${JSON.stringify(this.table.value(state))}}`;
  }
}

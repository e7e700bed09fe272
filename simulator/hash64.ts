/**
 * A structural 64-bit hash of protocol values, computed by walking the value (no text is built):
 * two 32-bit lanes fed by different mixers (MurmurHash3's and xxHash32's rounds) and crossed at
 * the end. It equates exactly what `serialize` equates: object keys, Map entries and Set elements
 * are combined order-independently (a sum of finalized entry hashes), an append-log view hashes
 * as its first `length` items, and null and undefined are the same value.
 *
 * Hashes are returned without allocation: a function returns the low lane and leaves the high
 * lane in `hashHi`, to be read at once.
 */

/** High lane of the hash last returned. */
export let hashHi = 0;

/** Replica-name renaming applied to every string hashed (symmetry reduction), or null. */
let rename: ReadonlyMap<string, string> | null = null;

/** Selects a renaming for the hashes that follow. */
export function setRename(map: ReadonlyMap<string, string> | null): void {
  rename = map;
}

const SEED_LO = 0x2f1b9a3d;
const SEED_HI = 0x6c8e9cf5;
const enum Tag { Null = 1, True, False, Int, Float, Str, Arr, Obj, Map, Set }

let lo = SEED_LO;
let hi = SEED_HI;

function push(word: number): void {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  let h = lo ^ Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  lo = (Math.imul(h, 5) + 0xe6546b64) | 0;
  let a = (hi + Math.imul(word, 0x85ebca77)) | 0;
  a = (a << 13) | (a >>> 19);
  hi = Math.imul(a, 0x9e3779b1);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Ends the current stream: returns its low lane and sets `hashHi`; the lanes are crossed. */
function finish(): number {
  const l = fmix(lo ^ Math.imul(hi, 0x27d4eb2f));
  hashHi = fmix((hi + Math.imul(l, 0x165667b1)) | 0);
  return l;
}

const float = new Float64Array(1);
const floatWords = new Int32Array(float.buffer);

function pushString(s: string): void {
  if (rename !== null) s = rename.get(s) ?? s;
  push(Tag.Str);
  const n = s.length;
  push(n);
  let i = 0;
  for (; i + 1 < n; i += 2) push(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) push(s.charCodeAt(i));
}

function pushItems(items: readonly unknown[], length: number): void {
  push(Tag.Arr);
  push(length);
  for (let i = 0; i < length; i++) pushValue(items[i]);
}

/** Feeds a value into the current stream. */
function pushValue(value: unknown): void {
  switch (typeof value) {
    case 'string': pushString(value); return;
    case 'number':
      if (Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff) {
        push(Tag.Int);
        push(value | 0);
      } else {
        float[0] = value;
        push(Tag.Float);
        push(floatWords[0]!);
        push(floatWords[1]!);
      }
      return;
    case 'boolean': push(value ? Tag.True : Tag.False); return;
    case 'undefined': push(Tag.Null); return;
    case 'object': break;
    default: throw new Error(`fingerprint: cannot hash a ${typeof value}`);
  }
  if (value === null) {
    push(Tag.Null);
    return;
  }
  if (depth === 1) {
    // Always as a sub-stream at this level, cached or not, so that the hash does not depend on
    // whether a cache was there (renamed hashes, frozen objects).
    const o = value as { [HASH]?: readonly [number, number] };
    let lanes = rename === null ? o[HASH] : undefined;
    if (lanes === undefined) {
      const saveLo = lo;
      const saveHi = hi;
      lo = SEED_LO;
      hi = SEED_HI;
      depth++;
      pushObjectLike(value);
      depth--;
      lanes = [finish(), hashHi];
      if (rename === null && Object.isExtensible(o)) {
        Object.defineProperty(o, HASH, { value: lanes }); // Not enumerable, not cloned.
      }
      lo = saveLo;
      hi = saveHi;
    }
    push(lanes[0]);
    push(lanes[1]);
    return;
  }
  depth++;
  pushObjectLike(value);
  depth--;
}

/**
 * The direct parts of a node state (its fields' values) keep their hash in a hidden property:
 * a step copies the path to what it changes, so most parts of a new state are shared with the
 * state it came from. Measured: ~10 % less CPU on SMART, ~5 % on the example protocol; a
 * WeakMap instead, or caching deeper levels, cost more than it saved. Only without renaming
 * (the cache holds the identity's hash) and only for extensible (not frozen) objects.
 */
const HASH = Symbol('hash64');
let depth = 0;

function pushObjectLike(value: object): void {
  if (Array.isArray(value)) pushItems(value, value.length);
  else if (value instanceof Map) pushUnordered(Tag.Map, value);
  else if (value instanceof Set) pushUnordered(Tag.Set, value);
  else pushObject(value as Record<string, unknown>);
}

/**
 * Unordered parts: each entry is hashed as its own stream and the finalized hashes summed, so
 * the order of insertion (or of object keys) does not matter while multiplicity does.
 */
function pushUnordered(tag: Tag, c: ReadonlyMap<unknown, unknown> | ReadonlySet<unknown>): void {
  const saveLo = lo;
  const saveHi = hi;
  let sumLo = 0;
  let sumHi = 0;
  const isMap = tag === Tag.Map;
  for (const entry of c.entries()) {
    lo = SEED_LO;
    hi = SEED_HI;
    pushValue(entry[0]);
    if (isMap) pushValue(entry[1]);
    sumLo = (sumLo + finish()) | 0;
    sumHi = (sumHi + hashHi) | 0;
  }
  lo = saveLo;
  hi = saveHi;
  push(tag);
  push(c.size);
  push(sumLo);
  push(sumHi);
}

function pushObject(obj: Record<string, unknown>): void {
  const items = obj['items'];
  const keys = Object.keys(obj);
  if (keys.length === 2 && Array.isArray(items) && typeof obj['length'] === 'number') {
    pushItems(items, obj['length']); // An append-log view (protocol/append-log.ts).
    return;
  }
  const saveLo = lo;
  const saveHi = hi;
  let sumLo = 0;
  let sumHi = 0;
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = obj[k];
    if (v === undefined) continue; // As in `serialize`: an undefined field is no field.
    lo = SEED_LO;
    hi = SEED_HI;
    pushString(k); // Renamed too: protocols key plain objects by replica name.
    pushValue(v);
    sumLo = (sumLo + finish()) | 0;
    sumHi = (sumHi + hashHi) | 0;
    count++;
  }
  lo = saveLo;
  hi = saveHi;
  push(Tag.Obj);
  push(count);
  push(sumLo);
  push(sumHi);
}

/** The hash of one value: returns the low lane, leaves the high lane in `hashHi`. */
export function hashOf(value: unknown): number {
  lo = SEED_LO;
  hi = SEED_HI;
  depth = 0;
  pushValue(value);
  return finish();
}

/**
 * An ordered record of already-computed words (e.g. lanes of part hashes and small counters):
 * begin, add words, end. Not reentrant with `hashOf` between begin and end.
 */
export function beginWords(): void {
  lo = SEED_LO;
  hi = SEED_HI;
}

export function addWord(word: number): void {
  push(word);
}

export function addString(s: string): void {
  pushString(s);
}

export function endWords(): number {
  return finish();
}

/**
 * Int32Array buffers reused across the searches of one check and across checks: a run's check
 * builds a search per key, each needing a dozen arrays of about its op count, and allocating
 * (and zero-filling, and collecting) them cost more than the search itself on the mostly
 * linearizable histories runs produce. Buffers have power-of-two lengths; a search takes them,
 * fills what it reads, and gives them back when it is released. Only what fits `MAX_KEPT_BYTES`
 * is kept between checks; larger ones go to the garbage collector as before.
 * Reuse changes no answer: a search initialises every word it reads.
 */

/** At most this many bytes of idle buffers are kept for later searches. */
const MAX_KEPT_BYTES = 8 * 1024 * 1024;
/** Buffers above this length are never kept (a big search gives its memory back). */
const MAX_KEPT_LENGTH = 1 << 20;

const idle: Int32Array[][] = [];
let keptBytes = 0;

/** Smallest power of two >= n (and >= 16). */
export function capacityFor(n: number): number {
  let c = 16;
  while (c < n) c *= 2;
  return c;
}

/** A buffer of length `capacityFor(n)`; its contents are arbitrary. */
export function takeBuffer(n: number): Int32Array {
  const length = capacityFor(n);
  const bin = idle[Math.log2(length)];
  const spare = bin?.pop();
  if (spare !== undefined) {
    keptBytes -= 4 * length;
    return spare;
  }
  return new Int32Array(length);
}

/**
 * Gives `buffer` back for reuse (the caller must not touch it afterwards). Returns false when it
 * is not kept: it is garbage then, still allocated until the collector frees it.
 */
export function giveBuffer(buffer: Int32Array): boolean {
  const length = buffer.length;
  if (length < 16 || length > MAX_KEPT_LENGTH || (length & (length - 1)) !== 0) return false;
  if (keptBytes + 4 * length > MAX_KEPT_BYTES) return false;
  const i = Math.log2(length);
  (idle[i] ??= []).push(buffer);
  keptBytes += 4 * length;
  return true;
}

/** Bytes of idle buffers kept for reuse (for tests and the bench). */
export function keptBufferBytes(): number {
  return keptBytes;
}

/** A zero-length placeholder for a released search's arrays. */
export const NO_BUFFER: Int32Array = new Int32Array(0);

let zobristKeys = new Int32Array(0);

/** Deterministic 32-bit Zobrist key of op `i` (murmur3's finaliser over a Weyl sequence). */
function zobrist(i: number): number {
  let h = Math.imul(i + 1, 0x9e3779b1) ^ 0x5bd1e995;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Zobrist keys of ops 0..n-1, computed once and shared read-only by every search (the keys are
 * a fixed function of the op number). The returned array may be longer than `n`.
 */
export function zobristKeysFor(n: number): Int32Array {
  if (n > MAX_KEPT_LENGTH) {
    const keys = new Int32Array(n);
    for (let i = 0; i < n; i++) keys[i] = zobrist(i);
    return keys;
  }
  if (zobristKeys.length < n) {
    const keys = new Int32Array(capacityFor(n));
    keys.set(zobristKeys);
    for (let i = zobristKeys.length; i < keys.length; i++) keys[i] = zobrist(i);
    zobristKeys = keys;
  }
  return zobristKeys;
}

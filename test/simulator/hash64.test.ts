/**
 * The structural hash equates exactly what the canonical text (`serialize`) equates: key,
 * entry and element order do not matter, values and multiplicities do; and the typed visited
 * set keeps each fingerprint once however it grows.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { emptyLog, logAppend } from '../../protocol/append-log.js';
import { serialize } from '../../simulator/checker/fingerprint.js';
import { hashHi, hashOf } from '../../simulator/hash64.js';
import { contains, VisitedSet } from '../../simulator/visited.js';

function hash(value: unknown): string {
  const lo = hashOf(value);
  return `${hashHi}:${lo}`;
}

const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string({ maxLength: 4 }),
    fc.boolean(), fc.constant(null)),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 3 }), tie('node'), { maxKeys: 4 }),
    fc.array(fc.tuple(fc.string({ maxLength: 3 }), tie('node')), { maxLength: 3 })
      .map((entries) => new Map(entries))),
})).node;

describe('hashOf', () => {
  test('equal canonical text ⇔ equal hash, over random values', () => {
    fc.assert(fc.property(value, value, (a, b) => {
      expect(hash(a) === hash(b)).toBe(serialize(a) === serialize(b));
    }), { numRuns: 2000 });
  });

  test('no collisions among thousands of distinct small values', () => {
    const byHash = new Map<string, string>();
    for (let i = 0; i < 3000; i++) {
      for (const v of [{ i }, [i, 'x'], new Map([[`n${i}`, i]]), `s${i}`, i + 0.5]) {
        const text = serialize(v);
        const h = hash(v);
        expect(byHash.get(h) ?? text).toBe(text);
        byHash.set(h, text);
      }
    }
    expect(byHash.size).toBe(15000);
  });

  test('order of keys, Map entries and Set elements does not matter; values do', () => {
    expect(hash({ a: 1, b: [2, 3] })).toBe(hash({ b: [2, 3], a: 1 }));
    expect(hash(new Map([['x', 1], ['y', 2]]))).toBe(hash(new Map([['y', 2], ['x', 1]])));
    expect(hash(new Set(['p', 'q']))).toBe(hash(new Set(['q', 'p'])));
    expect(hash({ a: 1, b: 2 })).not.toBe(hash({ a: 2, b: 1 }));
    expect(hash([2, 3])).not.toBe(hash([3, 2]));
    expect(hash('1')).not.toBe(hash(1));
    expect(hash({ a: 1, c: undefined })).toBe(hash({ a: 1 }));
  });

  test('the hidden per-part cache changes no hash: cached, fresh, frozen and renamed alike', () => {
    const make = () => ({ log: [1, 2], peers: new Map([['n1', 0]]), role: 'leader' });
    const first = hash(make());
    const shared = make();
    expect(hash(shared)).toBe(first);
    expect(hash(shared)).toBe(first); // Now from the cache.
    expect(hash({ ...shared, role: 'follower' })).not.toBe(first); // Shares cached parts.
    expect(hash(Object.freeze({ ...make(), log: Object.freeze([1, 2]) }))).toBe(first);
    expect(JSON.stringify(shared)).toBe(JSON.stringify(make())); // The cache is invisible.
    expect(Object.keys(shared.log)).toEqual(['0', '1']);
  });

  test('an append-log view hashes as its first `length` items', () => {
    const base = logAppend(emptyLog<string>(), 'x');
    const longer = logAppend(base, 'y'); // Shares base's backing array, which now holds 'y'.
    expect(hash(base)).toBe(hash(logAppend(emptyLog<string>(), 'x')));
    expect(hash(base)).toBe(hash(['x']));
    expect(hash(longer)).not.toBe(hash(base));
  });
});

describe('VisitedSet', () => {
  test('keeps each pair once across growth, including the reserved (0, 0)', () => {
    const set = new VisitedSet(2);
    let fresh = 0;
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i <= 50_000; i++) {
        if (set.add(Math.imul(i, 0x9e3779b1), i >> 3)) fresh++;
      }
    }
    expect(fresh).toBe(50_000);
    expect(set.size).toBe(50_000);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
    expect(set.bytes).toBeLessThanOrEqual(32 * set.size);
  });

  test('a shared set\'s table, read where the set is not (contains), holds what was added', () => {
    const set = new VisitedSet(2, true);
    expect(set.lookup.buffer).toBeInstanceOf(SharedArrayBuffer);
    for (let i = 1; i <= 5_000; i++) set.add(Math.imul(i, 0x9e3779b1), i >> 3);
    set.add(0, 0);
    // Grown from 4 slots: every growth is shared memory too.
    expect(set.lookup.buffer).toBeInstanceOf(SharedArrayBuffer);
    const table = set.lookup;
    for (let i = 1; i <= 5_000; i++) {
      expect(contains(table, Math.imul(i, 0x9e3779b1), i >> 3)).toBe(true);
      expect(contains(table, Math.imul(i, 0x9e3779b1), (i >> 3) + 1_000_000)).toBe(false);
    }
    expect(contains(table, 0, 0)).toBe(true);
    expect(contains(new VisitedSet(2, true).lookup, 0, 0)).toBe(false);
    expect(new VisitedSet().lookup.buffer).toBeInstanceOf(ArrayBuffer);
  });
});

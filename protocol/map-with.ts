/**
 * Copy-on-write updates of the immutable Maps that protocol states hold. `new Map(m)` walks its
 * argument through the generic iterator protocol and cost about twice a copy by `for…of` on
 * Node 20 (measured: 142 vs 70 ns for 3 entries, 442 vs 323 ns for 9); OPB copies a small Map on
 * almost every message it handles. The copy keeps insertion order, so states, their hashes and
 * everything derived from them are exactly those `new Map(m).set(key, value)` gives.
 */

/** A copy of `m` with `key` set to `value`; `m` itself when it already maps `key` to `value`. */
export function mapWith<K, V>(m: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  if (m.get(key) === value && (value !== undefined || m.has(key))) return m;
  const copy = new Map<K, V>();
  for (const [k, v] of m) copy.set(k, v);
  return copy.set(key, value);
}

/** A copy of `m` without `key`; `m` itself when it has no `key`. */
export function mapWithout<K, V>(m: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!m.has(key)) return m;
  const copy = new Map<K, V>();
  for (const [k, v] of m) if (k !== key) copy.set(k, v);
  return copy;
}

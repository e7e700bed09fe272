/**
 * Several properties read the same derived view of a run (the OPB world, SMART's evidence, the
 * fault segments): `onceEach(compute)` computes it once per key object and keeps it only as long
 * as the key lives.
 */
export function onceEach<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key)!;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}

/**
 * A fast, allocation-free structural equality of protocol values, for confirming that two
 * packets with equal hashes are the same packet. True only when `serialize` (fingerprint.ts)
 * would give both the same text: same primitives, arrays item by item, plain objects key by key,
 * Maps and Sets with primitive keys entry by entry. It may answer false for values `serialize`
 * equates (e.g. null beside undefined, an append-log view beside a longer backing array, Maps
 * keyed by objects): the caller then compares canonical texts.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (typeof k === 'object' || !b.has(k) || !sameValue(v, b.get(k))) return false;
    }
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const k of a) if (typeof k === 'object' || !b.has(k)) return false;
    return true;
  }
  if (b instanceof Map || b instanceof Set) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = x[k];
    if (v === undefined || !Object.hasOwn(y, k) || !sameValue(v, y[k])) return false;
  }
  return true;
}

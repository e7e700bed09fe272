import { describe, expect, it } from 'vitest';
import {
  FNV_OFFSET, fnv1a32, fnvHex, fnvStore, fnvText, kvCanonical, kvDigest,
} from '../../protocol/kv.js';

describe('store digests', () => {
  const stores = [
    new Map<string, string>(),
    new Map([['k1', '']]),
    new Map([['k2', 'c1.3+c2.5'], ['k0', 'x'], ['k10', 'é→✓']]),
  ];

  it('kvDigest is FNV-1a of the canonical text, without building it', () => {
    for (const store of stores) expect(kvDigest(store)).toBe(fnv1a32(kvCanonical(store)));
  });

  it('a streamed digest continues over the store as over its text', () => {
    for (const store of stores) {
      const streamed = fnvText(fnvStore(fnvText(FNV_OFFSET, 'a|'), store), '|b');
      expect(fnvHex(streamed)).toBe(fnv1a32(`a|${kvCanonical(store)}|b`));
    }
  });

  it('tells apart stores whose texts differ', () => {
    expect(kvDigest(new Map([['a', 'b;c=d']]))).not.toBe(kvDigest(new Map([['a', 'b;c=e']])));
    expect(kvDigest(stores[2]!)).not.toBe(kvDigest(new Map([...stores[2]!, ['k0', 'y']])));
  });
});

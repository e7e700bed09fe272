/**
 * Fingerprints (STYLE §5): unordered parts hash independently of their order, ordered parts and
 * multiplicities do not, and equal protocol values serialize equally however they were built.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { emptyLog, logAppend } from '../../../protocol/append-log.js';
import {
  fingerprint, hashMultiset, serialize, type Packet, type SystemState,
} from '../../../simulator/checker/index.js';

function packet(from: string, to: string, body: unknown): Packet {
  return { kind: 'msg', from, to, body, key: `msg ${from}>${to} ${serialize(body)}` };
}

function system(inflight: readonly Packet[], timers: readonly string[] = ['beat']): SystemState {
  return {
    nodes: [{ name: 'n1', up: true, state: { log: [1, 2] }, disk: null, timers }],
    inflight, clients: [], history: [], events: 0, crashes: 0, drops: 0, fired: 0,
  };
}

describe('hashMultiset', () => {
  test('does not depend on element order', () => {
    const permuted = fc.array(fc.string(), { maxLength: 8 }).chain((items) =>
      fc.tuple(fc.constant(items),
        fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length })));
    fc.assert(fc.property(permuted, ([items, shuffled]) => {
      expect(hashMultiset(shuffled)).toBe(hashMultiset(items));
    }));
  });

  test('counts multiplicity and content', () => {
    expect(hashMultiset(['a', 'a'])).not.toBe(hashMultiset(['a']));
    expect(hashMultiset(['a', 'b'])).not.toBe(hashMultiset(['a', 'c']));
    expect(hashMultiset(['ab'])).not.toBe(hashMultiset(['a', 'b']));
  });
});

describe('fingerprint', () => {
  const a = packet('n1', 'n2', { type: 'update', index: 1 });
  const b = packet('n2', 'n1', { type: 'ack', index: 1 });
  const c = packet('n1', 'n2', { type: 'beat' });

  test('in-flight messages are a multiset: any order, same fingerprint', () => {
    const base = fingerprint(system([a, b, c]));
    for (const order of [[a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]]) {
      expect(fingerprint(system(order))).toBe(base);
    }
    expect(fingerprint(system([a, b]))).not.toBe(base);
    expect(fingerprint(system([a, b, c, c]))).not.toBe(base);
  });

  test('pending timers matter', () => {
    expect(fingerprint(system([a], ['beat']))).not.toBe(fingerprint(system([a], [])));
  });
});

describe('serialize', () => {
  test('Maps and Sets do not depend on insertion order', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.string(), { maxLength: 6 }), (keys) => {
      const forward = new Map(keys.map((k, i) => [k, i]));
      const backward = new Map([...keys].reverse().map((k) => [k, forward.get(k)!]));
      expect(serialize(backward)).toBe(serialize(forward));
      expect(serialize(new Set([...keys].reverse()))).toBe(serialize(new Set(keys)));
    }));
  });

  test('object keys are sorted and undefined fields left out', () => {
    expect(serialize({ b: 1, a: 'x', c: undefined })).toBe(serialize({ a: 'x', b: 1 }));
  });

  test('an append-log view is only its first `length` items', () => {
    const base = logAppend(emptyLog<string>(), 'x');
    const longer = logAppend(base, 'y'); // Shares base's backing array, which now holds 'y' too.
    expect(serialize(base)).toBe(serialize(logAppend(emptyLog<string>(), 'x')));
    expect(serialize(longer)).not.toBe(serialize(base));
  });
});

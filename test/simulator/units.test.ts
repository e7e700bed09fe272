import { describe, expect, it } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { EventHeap } from '../../simulator/heap.js';
import { createPrng } from '../../simulator/prng.js';
import { canonicalJson } from '../../simulator/canonical.js';
import { globalDelay, localTime, newNodeRuntime } from '../../simulator/node-runtime.js';

describe('EventHeap', () => {
  fcTest.prop([fc.array(fc.nat({ max: 50 }), { maxLength: 300 })])(
    'pops in (time, insertion) order', (times) => {
    const heap = new EventHeap<number>();
    times.forEach((t, i) => heap.push(t, i));
    const popped: [number, number][] = [];
    for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push([heap.poppedTime, e]);
    const expected = times.map((t, i) => [t, i] as [number, number])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(popped).toEqual(expected);
  });
});

describe('Prng', () => {
  it('is reproducible, forks independently, and stays in range', () => {
    const a = createPrng(5);
    const b = createPrng(5);
    const xs = Array.from({ length: 100 }, () => a.int(3, 9));
    expect(Array.from({ length: 100 }, () => b.int(3, 9))).toEqual(xs);
    expect(Math.min(...xs)).toBe(3);
    expect(Math.max(...xs)).toBe(9);
    const p = createPrng(1);
    const child = p.fork();
    const q = createPrng(1);
    q.fork();
    expect(p.int(0, 1e9)).toBe(q.int(0, 1e9));
    expect(child.int(0, 1e9)).not.toBe(createPrng(1).int(0, 1e9));
  });

  it('chance(1, 4) is about a quarter', () => {
    const p = createPrng('c');
    let hits = 0;
    for (let i = 0; i < 40_000; i++) if (p.chance(1, 4)) hits++;
    expect(hits / 40_000).toBeGreaterThan(0.24);
    expect(hits / 40_000).toBeLessThan(0.26);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and rejects floats', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } }))
      .toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
    expect(() => canonicalJson({ x: 0.5 })).toThrow(/non-integer/);
  });
});

describe('clock skew arithmetic', () => {
  it('a timer set on a fast clock fires earlier in global time', () => {
    const n = newNodeRuntime(0, 'n1');
    n.skewPpm = 100_000;
    const now = 5_000_000;
    const local = localTime(n, now);
    expect(local).toBe(5_500_000);
    expect(globalDelay(n, now, local + 110_000)).toBe(100_000);
  });
});

import { describe, expect, it } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { EventHeap } from '../../simulator/heap.js';
import { EventQueue, WHEEL_US } from '../../simulator/event-queue.js';
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

describe('EventQueue', () => {
  // Steps: push at (last popped time + delay), or pop; delays near, far (past the wheel's
  // horizon), on the wheel's edge and fractional. Pops must match EventHeap's exactly.
  const delay = fc.oneof(fc.nat({ max: 40 }), fc.nat({ max: 3 * WHEEL_US }),
    fc.constantFrom(WHEEL_US - 1, WHEEL_US, WHEEL_US + 1), fc.double({ min: 0, max: 50,
      noNaN: true }));
  fcTest.prop([fc.array(fc.option(delay, { nil: null, freq: 3 }), { maxLength: 400 })])(
    'pops in (time, insertion) order, as EventHeap does', (steps) => {
    const queue = new EventQueue<number>();
    const heap = new EventHeap<number>();
    const popped: [number, number | undefined][] = [];
    const expected: [number, number | undefined][] = [];
    let now = 0;
    steps.forEach((d, i) => {
      if (d !== null) {
        queue.push(now + d, i);
        heap.push(now + d, i);
        return;
      }
      expect(queue.peekTime()).toBe(heap.peekTime());
      const e = heap.pop();
      expected.push([heap.poppedTime, e]);
      const q = queue.pop();
      popped.push([queue.poppedTime, q]);
      now = heap.poppedTime;
    });
    for (let e = heap.pop(); e !== undefined; e = heap.pop()) expected.push([heap.poppedTime, e]);
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push([queue.poppedTime, e]);
    expect(popped).toEqual(expected);
    expect(queue.size).toBe(0);
  });

  it('pops nothing later than the limit', () => {
    const queue = new EventQueue<string>();
    queue.push(5, 'a');
    queue.push(2 * WHEEL_US, 'b');
    expect(queue.pop(4)).toBeUndefined();
    expect(queue.pop(5)).toBe('a');
    expect(queue.pop(WHEEL_US)).toBeUndefined();
    expect(queue.pop()).toBe('b');
    expect(queue.poppedTime).toBe(2 * WHEEL_US);
    expect(queue.pop()).toBeUndefined();
  });

  it('keeps its order across 2^31 and 2^32 µs (slots come from the low bits)', () => {
    for (const start of [2 ** 31 - WHEEL_US, 2 ** 32 - WHEEL_US]) {
      const queue = new EventQueue<number>();
      const heap = new EventHeap<number>();
      queue.push(start, -1);
      heap.push(start, -1);
      queue.pop();
      heap.pop();
      let now = start;
      const popped: [number, number][] = [];
      const expected: [number, number][] = [];
      for (let i = 0; i < 3000; i++) {
        const at = now + (i * 7919) % (2 * WHEEL_US);
        queue.push(at, i);
        heap.push(at, i);
        if (i % 2 === 1) {
          expected.push([heap.pop()!, heap.poppedTime]);
          popped.push([queue.pop()!, queue.poppedTime]);
          now = heap.poppedTime;
        }
      }
      expect(now).toBeGreaterThan(start + WHEEL_US);
      expect(popped).toEqual(expected);
    }
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

import { describe, expect, it } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { EventHeap } from '../../simulator/heap.js';
import { createPrng } from '../../simulator/prng.js';
import { canonicalJson } from '../../simulator/canonical.js';
import { globalDelay, localTime, newNodeRuntime } from '../../simulator/node-runtime.js';
import { lint } from '../../bin/lint.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

describe('determinism lint', () => {
  it('passes on this repository', () => {
    expect(lint()).toEqual([]);
  });

  it('catches an import from a higher layer and properties reading protocol internals', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-layers-'));
    for (const d of ['protocol/smart', 'simulator', 'properties']) {
      mkdirSync(join(dir, d), { recursive: true });
    }
    writeFileSync(join(dir, 'protocol', 'smart', 'leader.ts'),
      "import type { Run } from '../../simulator/run.js';\n");
    writeFileSync(join(dir, 'simulator', 'sim.ts'), [
      "import { x } from '../protocol/types.js'; // allowed: a lower layer",
      "const p = await import('../properties/check.js');",
    ].join('\n'));
    writeFileSync(join(dir, 'properties', 'check.ts'), [
      "import type { Observation } from '../protocol/smart/observations.js';",
      "import { types } from '../protocol/types.js';",
      'import {',
      '  leaderOf,',
      "} from '../protocol/smart/leader.js';",
    ].join('\n'));
    expect(lint(dir)).toEqual([
      'protocol/smart/leader.ts:1: protocol/ imports simulator/run.js from a higher layer',
      'simulator/sim.ts:2: simulator/ imports properties/check.js from a higher layer',
      'properties/check.ts:5: properties/ imports protocol/smart/leader.js, ' +
        'not a declared type file',
    ]);
  });

  it('catches clocks, randomness, timers, for…in and node: imports in protocol/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    mkdirSync(join(dir, 'protocol'));
    mkdirSync(join(dir, 'simulator'));
    writeFileSync(join(dir, 'protocol', 'bad.ts'), [
      "import { readFileSync } from 'node:fs';",
      'const x = Math.random();',
      'for (const k in obj) {}',
    ].join('\n'));
    writeFileSync(join(dir, 'simulator', 'bad.ts'),
      'const t = Date.now(); setTimeout(() => 1, 5); performance.now();');
    const found = lint(dir);
    expect(found.some((f) => f.includes('protocol/bad.ts:1') && f.includes('Node built-in')))
      .toBe(true);
    expect(found.some((f) => f.includes('Math.random'))).toBe(true);
    expect(found.some((f) => f.includes('for…in'))).toBe(true);
    expect(found.some((f) => f.includes('Date.now'))).toBe(true);
    expect(found.some((f) => f.includes('Node timers'))).toBe(true);
    expect(found.some((f) => f.includes('performance.now'))).toBe(true);
  });

  it('flags source lines over 100 columns in every source folder, counting characters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    mkdirSync(join(dir, 'reports'));
    writeFileSync(join(dir, 'reports', 'wide.ts'), [`// ${'x'.repeat(97)}`, `// ${'é'.repeat(97)}`,
      `// ${'x'.repeat(99)}`].join('\n'));
    expect(lint(dir)).toEqual(['reports/wide.ts:3: line of 102 columns (max 100)']);
  });
});

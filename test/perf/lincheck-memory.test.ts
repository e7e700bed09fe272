import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../properties/linearizability/index.js';
import { kvModel } from '../../properties/models/kv.js';
import { linearizableKeyHistory } from './histories.js';

const GiB = 1024 ** 3;

describe('linearizability memory on long single-key histories', () => {
  const ops = linearizableKeyHistory(100_000);

  it('decides a 100k-op single-key history within a 1 GiB budget, RSS within it', () => {
    const before = process.memoryUsage().rss;
    const result = checkHistory(ops, kvModel, { maxCacheBytes: GiB });
    expect(result.verdict).toBe('ok');
    expect(result.partitions).toBe(1);
    // Entries store only the non-trivial words of the linearized set: a few MiB, not n² / 8.
    expect(process.memoryUsage().rss - before).toBeLessThan(GiB / 2);
    expect(process.resourceUsage().maxRSS * 1024).toBeLessThan(GiB);
  });

  it('still enforces the budget: 1 MiB is not enough for it', () => {
    const result = checkHistory(ops, kvModel, { maxCacheBytes: 1 << 20 });
    expect(result).toMatchObject({ verdict: 'unknown', reason: 'memory' });
  });

  it('finds a wrong read in it', () => {
    const last = ops.map((o) => o.input.type).indexOf('get', 500);
    const bad = ops.map((o, i) => (i === last ? { ...o, output: { ok: true, value: 'nope' } } : o));
    const result = checkHistory(bad, kvModel, { maxCacheBytes: GiB });
    expect(result.verdict).toBe('illegal');
    expect(result.explanation?.partitions[0]?.blocked?.id).toBe(last);
  });
});

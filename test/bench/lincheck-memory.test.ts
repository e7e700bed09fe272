import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../properties/formats/index.js';
import { checkHistory } from '../../properties/linearizability/index.js';
import { kvModel } from '../../properties/models/kv.js';
import { kvKeyModel } from '../../properties/models/kv-key.js';
import type { Model } from '../../properties/models/types.js';
import { linearizableKeyHistory } from '../../bench/key-history.js';
import { root } from '../helpers/cli.js';
import { porcupineDir } from '../helpers/lincheck.js';

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
    // Peak RSS is a whole process's: the test forks share theirs with other files (vitest's
    // isolate: false), so the peak is read from a fresh process that runs only this check.
    const script = path.join(root, 'dist', 'bench', 'lincheck-memory.js');
    const child = JSON.parse(execFileSync(process.execPath, [script, 'key'],
      { encoding: 'utf8' })) as { verdict: string; ops: number; maxRssBytes: number };
    expect(child).toMatchObject({ verdict: 'linearizable', ops: 100_000 });
    expect(child.maxRssBytes).toBeLessThan(GiB);
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

  it('counts the tables a model keeps for its states against the budget', () => {
    const model = kvKeyModel('k');
    const before = model.bytes?.() ?? 0;
    let state = 0;
    for (let i = 0; i < 5000; i++) {
      state = model.step(state, { type: 'append', key: 'k', value: `+${i}` }, { ok: true }).state;
    }
    expect(model.bytes?.() ?? 0).toBeGreaterThan(before + 5000 * 8);
    // A model whose own tables are over the budget: the search gives up on memory at once.
    const heavy: Model<number, unknown, unknown> = { name: 'heavy', description: 'test',
      inputKind: 'kv', init: () => 0, step: (s) => ({ ok: true, state: s + 1 }), hash: (s) => s,
      bytes: () => 2 * GiB };
    const result = checkHistory(ops.slice(0, 100), heavy, { maxCacheBytes: GiB });
    expect(result).toMatchObject({ verdict: 'unknown', reason: 'memory' });
  });
});

describe('linearizability memory budget bounds what the search holds', () => {
  it('never accounts more than the budget, counting a growing table old and new together', () => {
    const file = path.join(porcupineDir(), 'kv', 'c50-ok.txt');
    const ops = parseHistory(readFileSync(file, 'utf8')).ops;
    const budget = 16 * 1024 * 1024;
    const result = checkHistory(ops, kvModel, { partition: false, maxCacheBytes: budget });
    expect(result).toMatchObject({ verdict: 'unknown', reason: 'memory' });
    expect(result.peakBytes).toBeLessThanOrEqual(budget);
    // It stops when the next doubling would not fit: at least a third of the budget is used.
    expect(result.peakBytes).toBeGreaterThan(budget / 3);
  });

  it('reports the peak it accounted on a decided check too', () => {
    const result = checkHistory(linearizableKeyHistory(2000), kvModel);
    expect(result.verdict).toBe('ok');
    expect(result.peakBytes).toBeGreaterThan(2000 * 4 * 8);
    expect(result.peakBytes).toBeLessThan(16 * 1024 * 1024);
  });
});

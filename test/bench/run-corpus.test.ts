import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CORPUS_RUNS, corpusFileName, corpusHistory, encodeHistory, readCorpusFile, readManifest,
  RUN_CORPUS,
} from '../../bench/run-corpus.js';
import { checkHistory, verdictName } from '../../properties/linearizability/index.js';
import { kvModel } from '../../properties/models/kv.js';
import { repoRoot } from '../helpers/lincheck.js';

const dir = path.join(repoRoot(), RUN_CORPUS);
const rows = readManifest(dir);

describe('corpus of histories from replisim runs', () => {
  it('lists every run of the generator, linearizable ones and others', () => {
    expect(rows.map((r) => r.file)).toEqual(CORPUS_RUNS.map(corpusFileName));
    expect(rows.filter((r) => r.verdict === 'linearizable').length).toBeGreaterThanOrEqual(15);
    expect(rows.filter((r) => r.verdict === 'not-linearizable').length).toBeGreaterThanOrEqual(5);
    // A non-linearizable history comes from a mutant or from a protocol that does not claim it.
    for (const r of rows.filter((row) => row.verdict !== 'linearizable')) {
      expect(r.mutant !== null || r.scenario.startsWith('opb-'), r.file).toBe(true);
    }
  });

  it('gives every stored history the verdict the manifest records, with its op count', () => {
    const wrong: string[] = [];
    for (const row of rows) {
      const ops = readCorpusFile(dir, row.file);
      expect(ops.length, row.file).toBeLessThanOrEqual(row.ops);
      const verdict = verdictName(checkHistory(ops, kvModel).verdict);
      if (verdict !== row.verdict) wrong.push(`${row.file}: ${verdict}`);
    }
    expect(wrong).toEqual([]);
  });

  it('is deterministic: the same run gives the same bytes', () => {
    const small = CORPUS_RUNS.find((r) => r.scenario === 'example-partition');
    if (small === undefined) throw new Error('no example-partition run in the corpus');
    const a = encodeHistory(corpusHistory(small));
    const b = encodeHistory(corpusHistory(small));
    expect(a.equals(b)).toBe(true);
    const text = gunzipSync(a).toString('utf8');
    expect(JSON.parse(text)).toMatchObject({ schema: 'replisim/history@1' });
  });
});

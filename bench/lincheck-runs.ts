/**
 * Linearizability checking time on the corpus of histories from replisim's own runs
 * (bench/run-corpus.ts): CPU ms of this process for checking every file (reading excluded),
 * min / median / max of repeats after warm-ups, split into the linearizable files and the others.
 * No Porcupine figure is printed for this corpus: none has been measured (see its README).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readCorpusFile, readManifest, RUN_CORPUS } from './run-corpus.js';
import { spread, timed } from './stats.js';
import { checkHistory, verdictName } from '../properties/linearizability/index.js';
import type { Operation } from '../properties/models/types.js';
import { kvModel } from '../properties/models/kv.js';

const WARM_UPS = 2;
const REPEATS = 7;

export function benchLincheckRuns(repoRoot: string): object {
  const dir = path.join(repoRoot, RUN_CORPUS);
  if (!existsSync(path.join(dir, 'MANIFEST.tsv'))) return { skipped: `no run corpus at ${dir}` };
  const rows = readManifest(dir);
  const read = timed(() => rows.map((r) => readCorpusFile(dir, r.file)));
  const files = read.value;
  const linearizable = rows.map((r) => r.verdict === 'linearizable');
  const pass = (): { all: number; linearizable: number; other: number; verdicts: string[] } => {
    let lin = 0;
    let other = 0;
    const verdicts: string[] = [];
    files.forEach((ops: Operation[], i) => {
      const { value, sample } = timed(() => checkHistory(ops, kvModel));
      verdicts.push(verdictName(value.verdict));
      if (linearizable[i] === true) lin += sample.cpuMs;
      else other += sample.cpuMs;
    });
    return { all: lin + other, linearizable: lin, other, verdicts };
  };
  const first = pass();
  for (let i = 1; i < WARM_UPS; i++) pass();
  const runs = Array.from({ length: REPEATS }, pass);
  const last = runs[runs.length - 1] as ReturnType<typeof pass>;
  return {
    corpus: RUN_CORPUS,
    files: rows.length,
    ops: rows.reduce((sum, r) => sum + r.ops, 0),
    method: `checking only (kv model, per key), CPU ms of this process for all files, ` +
      `min / median / max of ${REPEATS} passes after ${WARM_UPS} warm-up passes; ` +
      'firstPassCpuMs is the first (cold) pass, as one `replisim run` pays it',
    readCpuMs: Math.round(read.sample.cpuMs * 100) / 100,
    firstPassCpuMs: Math.round(first.all * 100) / 100,
    cpuMs: spread(runs.map((r) => r.all)),
    linearizableCpuMs: spread(runs.map((r) => r.linearizable)),
    notLinearizableCpuMs: spread(runs.map((r) => r.other)),
    mismatches: rows.filter((r, i) => last.verdicts[i] !== r.verdict).map((r) => r.file),
    porcupineReference: null,
    porcupineNote: 'not measured: Porcupine needs Go (absent where this corpus was made) and a ' +
      'kv model with CAS for these files; the 1.5x target cannot be judged until a figure is ' +
      'measured once and stored with its machine',
  };
}

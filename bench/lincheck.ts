import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { porcupineDirFrom } from './corpus.js';
import { spread, timed } from './stats.js';
import { parseHistory } from '../properties/formats/index.js';
import type { ParsedHistory } from '../properties/formats/index.js';
import { checkHistory, verdictName } from '../properties/linearizability/index.js';
import { getModel } from '../properties/models/index.js';
import type { AnyModel, Operation } from '../properties/models/index.js';

/**
 * Porcupine's checking-only timings: a stored figure, measured once on another machine (the
 * histories README), not by this bench. Printed with that machine, never as if measured here.
 */
export const PORCUPINE_REFERENCE = {
  stored: true,
  measuredBy: 'Porcupine (Go 1.19) at commit 55508eb, median of 5 checks after a warm-up, ' +
    'wall ms, parsing excluded',
  machine: '2-vCPU machine of the CI size, AMD EPYC (Zen 3 class)',
  source: 'test/properties/linearizability/porcupine/README.md, ' +
    '"Reference timings: Porcupine on these files"',
  oneThreadMs: { kv: 226, etcd: 532, all: 758 },
  twoThreadsMs: { kv: 173, etcd: 495, all: 668 },
} as const;
const REPETITIONS = 5;
const UNPARTITIONED_REPETITIONS = 3;
const TWO_WORKER_REPETITIONS = 9;
const WARM_UP_ROUNDS = 3;
const ALONE_REPETITIONS = 5;
/** Budgets for the unpartitioned kv checks (Porcupine: c10 ≈ 2.1–2.4 s, c50 > 120 s). */
const UNPARTITIONED_BUDGET_MS: Readonly<Record<string, number>> = {
  c01: 10_000,
  c10: 10_000,
  c50: 2_000,
};
const WORKER_ROLE = 'replisim-lincheck-bench-worker';

interface BenchFile {
  readonly file: string;
  readonly model: string;
  readonly expected: string | undefined;
}

interface Loaded extends BenchFile {
  readonly parsed: ParsedHistory;
  readonly checker: AnyModel;
}

/** Walks up from this module to the directory whose package.json is named "replisim". */
export function findRepoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (json.name === 'replisim') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the replisim repository root');
    dir = parent;
  }
}

/** The Porcupine corpus directory (`PORCUPINE_CORPUS` from the repository root). */
export function porcupineDir(repoRoot: string = findRepoRoot()): string {
  return porcupineDirFrom(repoRoot);
}

/** Files of the corpus with model and expected verdict (from EXPECTED.tsv when present). */
function corpusFiles(dir: string): BenchFile[] {
  const tsv = path.join(dir, 'EXPECTED.tsv');
  if (existsSync(tsv)) {
    return readFileSync(tsv, 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [file = '', model = '', expected] = line.split('\t');
        return { file, model, expected };
      });
  }
  const list = (sub: string, model: string): BenchFile[] =>
    readdirSync(path.join(dir, sub))
      .sort()
      .map((name) => ({ file: `${sub}/${name}`, model, expected: undefined }));
  return [...list('kv', 'kv'), ...list('jepsen', 'etcd-cas-register')];
}

function load(dir: string, files: readonly BenchFile[]): Loaded[] {
  return files.map((f) => {
    const checker = getModel(f.model);
    if (checker === undefined) throw new Error(`unknown model ${f.model} for ${f.file}`);
    const parsed = parseHistory(readFileSync(path.join(dir, f.file), 'utf8'));
    return { ...f, parsed, checker };
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Checks every file once; returns per-file CPU ms (`ms`), wall ms and verdicts. */
function checkAll(files: readonly Loaded[], partition: boolean, budget?: (f: Loaded) => number) {
  return files.map((f) => {
    const { value: result, sample } = timed(() => checkHistory(f.parsed.ops, f.checker, {
      partition,
      timeoutMs: budget?.(f) ?? 600_000,
    }));
    return { ms: sample.cpuMs, wallMs: sample.wallMs, verdict: verdictName(result.verdict),
      reason: result.reason };
  });
}

function measure(
  files: readonly Loaded[],
  partition: boolean,
  reps: number,
  budget?: (f: Loaded) => number,
) {
  checkAll(files, partition, budget); // warm-up
  const runs = Array.from({ length: reps }, () => checkAll(files, partition, budget));
  const perFile = files.map((f, i) => {
    const last = (runs[runs.length - 1] as ReturnType<typeof checkAll>)[i];
    return {
      file: f.file,
      model: f.model,
      ops: f.parsed.invocations,
      expected: f.expected,
      verdict: last?.verdict,
      ...(last?.reason === undefined ? {} : { reason: last.reason }),
      cpuMs: round(median(runs.map((run) => (run[i] as { ms: number }).ms))),
    };
  });
  const totals = runs.map((run) => run.reduce((sum, r) => sum + r.ms, 0));
  const wallTotals = runs.map((run) => run.reduce((sum, r) => sum + r.wallMs, 0));
  const sumOf = (pred: (f: Loaded) => boolean): number =>
    round(
      median(
        runs.map((run) => run.reduce((s, r, i) => s + (pred(files[i] as Loaded) ? r.ms : 0), 0)),
      ),
    );
  return {
    perFile,
    kvCpuMs: sumOf((f) => f.model === 'kv'),
    etcdCpuMs: sumOf((f) => f.model !== 'kv'),
    totalCpuMs: spread(totals),
    totalWallMs: spread(wallTotals),
    mismatches: perFile
      .filter((p) => p.expected !== undefined && p.verdict !== p.expected)
      .map((p) => p.file),
  };
}

/**
 * A unit of work for the parallel check: a whole file, or one partition of a file checked
 * without further partitioning (for files whose partitions must all be searched anyway).
 */
export interface WorkUnit {
  /** Index of the file in the corpus order. */
  readonly file: number;
  readonly model: string;
  readonly ops: readonly Operation[];
  /** Partition the unit's ops (whole-file units) or not (one partition of a file). */
  readonly partition: boolean;
}

/**
 * Splits the files into units. A file whose single-threaded verdict was 'ok' needed every one of
 * its partitions searched to completion, so its partitions become separate units; any other file
 * (illegal: the check stops at the first illegal partition) stays whole, so the parallel check
 * does the same searches as the single-threaded one.
 */
export function planUnits(
  files: readonly { readonly model: string; readonly ops: readonly Operation[] }[],
  verdicts: readonly string[],
): WorkUnit[] {
  return files.flatMap((f, file) => {
    const model = getModel(f.model);
    if (model === undefined) throw new Error(`unknown model ${f.model}`);
    const whole: WorkUnit[] = [{ file, model: f.model, ops: f.ops, partition: true }];
    if (verdicts[file] !== 'linearizable' || model.partition === undefined) return whole;
    const isNoop = model.isNoop;
    const kept = isNoop === undefined ? f.ops : f.ops.filter((op) => !isNoop(op.input, op.output));
    const groups = model.partition(kept);
    if (groups.length < 2) return whole;
    return groups.map((ops) => ({ file, model: f.model, ops, partition: false }));
  });
}

/** Splits units into `n` bins of about equal cost (longest first, deterministic). */
export function balance<T>(units: readonly T[], cost: readonly number[], n = 2): T[][] {
  const order = units
    .map((_, i) => i)
    .sort((a, b) => (cost[b] as number) - (cost[a] as number) || a - b);
  const bins: T[][] = Array.from({ length: n }, () => []);
  const loads = new Array<number>(n).fill(0);
  for (const i of order) {
    let bin = 0;
    for (let b = 1; b < n; b++) if ((loads[b] as number) < (loads[bin] as number)) bin = b;
    (bins[bin] as T[]).push(units[i] as T);
    loads[bin] = (loads[bin] as number) + (cost[i] as number);
  }
  return bins;
}

/** Checks units one after another; returns the verdict name of each. */
export function checkUnits(units: readonly WorkUnit[]): string[] {
  return units.map((u) => {
    const model = getModel(u.model) as AnyModel;
    const result = checkHistory(u.ops, model, { partition: u.partition, timeoutMs: 600_000 });
    return verdictName(result.verdict);
  });
}

/** Per-file verdicts from unit verdicts: illegal if a unit is, else unknown if one is, else ok. */
export function mergeVerdicts(
  fileCount: number,
  units: readonly WorkUnit[],
  verdicts: readonly string[],
): string[] {
  const rank = (v: string): number => (v === 'not-linearizable' ? 2 : v === 'unknown' ? 1 : 0);
  const merged = new Array<string>(fileCount).fill('linearizable');
  units.forEach((u, i) => {
    const v = verdicts[i] as string;
    if (rank(v) > rank(merged[u.file] as string)) merged[u.file] = v;
  });
  return merged;
}

/** Cost of each unit: median of 3 single-threaded checks (after the corpus run warmed up). */
function unitCosts(units: readonly WorkUnit[]): number[] {
  return units.map((u) => {
    const runs = [0, 1, 2].map(() => {
      const started = performance.now();
      checkUnits([u]);
      return performance.now() - started;
    });
    return median(runs);
  });
}

interface WorkerAnswer {
  readonly ms: number;
  readonly verdicts: string[];
}

/** Asks a worker to check its units once. */
function ask(w: Worker): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: WorkerAnswer): void => {
      w.off('error', onError);
      resolve(answer);
    };
    const onError = (error: Error): void => {
      w.off('message', onMessage);
      reject(error);
    };
    w.once('message', onMessage);
    w.once('error', onError);
    w.postMessage('check');
  });
}

/**
 * Two worker threads, each checking a bin of units balanced by measured cost. The units' parsed
 * operations go to the workers once (with `workerData`); the workers are warmed up with
 * `WARM_UP_ROUNDS` untimed rounds; then wall time per round (both workers), median and spread.
 * Last, each worker alone (the other idle), which is what each takes with a core to itself: on a
 * machine whose other core is busy, the slower of the two is the 2-thread time to expect on an
 * idle one.
 */
async function measureTwoWorkers(
  repoRoot: string,
  files: readonly Loaded[],
  verdicts: readonly string[],
) {
  const script = path.join(repoRoot, 'dist', 'bench', 'lincheck.js');
  if (!existsSync(script)) return { skipped: `no compiled worker at ${script} (run tsc first)` };
  const units = planUnits(
    files.map((f) => ({ model: f.model, ops: f.parsed.ops })),
    verdicts,
  );
  const costs = unitCosts(units);
  const bins = balance(units, costs);
  const binCost = (bin: readonly WorkUnit[]): number =>
    bin.reduce((sum, u) => sum + (costs[units.indexOf(u)] as number), 0);
  // A larger young generation than the worker default: the kv search allocates many states.
  const workers = bins.map(
    (bin) =>
      new Worker(script, {
        workerData: { role: WORKER_ROLE, units: bin },
        resourceLimits: { maxYoungGenerationSizeMb: 32 },
      }),
  );
  try {
    const rounds: number[] = [];
    const perWorker: number[][] = bins.map(() => []);
    let merged: string[] = [];
    for (let r = 0; r < WARM_UP_ROUNDS + TWO_WORKER_REPETITIONS; r++) {
      const started = performance.now();
      const answers = await Promise.all(workers.map((w) => ask(w)));
      const ms = performance.now() - started;
      merged = mergeVerdicts(
        files.length,
        bins.flat(),
        answers.flatMap((a) => a.verdicts),
      );
      if (r < WARM_UP_ROUNDS) continue;
      rounds.push(ms);
      answers.forEach((a, i) => perWorker[i]?.push(a.ms));
    }
    const alone: number[][] = bins.map(() => []);
    for (let r = 0; r < ALONE_REPETITIONS; r++) {
      for (const [i, w] of workers.entries()) alone[i]?.push((await ask(w)).ms);
    }
    const sorted = [...rounds].sort((a, b) => a - b);
    const aloneMs = alone.map((ms) => round(median(ms)));
    return {
      method:
        `units: partitions of linearizable kv files, other files whole; 2 bins by measured ` +
        `cost; wall time per round, median of ${TWO_WORKER_REPETITIONS} after ` +
        `${WARM_UP_ROUNDS} warm-ups; then each worker alone, median of ${ALONE_REPETITIONS}`,
      totalMs: round(median(rounds)),
      minMs: round(sorted[0] as number),
      maxMs: round(sorted[sorted.length - 1] as number),
      units: bins.map((b) => b.length),
      estimatedMs: bins.map((b) => round(binCost(b))),
      workerMs: perWorker.map((ms) => round(median(ms))),
      aloneMs,
      slowerAloneMs: Math.max(...aloneMs),
      sameVerdictsAsOneThread: merged.every((v, i) => v === verdicts[i]),
      mismatches: files
        .filter((f, i) => f.expected !== undefined && merged[i] !== f.expected)
        .map((f) => f.file),
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runWorker(): void {
  const units = (workerData as { units: WorkUnit[] }).units;
  parentPort?.on('message', () => {
    const started = performance.now();
    const verdicts = checkUnits(units);
    const answer: WorkerAnswer = { ms: performance.now() - started, verdicts };
    parentPort?.postMessage(answer);
  });
}

/**
 * Checking-only timings over the Porcupine corpus (parsing excluded, median of 5 after a
 * warm-up): kv partitioned by key + etcd, then kv without partitioning (with budgets), then two
 * worker threads sharing partition-level units balanced by measured cost (needs the compiled
 * `dist/`).
 */
export async function benchLincheck(): Promise<object> {
  const repoRoot = findRepoRoot();
  const dir = porcupineDir(repoRoot);
  if (!existsSync(dir)) {
    return { skipped: `no Porcupine corpus at ${dir} (REPLISIM_PORCUPINE_DIR overrides it)`,
      porcupineReference: PORCUPINE_REFERENCE };
  }
  const files = corpusFiles(dir);
  const loaded = load(dir, files);
  const partitioned = measure(loaded, true, REPETITIONS);
  const kvFiles = loaded.filter((f) => f.model === 'kv');
  const budget = (f: Loaded): number =>
    UNPARTITIONED_BUDGET_MS[path.basename(f.file).slice(0, 3)] ?? 10_000;
  const unpartitioned = measure(kvFiles, false, UNPARTITIONED_REPETITIONS, budget);
  const verdicts = partitioned.perFile.map((p) => p.verdict as string);
  const twoWorkers = await measureTwoWorkers(repoRoot, loaded, verdicts);
  return {
    benchmark: 'lincheck',
    corpus: path.relative(repoRoot, dir),
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
    },
    method: `checking only; per-file and kv/etcd/total figures in CPU ms of this process, ` +
      `median of ${REPETITIONS} after a warm-up (totalCpuMs / totalWallMs: min, median, max); ` +
      `twoWorkers in wall ms`,
    porcupineReference: PORCUPINE_REFERENCE,
    partitioned,
    unpartitioned: {
      ...unpartitioned,
      repetitions: UNPARTITIONED_REPETITIONS,
      budgetsMs: UNPARTITIONED_BUDGET_MS,
    },
    twoWorkers,
  };
}

if (!isMainThread && (workerData as { role?: unknown } | null)?.role === WORKER_ROLE) {
  runWorker();
} else if (
  isMainThread &&
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const result = await benchLincheck();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

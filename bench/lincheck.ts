import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseHistory } from '../properties/formats/index.js';
import type { ParsedHistory } from '../properties/formats/index.js';
import { checkHistory, verdictName } from '../properties/linearizability/index.js';
import { getModel } from '../properties/models/index.js';
import type { AnyModel } from '../properties/models/index.js';

/** Porcupine's checking-only timings on this machine class (histories README). */
const PORCUPINE_MS = {
  oneThread: { kv: 226, etcd: 532, all: 758 },
  twoThreads: { kv: 173, etcd: 495, all: 668 },
};
const REPETITIONS = 5;
const UNPARTITIONED_REPETITIONS = 3;
/** Budgets for the unpartitioned kv checks (Porcupine: c10 ≈ 2.1–2.4 s, c50 > 120 s). */
const UNPARTITIONED_BUDGET_MS: Readonly<Record<string, number>> = { c01: 10_000, c10: 10_000, c50: 2_000 };
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

/** The Porcupine corpus directory (`../shared/histories/porcupine` from the repository root). */
export function porcupineDir(repoRoot: string = findRepoRoot()): string {
  return path.join(path.resolve(repoRoot, '..', 'shared', 'histories'), 'porcupine');
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

/** Checks every file once; returns per-file ms and verdicts. */
function checkAll(files: readonly Loaded[], partition: boolean, budget?: (f: Loaded) => number) {
  return files.map((f) => {
    const started = performance.now();
    const result = checkHistory(f.parsed.ops, f.checker, {
      partition,
      timeoutMs: budget?.(f) ?? 600_000,
    });
    return { ms: performance.now() - started, verdict: verdictName(result.verdict), reason: result.reason };
  });
}

function measure(files: readonly Loaded[], partition: boolean, reps: number, budget?: (f: Loaded) => number) {
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
      ms: round(median(runs.map((run) => (run[i] as { ms: number }).ms))),
    };
  });
  const totals = runs.map((run) => run.reduce((sum, r) => sum + r.ms, 0));
  const sumOf = (pred: (f: Loaded) => boolean): number =>
    round(median(runs.map((run) => run.reduce((s, r, i) => s + (pred(files[i] as Loaded) ? r.ms : 0), 0))));
  return {
    perFile,
    kvMs: sumOf((f) => f.model === 'kv'),
    etcdMs: sumOf((f) => f.model !== 'kv'),
    totalMs: round(median(totals)),
    mismatches: perFile.filter((p) => p.expected !== undefined && p.verdict !== p.expected).map((p) => p.file),
  };
}

/** Splits files into two bins of about equal cost (longest first, deterministic). */
function balance(files: readonly BenchFile[], cost: readonly number[]): BenchFile[][] {
  const order = files.map((_, i) => i).sort((a, b) => (cost[b] as number) - (cost[a] as number) || a - b);
  const bins: BenchFile[][] = [[], []];
  const load2 = [0, 0];
  for (const i of order) {
    const bin = (load2[0] as number) <= (load2[1] as number) ? 0 : 1;
    (bins[bin] as BenchFile[]).push(files[i] as BenchFile);
    load2[bin] = (load2[bin] as number) + (cost[i] as number);
  }
  return bins;
}

/** Two worker threads, each checking half the files; wall time per round, median of 5. */
async function measureTwoWorkers(repoRoot: string, dir: string, bins: BenchFile[][]) {
  const script = path.join(repoRoot, 'dist', 'bench', 'lincheck.js');
  if (!existsSync(script)) return { skipped: `no compiled worker at ${script} (run tsc first)` };
  // A larger young generation than the worker default: the kv search allocates many states.
  const workers = bins.map(
    (files) =>
      new Worker(script, {
        workerData: { role: WORKER_ROLE, dir, files },
        resourceLimits: { maxYoungGenerationSizeMb: 32 },
      }),
  );
  const ask = (w: Worker, msg: string): Promise<{ ms: number; bad: string[] }> =>
    new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.postMessage(msg);
    });
  try {
    await Promise.all(workers.map((w) => ask(w, 'load')));
    const rounds: number[] = [];
    const perWorker: number[][] = bins.map(() => []);
    let mismatches: string[] = [];
    for (let r = 0; r <= REPETITIONS; r++) {
      const started = performance.now();
      const answers = await Promise.all(workers.map((w) => ask(w, 'check')));
      if (r === 0) continue;
      rounds.push(performance.now() - started);
      answers.forEach((a, i) => perWorker[i]?.push(a.ms));
      mismatches = answers.flatMap((a) => a.bad);
    }
    return {
      totalMs: round(median(rounds)),
      files: bins.map((b) => b.length),
      workerMs: perWorker.map((ms) => round(median(ms))),
      mismatches,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runWorker(): void {
  const data = workerData as { dir: string; files: BenchFile[] };
  let loaded: Loaded[] = [];
  parentPort?.on('message', (msg: string) => {
    if (msg === 'load') {
      loaded = load(data.dir, data.files);
      parentPort?.postMessage({ ms: 0, bad: [] });
      return;
    }
    const started = performance.now();
    const results = checkAll(loaded, true);
    const ms = performance.now() - started;
    const bad = loaded
      .filter((f, i) => f.expected !== undefined && results[i]?.verdict !== f.expected)
      .map((f) => f.file);
    parentPort?.postMessage({ ms, bad });
  });
}

/**
 * Checking-only timings over the Porcupine corpus (parsing excluded, median of 5 after a
 * warm-up): kv partitioned by key + etcd, then kv without partitioning (with budgets), then two
 * worker threads (needs the compiled `dist/`).
 */
export async function benchLincheck(): Promise<object> {
  const repoRoot = findRepoRoot();
  const dir = porcupineDir(repoRoot);
  const files = corpusFiles(dir);
  const loaded = load(dir, files);
  const partitioned = measure(loaded, true, REPETITIONS);
  const kvFiles = loaded.filter((f) => f.model === 'kv');
  const budget = (f: Loaded): number =>
    UNPARTITIONED_BUDGET_MS[path.basename(f.file).slice(0, 3)] ?? 10_000;
  const unpartitioned = measure(kvFiles, false, UNPARTITIONED_REPETITIONS, budget);
  const costs = partitioned.perFile.map((p) => p.ms);
  const twoWorkers = await measureTwoWorkers(repoRoot, dir, balance(files, costs));
  return {
    benchmark: 'lincheck',
    corpus: path.relative(repoRoot, dir),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    method: `checking only, median of ${REPETITIONS} after a warm-up`,
    porcupineMs: PORCUPINE_MS,
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
} else if (isMainThread && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchLincheck();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

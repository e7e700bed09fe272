/**
 * Issue 12 item 3: what a second `explore` worker costs in CPU for the same trials. Warm pools
 * of 1 and 2 threads run the same OPB trials (seeds and scenarios chosen as `replisim explore`
 * chooses them), measured in turn so both see the same load; start-up is timed apart. Beside
 * it, the machine's own floors: the same bare work on 1 thread and split over 2 (integer
 * mixing; small short-lived allocations; random reads and writes over memory far bigger than
 * any cache; a churned ~5 MB heap like a run's). A harness overhead is the trials' ratio beyond
 * the floors'. On Linux each arm's CPU is also split by thread (bench/thread-cpu.ts): the
 * pool's JavaScript threads, the main thread, and V8's helper threads (GC, compiler).
 */
import { Worker } from 'node:worker_threads';
import { builtinScenarioNames, loadScenario } from '../scenarios/load.js';
import type { TrialRequest } from '../scenarios/explore.js';
import type { ExploreThreadJob, FloorKind } from './explore-thread.js';
import { spread, type Spread } from './stats.js';
import { type CpuSplit, ownThreadId, splitCpu, threadsCpuNs } from './thread-cpu.js';

interface Pool {
  readonly workers: readonly Worker[];
  /** The workers' thread ids, for the CPU split (empty without /proc). */
  readonly threadIds: readonly number[];
  readonly startupCpuMs: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function ask(worker: Worker, job: ExploreThreadJob): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (value: number) => { worker.off('error', onError); resolve(value); };
    const onError = (error: unknown) => { worker.off('message', onMessage); reject(error); };
    worker.once('message', onMessage).once('error', onError);
    worker.postMessage(job);
  });
}

/** Jobs handed to whichever thread is free, as cli/worker-pool.ts does. */
async function runAll(pool: Pool, jobs: readonly ExploreThreadJob[]): Promise<void> {
  let next = 0;
  await Promise.all(pool.workers.map(async (w) => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      // A trial that found a violation would shrink in one arm only: not the same work.
      if (await ask(w, job) < 0 && 'trial' in job) {
        throw new Error(`bench exploreWorkers: trial seed ${job.trial.seed} found a violation`);
      }
    }
  }));
}

async function startPool(n: number, warm: readonly ExploreThreadJob[],
  youngGenerationMb: number | undefined): Promise<Pool> {
  const cpu = process.cpuUsage();
  const workers = Array.from({ length: n }, () => new Worker(
    new URL('./explore-thread.js', import.meta.url),
    youngGenerationMb === undefined ? {}
      : { resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } }));
  // Each thread warms up on its own copy of the warm-up jobs (its own JIT and heap).
  await Promise.all(workers.map(async (w) => { for (const j of warm) await ask(w, j); }));
  const startupCpuMs = Math.round(cpuMs(cpu));
  const ids = await Promise.all(workers.map((w) => ask(w, { threadId: true })));
  return { workers, threadIds: ids.filter((id) => id >= 0), startupCpuMs };
}

function trials(protocol: string, firstSeed: number, count: number): ExploreThreadJob[] {
  const scenarios = builtinScenarioNames().map((name) => loadScenario(name))
    .filter((s) => s.protocols.includes(protocol));
  return Array.from({ length: count }, (_, t) => {
    const seed = firstSeed + t;
    const trial: TrialRequest = { scenario: scenarios[seed % scenarios.length]!, protocol,
      mutant: null, seed, shrinkRuns: 0 };
    return { trial };
  });
}

/** Medians, field by field, of the repeats' CPU splits. */
function medianSplit(splits: readonly CpuSplit[]): CpuSplit | null {
  if (splits.length === 0) return null;
  const m = (f: (s: CpuSplit) => number): number => spread(splits.map(f)).median;
  return { totalMs: m((s) => s.totalMs), poolMs: m((s) => s.poolMs), mainMs: m((s) => s.mainMs),
    idleWorkersMs: m((s) => s.idleWorkersMs), helpersMs: m((s) => s.helpersMs) };
}

export interface ArmFigures {
  readonly oneThreadCpuMs: Spread;
  readonly twoThreadsCpuMs: Spread;
  /** Median CPU of two threads over median CPU of one, for the same work. */
  readonly cpuRatio: number;
  /** Median CPU over wall time of the two-thread arm: near 2 when both threads really ran at
   *  once (a loaded machine that ran them in turn hides contention). */
  readonly twoThreadsParallelism: number;
  /** Where each arm's CPU went, by thread (medians; null without /proc). */
  readonly oneThreadSplit: CpuSplit | null;
  readonly twoThreadsSplit: CpuSplit | null;
}

interface ArmRun { cpuMs: number; wallMs: number; split: CpuSplit | null }

async function measure(pool: Pool, idle: Pool,
  jobs: readonly ExploreThreadJob[]): Promise<ArmRun> {
  const main = ownThreadId();
  const before = threadsCpuNs();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await runAll(pool, jobs);
  const wallMs = performance.now() - wall;
  const cpuSpent = cpuMs(cpu);
  const after = threadsCpuNs();
  const split = before === null || after === null || main === null ? null
    : splitCpu(before, after, pool.threadIds, idle.threadIds, main);
  return { cpuMs: cpuSpent, wallMs, split };
}

async function compare(one: Pool, two: Pool, jobs: readonly ExploreThreadJob[],
  repeats: number): Promise<ArmFigures> {
  const a: ArmRun[] = [];
  const b: ArmRun[] = [];
  for (let r = 0; r < repeats; r++) {
    // Interleaved, so a change of the machine's load falls on both arms.
    a.push(await measure(one, two, jobs));
    b.push(await measure(two, one, jobs));
  }
  const oneThreadCpuMs = spread(a.map((x) => x.cpuMs));
  const twoThreadsCpuMs = spread(b.map((x) => x.cpuMs));
  const splits = (runs: ArmRun[]): CpuSplit[] => runs.flatMap((x) => x.split ?? []);
  return { oneThreadCpuMs, twoThreadsCpuMs,
    cpuRatio: Math.round((twoThreadsCpuMs.median / oneThreadCpuMs.median) * 100) / 100,
    twoThreadsParallelism: spread(b.map((x) => x.cpuMs / x.wallMs)).median,
    oneThreadSplit: medianSplit(splits(a)), twoThreadsSplit: medianSplit(splits(b)) };
}

export interface ExploreWorkersOptions {
  readonly repeats: number;
  /** Explore trials per measured batch. */
  readonly trials: number;
  /** Trials each thread runs before anything is measured. */
  readonly warmUps: number;
  /** Units of bare work per floor batch. */
  readonly floorUnits: number;
  /** Each worker's young generation (V8 default when absent): a lever tried on GC cost. */
  readonly youngGenerationMb?: number;
}

export async function benchExploreWorkers(o: ExploreWorkersOptions =
{ repeats: 5, trials: 16, warmUps: 16, floorUnits: 8 }) {
  const { repeats, trials: count } = o;
  const jobs = trials('opb', 900_000, count);
  // Warm-up seeds pick the same scenarios as the measured ones (900_000 + 32 * k, 32 OPB
  // scenarios): each thread's JIT must have seen that code before it is measured. Warming on
  // other scenarios (as before) left each of the two threads compiling during the measurement.
  const scenarioCount = builtinScenarioNames().map((name) => loadScenario(name))
    .filter((sc) => sc.protocols.includes('opb')).length;
  const warm = trials('opb', 900_000 + scenarioCount * 1000, o.warmUps);
  const one = await startPool(1, warm, o.youngGenerationMb);
  const two = await startPool(2, warm, o.youngGenerationMb);
  try {
    const explore = await compare(one, two, jobs, repeats);
    const floor = async (kind: FloorKind) => compare(one, two,
      Array.from({ length: o.floorUnits }, () => ({ floor: kind, units: 1 })), repeats);
    const alu = await floor('alu');
    const alloc = await floor('alloc');
    const memory = await floor('memory');
    const heap = await floor('heap');
    const over = (f: ArmFigures): number => Math.round((explore.cpuRatio / f.cpuRatio) * 100) / 100;
    return {
      method: `${count} OPB explore trials (shrinking off), the same on warm pools of 1 and 2 ` +
        `worker threads, measured in turn; CPU ms of this process (all its threads); ` +
        `min / median / max of ${repeats}. Floors: the same bare work on the same pools ` +
        `(alu: integer mixing; alloc: short-lived small objects; memory: random reads and ` +
        `writes over 64 MiB per thread; heap: a churned ~5 MB live set of small records). ` +
        `Splits: CPU by thread (pool = the workers' JS threads, helpers = V8 GC/compiler). ` +
        `Each thread first runs ${o.warmUps} warm-up trials on the measured scenarios (other ` +
        `seeds): startupCpuMs is that warm-up, the JIT cost \`explore\` pays once per worker ` +
        `(threads share no compiled code); the arms measure warm threads only.`,
      target: 'two workers cost at most 1.05x the CPU of one (issue 12)',
      node: { version: process.version, execArgv: process.execArgv,
        youngGenerationMb: o.youngGenerationMb ?? null },
      trials: count,
      startupCpuMs: { oneThread: one.startupCpuMs, twoThreads: two.startupCpuMs },
      explore,
      floorAlu: alu,
      floorAlloc: alloc,
      floorMemory: memory,
      floorHeap: heap,
      harnessOverAllocFloor: over(alloc),
      harnessOverHeapFloor: over(heap),
    };
  } finally {
    await Promise.all([...one.workers, ...two.workers].map((w) => w.terminate()));
  }
}

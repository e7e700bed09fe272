/**
 * Issue 12 item 3: what a second `explore` worker costs in CPU for the same trials. Warm pools
 * of 1 and 2 threads run the same OPB trials (seeds and scenarios chosen as `replisim explore`
 * chooses them), measured in turn so both see the same load; start-up is timed apart. Beside
 * it, the machine's own floor: the same bare work (integer mixing, then small allocations) on
 * 1 thread and split over 2. A harness overhead is the trials' ratio beyond the floor's.
 */
import { Worker } from 'node:worker_threads';
import { builtinScenarioNames, loadScenario } from '../scenarios/load.js';
import type { TrialRequest } from '../scenarios/explore.js';
import type { ExploreThreadJob } from './explore-thread.js';
import { spread, type Spread } from './stats.js';

interface Pool {
  readonly workers: readonly Worker[];
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

async function startPool(n: number, warm: readonly ExploreThreadJob[]): Promise<Pool> {
  const cpu = process.cpuUsage();
  const workers = Array.from({ length: n },
    () => new Worker(new URL('./explore-thread.js', import.meta.url)));
  // Each thread warms up on its own copy of the warm-up jobs (its own JIT and heap).
  await Promise.all(workers.map(async (w) => { for (const j of warm) await ask(w, j); }));
  return { workers, startupCpuMs: Math.round(cpuMs(cpu)) };
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

export interface ArmFigures {
  readonly oneThreadCpuMs: Spread;
  readonly twoThreadsCpuMs: Spread;
  /** Median CPU of two threads over median CPU of one, for the same work. */
  readonly cpuRatio: number;
}

async function compare(one: Pool, two: Pool, jobs: readonly ExploreThreadJob[],
  repeats: number): Promise<ArmFigures> {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < repeats; r++) {
    // Interleaved, so a change of the machine's load falls on both arms.
    let cpu = process.cpuUsage();
    await runAll(one, jobs);
    a.push(cpuMs(cpu));
    cpu = process.cpuUsage();
    await runAll(two, jobs);
    b.push(cpuMs(cpu));
  }
  const oneThreadCpuMs = spread(a);
  const twoThreadsCpuMs = spread(b);
  return { oneThreadCpuMs, twoThreadsCpuMs,
    cpuRatio: Math.round((twoThreadsCpuMs.median / oneThreadCpuMs.median) * 100) / 100 };
}

export interface ExploreWorkersOptions {
  readonly repeats: number;
  /** Explore trials per measured batch. */
  readonly trials: number;
  /** Trials each thread runs before anything is measured. */
  readonly warmUps: number;
  /** Units of bare work per floor batch. */
  readonly floorUnits: number;
}

export async function benchExploreWorkers(o: ExploreWorkersOptions =
{ repeats: 5, trials: 16, warmUps: 3, floorUnits: 8 }) {
  const { repeats, trials: count } = o;
  const jobs = trials('opb', 900_000, count);
  const warm = trials('opb', 910_000, o.warmUps);
  const one = await startPool(1, warm);
  const two = await startPool(2, warm);
  try {
    const explore = await compare(one, two, jobs, repeats);
    const floor = async (kind: 'alu' | 'alloc') => compare(one, two,
      Array.from({ length: o.floorUnits }, () => ({ floor: kind, units: 1 })), repeats);
    const alu = await floor('alu');
    const alloc = await floor('alloc');
    return {
      method: `${count} OPB explore trials (shrinking off), the same on warm pools of 1 and 2 ` +
        `worker threads, measured in turn; CPU ms of this process (all its threads); ` +
        `min / median / max of ${repeats}. Floors: the same bare work on the same pools.`,
      target: 'two workers cost at most 1.05x the CPU of one (issue 12)',
      trials: count,
      startupCpuMs: { oneThread: one.startupCpuMs, twoThreads: two.startupCpuMs },
      explore,
      floorAlu: alu,
      floorAlloc: alloc,
      harnessOverAllocFloor: Math.round((explore.cpuRatio / alloc.cpuRatio) * 100) / 100,
    };
  } finally {
    await Promise.all([...one.workers, ...two.workers].map((w) => w.terminate()));
  }
}

/**
 * `replisim check` throughput on its reference configurations (the pinned ones of
 * test/simulator/checker): the example protocol at the CLI defaults and SMART's pinned
 * configuration, both with the linearizability history check on, as users run them. Figures:
 * transitions (`states`) per CPU second of this process (min / median / max of repeats after
 * warm-ups), bytes of heap and typed arrays per unique state at the search's peak, and BFS over
 * 1 and 2 worker threads (CPU time of all threads, and wall time beside it).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { primaryCopy } from '../protocol/example/primary-copy.js';
import { smart } from '../protocol/smart/index.js';
import type { AnyProtocol } from '../protocol/types.js';
import { linearizabilityHistoryCheck } from '../properties/linearizable.js';
import {
  checker, parallelCheck, soundNetwork, type CheckerOptions, type CheckResult, type ExpanderLink,
  type ExpanderReply, type ExpanderRequest,
} from '../simulator/checker/index.js';
import type { CheckThreadData } from './check-thread.js';
import { repeat, spread, type Sample, type Timing } from './stats.js';

export interface CheckReference {
  readonly name: string;
  readonly protocol: AnyProtocol;
  readonly options: CheckerOptions;
  readonly depth: number;
  /** Timed repeats: more for a small configuration, so that its median is not one GC pause. */
  readonly repeats: number;
}

export const checkReferences: readonly CheckReference[] = [
  { name: 'example', protocol: primaryCopy, depth: 50, repeats: 7, options: {
    replicas: 2, clients: 2, ops: 1, crashes: 1, history: linearizabilityHistoryCheck } },
  { name: 'smart', protocol: smart, depth: 12, repeats: 21, options: {
    network: soundNetwork(smart), replicas: 2, clients: 1, ops: 1, crashes: 1, timers: 2,
    history: linearizabilityHistoryCheck } },
];

function search(ref: CheckReference, order: 'bfs' | 'dfs'): CheckResult {
  const b = checker(ref.protocol, ref.options).maxDepth(ref.depth);
  return order === 'bfs' ? b.bfs() : b.dfs();
}

/** A full garbage collection, without needing `--expose-gc` on the command line. */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function heldBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Peak bytes held by a BFS above what was held before it (collected at every level, where the
 * frontier is largest), per unique state: the median of `repeats` searches, after one search
 * that warms the code up (compiled code and its feedback are heap too, and not per state).
 */
export function bytesPerUniqueState(ref: CheckReference, repeats = 3): number {
  const once = (): number => {
    collect();
    const base = heldBytes();
    let peak = 0;
    const r = checker(ref.protocol, ref.options).maxDepth(ref.depth).onProgress(() => {
      collect();
      peak = Math.max(peak, heldBytes() - base);
    }).bfs();
    return peak / r.unique;
  };
  once();
  return Math.round(spread(Array.from({ length: repeats }, once)).median);
}

/** Bytes of the visited set (at most half full) and the BFS tree's two lists for n states. */
export function keptBytes(n: number): number {
  const pow2 = (x: number, min: number) => {
    let c = min;
    while (c < x) c *= 2;
    return c;
  };
  const visited = 8 * pow2(2 * n, 4096); // Two 32-bit lanes per slot.
  const tree = 2 * 4 * pow2(n, 1024); // Parent id and action index, 32 bits each.
  return visited + tree;
}

export interface CheckFigures {
  readonly states: number;
  readonly unique: number;
  /** Transitions per CPU second (median run). */
  readonly statesPerCpuSecond: number;
  readonly statesPerWallSecond: number;
  readonly bfs: Timing;
  readonly dfsStatesPerCpuSecond: number;
  readonly dfs: Timing;
  /** Peak heap and typed arrays of a search (frontier levels included) per unique state. */
  readonly bytesPerUniqueState: number;
  /**
   * What a unique state keeps for the whole search: its fingerprint in the visited set and its
   * parent and action in the BFS tree (typed arrays, grown by doubling as the search does).
   */
  readonly keptBytesPerUniqueState: number;
}

export function benchCheck(ref: CheckReference, repeats = ref.repeats, warmUps = 3): CheckFigures {
  const { timing, last } = repeat(repeats, warmUps, () => search(ref, 'bfs'));
  const dfs = repeat(repeats, warmUps, () => search(ref, 'dfs'));
  const per = (n: number, ms: number) => Math.round((n * 1000) / ms);
  return {
    states: last.states, unique: last.unique,
    statesPerCpuSecond: per(last.states, timing.cpuMs.median),
    statesPerWallSecond: per(last.states, timing.wallMs.median),
    bfs: timing,
    dfsStatesPerCpuSecond: per(dfs.last.states, dfs.timing.cpuMs.median),
    dfs: dfs.timing,
    bytesPerUniqueState: bytesPerUniqueState(ref),
    keptBytesPerUniqueState: Math.round(keptBytes(last.unique) / last.unique),
  };
}

export interface WorkerFigures {
  readonly workers: number;
  readonly states: number;
  /** CPU ms to start the threads (each loads the modules), once for all repeats. */
  readonly startupCpuMs: number;
  /** CPU ms of every thread of this process, and wall ms, per search. */
  readonly cpuMs: ReturnType<typeof spread>;
  readonly wallMs: ReturnType<typeof spread>;
  readonly statesPerCpuSecond: number;
  readonly statesPerWallSecond: number;
}

/** `count` warm threads holding one search's frontier blocks (bench/check-thread.ts). */
class Threads {
  private constructor(
    private readonly workers: readonly Worker[], readonly links: readonly ExpanderLink[],
  ) {}

  static async start(ref: CheckReference, count: number): Promise<Threads> {
    const { history: _history, ...plain } = ref.options;
    const data: CheckThreadData = { protocol: ref.protocol.name, options: plain };
    const workers = Array.from({ length: count },
      () => new Worker(new URL('./check-thread.js', import.meta.url), { workerData: data }));
    return new Threads(workers, await Promise.all(workers.map(link)));
  }

  /** One BFS over the threads, as cli/check-workers.ts runs it, from freshly built models. */
  async search(ref: CheckReference): Promise<CheckResult> {
    await Promise.all(this.links.map((l) => l.call('reset' as unknown as ExpanderRequest)));
    const opts = checker(ref.protocol, ref.options).maxDepth(ref.depth).searchOptions();
    return parallelCheck(ref.protocol, ref.options, opts, this.links);
  }

  stop(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** One request at a time per thread, answered in order. */
function link(worker: Worker): Promise<ExpanderLink> {
  const waiting: ((r: ExpanderReply) => void)[] = [];
  return new Promise((ready, fail) => {
    worker.on('error', fail);
    worker.once('message', () => {
      worker.on('message', (reply: ExpanderReply) => waiting.shift()?.(reply));
      ready({ call: (request) => new Promise((resolve) => {
        waiting.push(resolve);
        worker.postMessage(request);
      }) });
    });
  });
}

function cpuSample(cpu: NodeJS.CpuUsage, wall: number): Sample {
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

/**
 * BFS over `workers` warm threads: CPU time of every thread of this process and wall time, per
 * search; starting the threads (loading the modules in each) is timed apart, once.
 */
export async function benchWorkers(
  ref: CheckReference, workers: number, repeats = ref.repeats, warmUps = 3,
): Promise<WorkerFigures> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const threads = await Threads.start(ref, workers);
  const startup = cpuSample(cpu, wall);
  try {
    const samples: Sample[] = [];
    let states = 0;
    for (let i = 0; i < warmUps + repeats; i++) {
      const c = process.cpuUsage();
      const w = performance.now();
      const r = await threads.search(ref);
      if (i >= warmUps) samples.push(cpuSample(c, w));
      states = r.states;
    }
    const cpuMs = spread(samples.map((s) => s.cpuMs));
    const wallMs = spread(samples.map((s) => s.wallMs));
    return {
      workers, states, startupCpuMs: Math.round(startup.cpuMs), cpuMs, wallMs,
      statesPerCpuSecond: Math.round((states * 1000) / cpuMs.median),
      statesPerWallSecond: Math.round((states * 1000) / wallMs.median),
    };
  } finally {
    await threads.stop();
  }
}

/** Every reference configuration, sequential BFS and DFS, then 1 and 2 workers. */
export async function benchChecker(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const ref of checkReferences) {
    const sequential = benchCheck(ref);
    const one = await benchWorkers(ref, 1);
    const two = await benchWorkers(ref, 2);
    out[ref.name] = {
      ...sequential, workers1: one, workers2: two,
      twoWorkersSpeedupWall: Math.round((one.wallMs.median / two.wallMs.median) * 100) / 100,
      twoWorkersCpuRatio: Math.round((two.cpuMs.median / one.cpuMs.median) * 100) / 100,
    };
  }
  return out;
}

if (process.argv[1] !== undefined
  && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const only = process.argv[2];
  if (only === 'workers') {
    const out: Record<string, unknown> = {};
    for (const ref of checkReferences) {
      out[ref.name] = [await benchWorkers(ref, 1), await benchWorkers(ref, 2)];
    }
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else if (only === 'seq') {
    const out: Record<string, unknown> = {};
    for (const ref of checkReferences) out[ref.name] = benchCheck(ref);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(await benchChecker(), null, 2)}\n`);
  }
}

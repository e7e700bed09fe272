/**
 * `replisim check` throughput on its reference configurations (the pinned ones of
 * test/simulator/checker): the example protocol at the CLI defaults and SMART's pinned
 * configuration, both with the linearizability history check on, as users run them. Figures:
 * transitions (`states`) per CPU second of this process (min / median / max of repeats after
 * warm-ups), bytes of heap and typed arrays per unique state at the search's peak, and BFS over
 * 1 and 2 worker threads (CPU time of all threads, wall time beside it, and the CPU time along
 * the critical path: the wall time on idle cores, see check-cpu.ts).
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
  type ExpanderRequest,
} from '../simulator/checker/index.js';
import { criticalPathMs, threadCpuMs } from './check-cpu.js';
import type { CheckThreadAnswer, CheckThreadData } from './check-thread.js';
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
  /**
   * Per search, the CPU ms along its critical path (bench/check-cpu.ts): what the wall time
   * would be on idle cores, less the wake-ups of threads by messages. Null off Linux.
   */
  readonly criticalPathMs: ReturnType<typeof spread> | null;
  /**
   * Transitions along the critical path (per level, the worker with the most transitions taken
   * plus steps replayed to rebuild states moved to it): a count, the same on a loaded machine.
   */
  readonly criticalPathTransitions: number;
  /** `states` over `criticalPathTransitions`: the speed-up the blocks' balance allows. */
  readonly balanceSpeedupBound: number;
}

/** Per thread, the CPU ms it ran for each request that all threads answer, in order. */
interface ThreadCpu {
  /** CPU ms at the last answer that ended a step (see `link`), or null when not measured. */
  mark: number | null;
  readonly steps: number[];
  /** Per expanded level: transitions taken, plus steps replayed to rebuild moved states. */
  readonly work: number[];
}

/** `count` warm threads holding one search's frontier blocks (bench/check-thread.ts). */
class Threads {
  private constructor(
    private readonly workers: readonly Worker[], readonly links: readonly ExpanderLink[],
    private readonly cpu: readonly ThreadCpu[],
  ) {}

  static async start(ref: CheckReference, count: number): Promise<Threads> {
    const { history: _history, ...plain } = ref.options;
    const data: CheckThreadData = { protocol: ref.protocol.name, options: plain };
    const workers = Array.from({ length: count },
      () => new Worker(new URL('./check-thread.js', import.meta.url), { workerData: data }));
    const cpu = workers.map((): ThreadCpu => ({ mark: null, steps: [], work: [] }));
    return new Threads(workers, await Promise.all(workers.map((w, i) => link(w, cpu[i]!))), cpu);
  }

  /**
   * One BFS over the threads, as cli/check-workers.ts runs it, from freshly built models; with
   * its critical path in CPU ms, or null where thread CPU time cannot be read.
   */
  async search(ref: CheckReference): Promise<{
    result: CheckResult; critical: number | null; transitions: number;
  }> {
    await Promise.all(this.links.map((l) => l.call('reset' as unknown as ExpanderRequest)));
    for (const c of this.cpu) {
      c.steps.length = 0;
      c.work.length = 0;
    }
    const before = threadCpuMs();
    const opts = checker(ref.protocol, ref.options).maxDepth(ref.depth).searchOptions();
    const result = await parallelCheck(ref.protocol, ref.options, opts, this.links);
    const after = threadCpuMs();
    const work = this.cpu[0]!.work.map((_, i) => this.cpu.map((c) => c.work[i] ?? 0));
    const transitions = criticalPathMs(work, 0);
    if (before === null || after === null || this.cpu.some((c) => c.mark === null)) {
      return { result, critical: null, transitions };
    }
    const levels = this.cpu[0]!.steps.map((_, i) => this.cpu.map((c) => c.steps[i] ?? 0));
    return { result, critical: criticalPathMs(levels, after - before), transitions };
  }

  stop(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Requests answered in order, one at a time. A request every thread gets (any but 'keep' and
 * 'arrange', which parallel.ts sends inside a 'batch' with the next request) ends a step: the
 * thread's CPU ms since the last step's end go to `cpu.steps`; 'reset' starts over.
 */
function link(worker: Worker, cpu: ThreadCpu): Promise<ExpanderLink> {
  const waiting: ((a: CheckThreadAnswer) => void)[] = [];
  return new Promise((ready, fail) => {
    worker.on('error', fail);
    worker.once('message', () => {
      worker.on('message', (a: CheckThreadAnswer) => waiting.shift()?.(a));
      ready({ call: (request) => new Promise((resolve) => {
        const op = (request as ExpanderRequest | 'reset') === 'reset' ? 'reset' : request.op;
        const rebuilt = rebuiltSteps(request);
        waiting.push(({ reply, cpuMs }) => {
          if (reply !== null && 'counts' in reply) {
            cpu.work.push(reply.counts.reduce((a, b) => a + b, 0) + rebuilt);
          }
          if (op !== 'keep' && op !== 'arrange' && op !== 'reset' && cpu.mark !== null
            && cpuMs !== null) {
            cpu.steps.push(cpuMs - cpu.mark);
          }
          if (op !== 'keep' && op !== 'arrange') cpu.mark = cpuMs;
          resolve(reply);
        });
        worker.postMessage(request);
      }) });
    });
  });
}

/** Steps replayed to rebuild moved states ('arrange') in a request or a batch. */
export function rebuiltSteps(request: ExpanderRequest | 'reset'): number {
  if (request === 'reset') return 0;
  if (request.op === 'batch') return request.requests.reduce((a, r) => a + rebuiltSteps(r), 0);
  return request.op === 'arrange' ? request.paths.reduce((a, p) => a + p.length, 0) : 0;
}

function cpuSample(cpu: NodeJS.CpuUsage, wall: number): Sample {
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

/**
 * BFS over warm threads, once per entry of `counts` (1 and 2 threads, say) in turn, repeat
 * after repeat, so that every count meets the same load of a shared machine: CPU time of every
 * thread of this process, wall time and the critical path, per search. Starting the threads
 * (loading the modules in each) is timed apart, once per count.
 */
export async function benchWorkers(
  ref: CheckReference, counts: readonly number[], repeats = ref.repeats, warmUps = 3,
): Promise<WorkerFigures[]> {
  const threads: Threads[] = [];
  const startups: Sample[] = [];
  try {
    for (const count of counts) {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      threads.push(await Threads.start(ref, count));
      startups.push(cpuSample(cpu, wall));
    }
    const samples = counts.map((): Sample[] => []);
    const critical = counts.map((): (number | null)[] => []);
    const states = counts.map(() => 0);
    const transitions = counts.map(() => 0);
    for (let i = 0; i < warmUps + repeats; i++) {
      for (let k = 0; k < counts.length; k++) {
        const c = process.cpuUsage();
        const w = performance.now();
        const r = await threads[k]!.search(ref);
        if (i >= warmUps) {
          samples[k]!.push(cpuSample(c, w));
          critical[k]!.push(r.critical);
        }
        states[k] = r.result.states;
        transitions[k] = r.transitions;
      }
    }
    return counts.map((workers, k) => {
      const cpuMs = spread(samples[k]!.map((s) => s.cpuMs));
      const wallMs = spread(samples[k]!.map((s) => s.wallMs));
      const path = critical[k]!;
      return {
        workers, states: states[k]!, startupCpuMs: Math.round(startups[k]!.cpuMs), cpuMs, wallMs,
        statesPerCpuSecond: Math.round((states[k]! * 1000) / cpuMs.median),
        statesPerWallSecond: Math.round((states[k]! * 1000) / wallMs.median),
        criticalPathMs: path.includes(null) ? null : spread(path as number[]),
        criticalPathTransitions: transitions[k]!,
        balanceSpeedupBound: Math.round((states[k]! / transitions[k]!) * 100) / 100,
      };
    });
  } finally {
    await Promise.all(threads.map((t) => t.stop()));
  }
}

/** Every reference configuration, sequential BFS and DFS, then 1 and 2 workers. */
export async function benchChecker(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const ref of checkReferences) {
    const sequential = benchCheck(ref);
    const [one, two] = await benchWorkers(ref, [1, 2]) as [WorkerFigures, WorkerFigures];
    out[ref.name] = {
      ...sequential, workers1: one, workers2: two,
      twoWorkersSpeedupWall: Math.round((one.wallMs.median / two.wallMs.median) * 100) / 100,
      twoWorkersCpuRatio: Math.round((two.cpuMs.median / one.cpuMs.median) * 100) / 100,
      twoWorkersSpeedupCriticalPath: one.criticalPathMs === null || two.criticalPathMs === null
        ? null
        : Math.round((one.criticalPathMs.median / two.criticalPathMs.median) * 100) / 100,
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
      out[ref.name] = await benchWorkers(ref, [1, 2]);
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

/**
 * A worker thread of the explore-workers benchmark (bench/explore-workers.ts): runs the explore
 * trials it is sent, as cli/explore-worker.ts does for `replisim explore`, or a fixed unit of
 * bare work (the machine's own floor: what a second busy thread costs with no harness at all),
 * or tells its thread id (so the bench can split the process's CPU by thread).
 */
import { parentPort } from 'node:worker_threads';
import { runTrial, type TrialRequest } from '../scenarios/explore.js';
import { ownThreadId } from './thread-cpu.js';

export type FloorKind = 'alu' | 'alloc' | 'memory' | 'heap';
export type ExploreThreadJob = { readonly trial: TrialRequest }
  | { readonly floor: FloorKind; readonly units: number }
  | { readonly threadId: true };

/** Integer mixing with no allocation: only the cores themselves are shared. */
function aluUnit(): number {
  let h = 0x9e3779b9;
  for (let i = 0; i < 20_000_000; i++) h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) + i | 0;
  return h;
}

/** Short-lived small objects, as a simulation makes them: the young generation is exercised. */
function allocUnit(): number {
  let keep: { a: number; b: number[] } | null = null;
  let sum = 0;
  for (let i = 0; i < 2_000_000; i++) {
    const o = { a: i, b: [i, i + 1, i + 2] };
    if ((i & 1023) === 0) keep = o;
    sum += o.b[1]!;
  }
  return sum + (keep?.a ?? 0);
}

/** 64 MiB per thread: twice the L3 of a Zen 4/5 CCD (32 MiB), so most reads go to memory. */
let big: Int32Array | null = null;

/**
 * Random reads and writes over `big`: no heap, no GC, only the shared cache and memory
 * bandwidth (and the cores). What two threads cost here is what the hardware charges for
 * sharing memory, before any V8 or harness cost.
 */
function memoryUnit(): number {
  big ??= new Int32Array(1 << 24).fill(1);
  const mask = big.length - 1;
  let x = 0x2545f491;
  let sum = 0;
  for (let i = 0; i < 3_000_000; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const at = x & mask;
    sum = sum + big[at]! | 0;
    big[at] = sum;
  }
  return sum;
}

interface Cell { readonly id: number; readonly key: string; readonly vals: number[];
  next: Cell | null }

/**
 * A heap shaped like a run's: a live set of ~5 MB of small linked records (messages, queue
 * entries, history) that is churned, so records survive scavenges, are promoted and die old,
 * and the old generation is marked and swept (concurrent marking, parallel scavenges: V8's
 * helper threads work). Built and dropped per unit, as a trial's heap is.
 */
function heapUnit(): number {
  const live: (Cell | null)[] = new Array(50_000).fill(null);
  let x = 0x1b873593;
  let sum = 0;
  for (let i = 0; i < 150_000; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const slot = (x >>> 0) % live.length;
    // A link to a neighbour, whose own link is cut: chains stay two long, the live set bounded.
    const neighbour = live[(slot + 1) % live.length] ?? null;
    if (neighbour !== null) neighbour.next = null;
    const cell: Cell = { id: i, key: `k${i & 4095}/${x & 255}`, vals: [i, x, i ^ x],
      next: neighbour };
    live[slot] = cell;
    sum = sum + cell.vals[2]! + (cell.next?.id ?? 0) | 0;
  }
  return sum;
}

const floors: Record<FloorKind, () => number> = {
  alu: aluUnit, alloc: allocUnit, memory: memoryUnit, heap: heapUnit,
};

parentPort!.on('message', (job: ExploreThreadJob) => {
  if ('threadId' in job) {
    parentPort!.postMessage(ownThreadId() ?? -1);
    return;
  }
  if ('trial' in job) {
    const r = runTrial(job.trial);
    parentPort!.postMessage(r.ok ? r.events : -1);
    return;
  }
  let x = 0;
  for (let u = 0; u < job.units; u++) x += floors[job.floor]();
  parentPort!.postMessage(x);
});

/**
 * A worker thread of the explore-workers benchmark (bench/explore-workers.ts): runs the explore
 * trials it is sent, as cli/explore-worker.ts does for `replisim explore`, or a fixed unit of
 * bare work (the machine's own floor: what a second busy thread costs with no harness at all).
 */
import { parentPort } from 'node:worker_threads';
import { runTrial, type TrialRequest } from '../scenarios/explore.js';

export type ExploreThreadJob = { readonly trial: TrialRequest }
  | { readonly floor: 'alu' | 'alloc'; readonly units: number };

/** Integer mixing with no allocation: only the cores themselves are shared. */
function aluUnit(): number {
  let h = 0x9e3779b9;
  for (let i = 0; i < 20_000_000; i++) h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) + i | 0;
  return h;
}

/** Short-lived small objects, as a simulation makes them: the heap and its GC are exercised. */
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

parentPort!.on('message', (job: ExploreThreadJob) => {
  if ('trial' in job) {
    const r = runTrial(job.trial);
    parentPort!.postMessage(r.ok ? r.events : -1);
    return;
  }
  let x = 0;
  for (let u = 0; u < job.units; u++) x += job.floor === 'alu' ? aluUnit() : allocUnit();
  parentPort!.postMessage(x);
});

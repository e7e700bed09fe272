/**
 * `replisim worker --queue redis://…`: one machine's share of a swarm. It pulls seed batches
 * that `explore --queue` put on the queue, runs each batch's trials in worker threads (the same
 * pool, watchdog and heap budget as a local explore) and returns their outcomes. Run as many as
 * you like, anywhere that reaches the Redis; kill any of them at any time: a batch whose worker
 * stops renewing its lock is handed to another worker by BullMQ's stalled-job check.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'bullmq';
import { parsePositiveInt, parsePositiveNumber, parseWorkerLimits } from './args.js';
import type { JobOutcome, TrialJob } from './explore-job.js';
import type { BatchData, BatchResult } from './explore-queue.js';
import {
  renderBatchDone, renderBatchStarted, renderWorkerRedisError, renderWorkerStarted,
  renderWorkerStopped,
} from '../reports/worker.js';
import { QUEUE_NAME, assertReachable, parseRedisUrl } from './queue-connection.js';
import { runPool } from './worker-pool.js';

export interface WorkerOptions {
  queue?: string; threads?: string; lockSeconds?: string; exitWhenIdle?: string;
  trialTimeout?: string; workerMemory?: string;
}

export async function workerCommand(opts: WorkerOptions): Promise<number> {
  const target = parseRedisUrl(opts.queue ?? 'redis://127.0.0.1:6379');
  const threads = parsePositiveInt(opts.threads ?? String(Math.min(2, availableParallelism())),
    '--threads');
  const lockMs = Math.ceil(1000 * parsePositiveNumber(opts.lockSeconds ?? '30', '--lock-seconds'));
  const idleMs = opts.exitWhenIdle === undefined ? null
    : Math.ceil(1000 * parsePositiveNumber(opts.exitWhenIdle, '--exit-when-idle'));
  const limits = parseWorkerLimits(opts, 600);
  await assertReachable(target);
  const say = (line: string): void => { process.stdout.write(`${line}\n`); };
  let batchesDone = 0;

  const processBatch = async (data: BatchData): Promise<BatchResult> => {
    const outcomes = new Map<number, JobOutcome>();
    const seeds = data.jobs.map((j) => j.seed);
    say(renderBatchStarted(data.run, seeds));
    await runPool<TrialJob, JobOutcome>(new URL('./explore-worker.js', import.meta.url),
      data.jobs, { workers: threads, ...limits,
        lost: (_job, why) => ({ ok: false, error: why, lost: true }) },
      (job, outcome) => { outcomes.set(job.seed, outcome); });
    const result = data.jobs.map((j) => outcomes.get(j.seed)!);
    const bad = result.filter((o) => !o.ok || !o.result.ok).length;
    batchesDone++;
    say(renderBatchDone(data.run, seeds, bad));
    return result;
  };

  const worker = new Worker<BatchData, BatchResult>(QUEUE_NAME, (job) => processBatch(job.data), {
    connection: target.options, concurrency: 1,
    // A killed worker's batch is noticed after about one lock period and re-run elsewhere.
    lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 10,
  });
  worker.on('error', (error) => say(renderWorkerRedisError(error.message)));
  say(renderWorkerStarted(target.url, threads, lockMs / 1000));

  return new Promise<number>((resolve) => {
    let idle: NodeJS.Timeout | null = null;
    const finish = (): void => {
      if (idle !== null) clearTimeout(idle);
      void worker.close().then(() => {
        say(renderWorkerStopped(batchesDone));
        resolve(0);
      });
    };
    process.once('SIGINT', finish).once('SIGTERM', finish);
    if (idleMs !== null) {
      // Batch systems want workers that leave when the queue has stayed empty for a while.
      worker.on('drained', () => {
        if (idle === null) idle = setTimeout(finish, idleMs);
      });
      worker.on('active', () => {
        if (idle !== null) clearTimeout(idle);
        idle = null;
      });
    }
  });
}

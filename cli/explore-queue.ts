/**
 * The coordinator side of a swarm across machines: `explore --queue redis://…` puts its trials
 * into a BullMQ queue in batches of seeds, and any number of `replisim worker --queue …`
 * processes, on any machines, run them. Results come back through Redis and reach the same
 * `onResult` as a local explore's, so results.jsonl, counterexamples and the summary are the
 * same code. A worker that dies mid-batch stops renewing its lock; BullMQ's stalled-job check
 * hands the batch to another worker, and a batch that fails on every attempt is reported per
 * seed. A seed can come back twice (a stalled batch that its first worker still finished), so
 * results are de-duplicated by seed: the first answer counts, and every answer is the same
 * because a trial is a function of its seed.
 */
import { Queue, QueueEvents } from 'bullmq';
import type { JobOutcome, TrialJob } from './explore-job.js';
import { QUEUE_NAME, type RedisTarget } from './queue-connection.js';

/** What a worker puts on the queue for one batch: the trials' outcomes, in the batch's order. */
export interface BatchData { readonly run: string; readonly jobs: readonly TrialJob[] }
export type BatchResult = readonly JobOutcome[];

/** Attempts per batch before its seeds are reported lost (a crash, not a stall, uses one). */
const ATTEMPTS = 3;
const DAY_S = 86_400;

export interface QueueRun {
  readonly target: RedisTarget;
  readonly batch: number;
  /** Told once, before any batch is done, so a user knows the coordinator waits for workers:
   * how many batches are queued. */
  readonly waiting: (batches: number) => void;
}

function* batches(jobs: Iterable<TrialJob>, size: number): Generator<TrialJob[]> {
  let current: TrialJob[] = [];
  for (const job of jobs) {
    current.push(job);
    if (current.length === size) {
      yield current;
      current = [];
    }
  }
  if (current.length > 0) yield current;
}

/** The caller has checked that Redis is reachable (before touching its results file). */
export async function runOnQueue(run: QueueRun, jobs: Iterable<TrialJob>,
  onResult: (job: TrialJob, outcome: JobOutcome) => boolean): Promise<void> {
  // Names jobs only (so two coordinators on one Redis never share a job id); decides nothing.
  const id = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  const connection = run.target.options;
  const queue = new Queue<BatchData, BatchResult>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  const seen = new Set<number>();
  let stopped = false;
  let stop: () => void = () => undefined;
  const stoppedEarly = new Promise<void>((resolve) => { stop = resolve; });
  const added: string[] = [];
  try {
    await events.waitUntilReady();
    const waits: Promise<void>[] = [];
    for (const batch of batches(jobs, run.batch)) {
      if (stopped) break;
      const jobId = `${id}-${batch[0]!.seed}`;
      const job = await queue.add('trials', { run: id, jobs: batch }, {
        // Kept a day: a batch still running when its coordinator stopped is cleaned by age.
        jobId, attempts: ATTEMPTS, removeOnComplete: { age: DAY_S }, removeOnFail: { age: DAY_S },
      });
      added.push(jobId);
      waits.push(job.waitUntilFinished(events).then(
        (outcomes: BatchResult) => deliver(batch, outcomes),
        (error: unknown) => deliver(batch, batch.map(() => ({ ok: false, lost: true,
          error: `batch failed on ${ATTEMPTS} attempts: ${(error as Error).message}` }))),
      ));
    }
    run.waiting(added.length);
    await Promise.race([Promise.all(waits), stoppedEarly]);
  } finally {
    // Our batches are finished or no longer wanted: leave nothing of this run in Redis.
    await Promise.all(added.map((jobId) => queue.remove(jobId).catch(() => 0)));
    await events.close();
    await queue.close();
  }

  function deliver(batch: readonly TrialJob[], outcomes: BatchResult): void {
    if (outcomes.length !== batch.length) {
      outcomes = batch.map(() => ({ ok: false, lost: true,
        error: `a worker answered ${outcomes.length} outcomes for a batch of ${batch.length}` }));
    }
    for (const [i, job] of batch.entries()) {
      if (stopped || seen.has(job.seed)) continue;
      seen.add(job.seed);
      if (!onResult(job, outcomes[i]!)) stopped = true;
    }
    // The first violation ends the exploration; `finally` withdraws the batches nobody started.
    if (stopped) stop();
  }
}

/**
 * The lines `replisim worker` prints as it serves an explore queue: started, each batch
 * started and done, Redis errors, and how many batches it did when it leaves.
 */

export function renderWorkerStarted(url: string, threads: number, lockSeconds: number): string {
  return `worker on ${url}: ${threads} thread(s), lock ${lockSeconds} s`;
}

export function renderBatchStarted(run: string, seeds: readonly number[]): string {
  return `batch started: run ${run} seeds ${seeds.join(',')}`;
}

/** `bad`: trials of the batch that found a violation or did not finish. */
export function renderBatchDone(run: string, seeds: readonly number[], bad: number): string {
  return `batch done: run ${run} seeds ${seeds.join(',')}: ${bad} not ok`;
}

export function renderWorkerRedisError(message: string): string {
  return `worker: redis error: ${message}`;
}

export function renderWorkerStopped(batches: number): string {
  return `worker: ${batches} batch(es) done`;
}

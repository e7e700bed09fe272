/**
 * A small worker_threads pool: jobs go to idle workers, results come back in completion order
 * through `onResult` (callers key results by job, so order does not matter for determinism).
 */
import { Worker } from 'node:worker_threads';

export async function runPool<J, R>(
  workerUrl: URL, jobs: AsyncIterable<J> | Iterable<J>, workers: number,
  onResult: (job: J, result: R) => boolean | void,
): Promise<void> {
  const iterator = (Symbol.asyncIterator in Object(jobs)
    ? (jobs as AsyncIterable<J>)[Symbol.asyncIterator]()
    : (jobs as Iterable<J>)[Symbol.iterator]()) as AsyncIterator<J> | Iterator<J>;
  let stopped = false;
  const loop = async (): Promise<void> => {
    const worker = new Worker(workerUrl);
    try {
      for (;;) {
        if (stopped) return;
        const next = await iterator.next();
        if (next.done === true) return;
        const job = next.value;
        const result = await new Promise<R>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.postMessage(job);
        });
        worker.removeAllListeners('error');
        if (onResult(job, result) === false) stopped = true;
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: workers }, loop));
}

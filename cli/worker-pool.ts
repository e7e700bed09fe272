/**
 * A worker_threads pool that survives its workers: jobs go to idle workers, results come back in
 * completion order through `onResult` (callers key results by job, so order does not matter for
 * determinism). A worker that exits (e.g. `process.exit` in a protocol step), throws outside the
 * job, runs out of its heap budget, or does not answer within the per-job watchdog is terminated
 * and replaced; its job gets the result `lost(job, why)` so no seed goes unreported and no other
 * seed's result is lost.
 */
import { Worker } from 'node:worker_threads';
import { threadHeap } from './args.js';
import { describeError } from './errors.js';
import { pluginWorkerData } from './plugins.js';

export interface PoolOptions<J, R> {
  readonly workers: number;
  /** Watchdog: a job unanswered after this many milliseconds is lost (its worker terminated). */
  readonly jobTimeoutMs: number;
  /** Heap budget of each worker (V8 old generation), so one runaway job cannot take the host. */
  readonly memoryMb: number;
  /** The result standing for a job whose worker died or hung. */
  readonly lost: (job: J, why: string) => R;
}

type Answer<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; why: string };

function ask<J, R>(worker: Worker, job: J, timeoutMs: number,
  memoryMb: number): Promise<Answer<R>> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Answer<R>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      resolve(answer);
    };
    const onMessage = (value: R): void => finish({ ok: true, value });
    const onError = (error: unknown): void => {
      const code = (error as { code?: unknown }).code;
      finish({ ok: false, why: code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `worker ran out of memory (heap budget ${memoryMb} MB)`
        : `worker crashed: ${describeError(error).split('\n')[0]}` });
    };
    const onExit = (code: number): void => finish({ ok: false,
      why: `worker exited with code ${code} before answering` });
    const timer = setTimeout(() => finish({ ok: false,
      why: `no answer within ${timeoutMs / 1000} s (watchdog; the run hangs or is too slow)` }),
    timeoutMs);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(job);
  });
}

export async function runPool<J, R>(
  workerUrl: URL, jobs: AsyncIterable<J> | Iterable<J>, options: PoolOptions<J, R>,
  onResult: (job: J, result: R) => boolean | void,
): Promise<void> {
  const iterator = (Symbol.asyncIterator in Object(jobs)
    ? (jobs as AsyncIterable<J>)[Symbol.asyncIterator]()
    : (jobs as Iterable<J>)[Symbol.iterator]()) as AsyncIterator<J> | Iterator<J>;
  let stopped = false;
  // Workers load the same protocol files as this thread (--protocol-file, replisim.config).
  const spawn = (): Worker => new Worker(workerUrl, {
    resourceLimits: threadHeap(options.memoryMb), workerData: pluginWorkerData(),
  // An 'error' after the job was already given up (e.g. out of memory while being terminated
  // by the watchdog) must not become an uncaught exception of the whole command.
  }).on('error', () => undefined);
  const loop = async (): Promise<void> => {
    let worker = spawn();
    try {
      for (;;) {
        if (stopped) return;
        const next = await iterator.next();
        if (next.done === true) return;
        const job = next.value;
        const answer = await ask<J, R>(worker, job, options.jobTimeoutMs, options.memoryMb);
        let result: R;
        if (answer.ok) result = answer.value;
        else {
          result = options.lost(job, answer.why);
          await worker.terminate();
          worker = spawn();
        }
        if (onResult(job, result) === false) stopped = true;
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: options.workers }, loop));
}

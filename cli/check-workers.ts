/**
 * The thread side of `replisim check --workers N`: starts N check-worker threads, links each
 * to the parallel BFS (simulator/checker/parallel.ts) by request/answer messages, and stops
 * them when the search ends, however it ends.
 */
import { Worker } from 'node:worker_threads';
import type { AnyProtocol } from '../protocol/types.js';
import {
  parallelCheck, type CheckerOptions, type CheckResult, type ExpanderLink, type ExpanderReply,
  type SearchOptions,
} from '../simulator/checker/index.js';
import type { CheckWorkerData } from './check-worker.js';
import { pluginWorkerData } from './plugins.js';

export async function checkInWorkers(
  protocol: AnyProtocol, options: CheckerOptions, search: SearchOptions, count: number,
): Promise<CheckResult> {
  const { history: _history, ...plain } = options;
  const data: CheckWorkerData = { ...pluginWorkerData(), protocol: protocol.name,
    options: plain, symmetry: search.symmetry };
  const workers = Array.from({ length: count },
    () => new Worker(new URL('./check-worker.js', import.meta.url), { workerData: data }));
  try {
    const links = await Promise.all(workers.map(link));
    return await parallelCheck(protocol, options, search, links);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Requests are answered in order, one at a time: a FIFO of waiting callers suffices. */
function link(worker: Worker): Promise<ExpanderLink> {
  const waiting: { resolve: (r: ExpanderReply) => void; reject: (e: unknown) => void }[] = [];
  let failed: unknown = null;
  return new Promise((ready, notReady) => {
    worker.on('error', (error) => {
      failed = error;
      notReady(error);
      for (const w of waiting.splice(0)) w.reject(error);
    });
    worker.once('message', () => {
      worker.on('message', (reply: ExpanderReply) => waiting.shift()?.resolve(reply));
      ready({
        call: (request) => new Promise((resolve, reject) => {
          if (failed !== null) return reject(failed);
          waiting.push({ resolve, reject });
          worker.postMessage(request);
        }),
      });
    });
  });
}

/**
 * `run`, `replay` and `campaign` execute in a worker thread under the same watchdog and heap
 * budget as the seeds of `sweep` and `explore`: a protocol step that never returns, exhausts
 * memory or calls `process.exit` becomes a one-line finding that names the seed (exit 1), not a
 * hung or killed command. A campaign names each step before it starts (a `{ at }` message):
 * the watchdog then times each step, and the finding names the step and its reproduce command.
 * The thread's stdout and stderr are piped through whole before the command ends, and it sees
 * the terminal as the command does (colours, progress bar).
 */
import { Worker } from 'node:worker_threads';
import { threadHeap, type WorkerLimits } from './args.js';
import { UsageError } from './errors.js';
import { pluginWorkerData } from './plugins.js';

/** What the thread runs: a command name and its arguments (plain data). */
export interface ThreadCommand {
  readonly command: 'run' | 'replay' | 'campaign';
  readonly args: readonly unknown[];
  readonly tty: { readonly stdout: boolean; readonly stderr: boolean };
  /** The protocol files this thread loaded (--protocol-file, replisim.config), for the thread. */
  readonly protocolFiles: readonly string[];
}

/** Where a campaign is: posted before each step, so a watchdog finding can name the step. */
export interface ThreadProgress { readonly at: string }

/** The thread's answer: an exit code, or the error the command threw, as data. */
export type ThreadAnswer = { readonly code: number }
  | { readonly error: { readonly usage: boolean; readonly name: string;
    readonly message: string; readonly stack?: string } };

/** Runs the command in a thread; `what` names the run in a watchdog or crash message. */
export async function runInThread(job: Omit<ThreadCommand, 'tty' | 'protocolFiles'>,
  limits: WorkerLimits,
  what: string): Promise<number> {
  const worker = new Worker(new URL('./command-thread-worker.js', import.meta.url), {
    workerData: { ...job, tty: { stdout: process.stdout.isTTY === true,
      stderr: process.stderr.isTTY === true }, ...pluginWorkerData() } satisfies ThreadCommand,
    stdout: true, stderr: true,
    resourceLimits: threadHeap(limits.memoryMb),
  });
  const drained = Promise.all([worker.stdout, worker.stderr].map((from, i) =>
    new Promise<void>((resolve) => {
      from.pipe(i === 0 ? process.stdout : process.stderr, { end: false });
      from.once('end', resolve);
    })));
  let answer: ThreadAnswer | null = null;
  let failure: string | null = null;
  let at = '';
  const expire = (): void => {
    failure ??= `gave no answer within ${limits.jobTimeoutMs / 1000} s${at} (watchdog, ` +
      `--trial-timeout; a protocol step never returns or the run is too slow)`;
    void worker.terminate();
  };
  let timer = setTimeout(expire, limits.jobTimeoutMs);
  worker.on('message', (m: ThreadAnswer | ThreadProgress) => {
    if (!('at' in m)) {
      answer = m;
      return;
    }
    at = ` ${m.at}`;
    clearTimeout(timer);
    timer = setTimeout(expire, limits.jobTimeoutMs);
  });
  const exited = new Promise<void>((resolve) => {
    worker.on('error', (error: unknown) => {
      const code = (error as { code?: unknown }).code;
      failure ??= code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `ran out of memory${at} (heap budget ${limits.memoryMb} MB, --worker-memory)`
        : `crashed${at}: ${(error as Error).message}`;
    });
    worker.on('exit', (code) => {
      if (answer === null) {
        failure ??= `exited its thread with code ${code}${at} before finishing`;
      }
      resolve();
    });
  });
  await exited;
  clearTimeout(timer);
  await drained;
  if (failure !== null) {
    process.stderr.write(`replisim: ✗ ${what} ${failure}\n`);
    return 1;
  }
  const a = answer as ThreadAnswer | null;
  if (a === null) return 1;
  if ('code' in a) return a.code;
  if (a.error.usage) throw new UsageError(a.error.message);
  const error = new Error(a.error.message);
  error.name = a.error.name;
  if (a.error.stack !== undefined) error.stack = a.error.stack;
  throw error;
}

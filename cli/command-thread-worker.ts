/** The thread of `runInThread`: loads plugins, runs the command, posts its exit code or error. */
import { parentPort, workerData } from 'node:worker_threads';
import { ScenarioError } from '../scenarios/errors.js';
import type { CampaignOptions } from './cmd-campaign.js';
import type { ReplayOptions } from './cmd-replay.js';
import type { RunOptions } from './cmd-run.js';
import type { ThreadAnswer, ThreadCommand, ThreadProgress } from './command-thread.js';
import { UsageError } from './errors.js';
import { loadProtocolFile, loadWorkerPlugins } from './plugins.js';

const job = workerData as ThreadCommand;
// Colours and the progress bar follow the command's terminal, not the thread's pipes.
process.stdout.isTTY = job.tty.stdout;
process.stderr.isTTY = job.tty.stderr;
let answer: ThreadAnswer;
try {
  await loadWorkerPlugins(job);
  // Again by flag, so the commands this thread prints carry `--protocol-file` (same modules).
  const opts = job.args[1] as { protocolFile?: readonly string[] };
  for (const file of opts.protocolFile ?? []) await loadProtocolFile(file);
  // Only the module of the command asked for is loaded.
  const code = job.command === 'run'
    ? (await import('./cmd-run.js')).runCommand(job.args[0] as string, job.args[1] as RunOptions)
    : job.command === 'replay'
      ? (await import('./cmd-replay.js')).replayCommand(job.args[0] as string,
        job.args[1] as ReplayOptions)
      : (await import('./cmd-campaign.js')).campaignCommand(job.args[0] as string | undefined,
        job.args[1] as CampaignOptions,
        (at) => parentPort!.postMessage({ at } satisfies ThreadProgress));
  answer = { code };
} catch (error) {
  const usage = error instanceof UsageError || error instanceof ScenarioError;
  const e = error instanceof Error ? error : new Error(String(error));
  answer = { error: { usage, name: e.name, message: e.message,
    ...(e.stack === undefined ? {} : { stack: e.stack }) } };
}
parentPort!.postMessage(answer);

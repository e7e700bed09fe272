/** Worker thread of `replisim sweep`: runs the seeds it is sent and posts their verdicts. */
import { parentPort } from 'node:worker_threads';
import { loadPlugins } from './plugins.js';
import { runSweepJob, type SweepJob } from './sweep-job.js';

await loadPlugins();
parentPort!.on('message', (job: SweepJob) => {
  parentPort!.postMessage(runSweepJob(job));
});

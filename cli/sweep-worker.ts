/** Worker thread of `replisim sweep`: runs the seeds it is sent and posts their verdicts. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadWorkerPlugins } from './plugins.js';
import { runSweepJob, type SweepJob } from './sweep-job.js';

await loadWorkerPlugins(workerData);
parentPort!.on('message', (job: SweepJob) => {
  parentPort!.postMessage(runSweepJob(job));
});

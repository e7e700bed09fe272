/** Worker thread of `replisim explore`: runs trials it is sent and posts their results. */
import { parentPort, workerData } from 'node:worker_threads';
import { runTrialJob, type TrialJob } from './explore-job.js';
import { loadWorkerPlugins } from './plugins.js';

await loadWorkerPlugins(workerData);
parentPort!.on('message', (job: TrialJob) => {
  parentPort!.postMessage(runTrialJob(job));
});

/** Worker thread of `replisim explore`: runs trials it is sent and posts their results. */
import { parentPort } from 'node:worker_threads';
import { runTrialJob, type TrialJob } from './explore-job.js';
import { loadPlugins } from './plugins.js';

await loadPlugins();
parentPort!.on('message', (job: TrialJob) => {
  parentPort!.postMessage(runTrialJob(job));
});

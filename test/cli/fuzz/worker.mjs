// Fuzz worker: runs one CLI invocation in-process (the built dist/cli/main.js) with its input
// files written to a scratch folder, and posts back the exit code and what went to stderr.
// The pool around it (cli/worker-pool.ts) gives each input a watchdog and a 1 GiB heap budget.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';

const { main } = await import(new URL('../../../dist/cli/main.js', import.meta.url).href);

let stderr = '';
let stdoutBytes = 0;
process.stdout.write = (chunk) => { stdoutBytes += String(chunk).length; return true; };
process.stderr.write = (chunk) => { stderr += String(chunk); return true; };

parentPort.on('message', async (job) => {
  stderr = '';
  stdoutBytes = 0;
  mkdirSync(job.dir, { recursive: true });
  for (const [name, content] of Object.entries(job.files)) {
    writeFileSync(join(job.dir, name), Buffer.from(content, 'base64'));
  }
  let code;
  try {
    code = await main(job.argv);
  } catch (error) {
    code = -1;
    stderr += `uncaught: ${error && error.stack ? error.stack : String(error)}`;
  }
  parentPort.postMessage({ code, stderr, stdoutBytes });
});

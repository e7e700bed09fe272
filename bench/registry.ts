/** Further benchmarks, by name, run after the engine benchmark. Add new ones here. */
import { benchChecker } from './check.js';
import { benchCheckedRun } from './checked-run.js';
import { benchExploreWorkers } from './explore-workers.js';
import { benchLincheck, findRepoRoot } from './lincheck.js';
import { benchLincheckMemory } from './lincheck-memory.js';
import { benchLincheckRuns } from './lincheck-runs.js';

export const extraBenches: readonly [string, () => Promise<unknown> | unknown][] = [
  // The standard checked runs users do (`replisim run`): invariants and every property on.
  ['checkedRunSmart', () => benchCheckedRun('smart-steady', 'smart')],
  ['checkedRunOpb', () => benchCheckedRun('opb-steady', 'opb')],
  ['lincheck', benchLincheck],
  // `replisim explore`'s trials on 1 and 2 worker threads, beside the machine's own floor.
  ['exploreWorkers', () => benchExploreWorkers()],
  // `replisim check` on its pinned reference configurations, sequential and over 1 and 2 threads.
  ['check', benchChecker],
  // Histories of replisim's own runs (bench/run-corpus.ts), then memory in child processes.
  ['lincheckRuns', () => benchLincheckRuns(findRepoRoot())],
  ['lincheckMemory', () => benchLincheckMemory(findRepoRoot())],
];
